import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateIf,
} from 'class-validator';
import { MAX_SCOPES, SCOPE_PATTERN } from '@ledger/token-domain';
import { IsDuration, IsSmallJsonObject } from '../../http/validators';

export const CREATABLE_TYPES = ['project', 'integration', 'personal'] as const;

export class CreateTokenRequest {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'billing sync' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ type: [String], maxItems: MAX_SCOPES, example: ['orders:read'] })
  @IsArray()
  @ArrayMaxSize(MAX_SCOPES)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(SCOPE_PATTERN, { each: true, message: 'each scope must match ^[a-z][a-z0-9:._-]{0,63}$' })
  scopes: string[];

  @ApiPropertyOptional({ enum: CREATABLE_TYPES, default: 'project' })
  @IsOptional()
  @IsIn(CREATABLE_TYPES)
  type?: (typeof CREATABLE_TYPES)[number];

  @ApiPropertyOptional({ description: 'Required for, and only allowed on, personal tokens', maxLength: 200 })
  @ValidateIf((body: CreateTokenRequest) => body.type === 'personal' || body.ownerId !== undefined)
  @IsString({ message: 'ownerId is required for personal tokens' })
  @Length(1, 200)
  ownerId?: string;

  @ApiPropertyOptional({ description: 'Lifetime: "30m", "24h", "90d", "1y" or seconds', example: '90d' })
  @IsOptional()
  @IsDuration()
  expiresIn?: string | number;

  @ApiPropertyOptional({ format: 'date-time', description: 'Absolute expiry (instead of expiresIn)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Free JSON object, at most 4 KB' })
  @IsOptional()
  @IsSmallJsonObject(4096)
  metadata?: Record<string, unknown>;
}

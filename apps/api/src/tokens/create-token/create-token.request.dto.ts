import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsString, Length, Matches, ValidateIf } from 'class-validator';
import { MAX_LIFETIME_SECONDS, MAX_SCOPES, SCOPE_PATTERN } from '@ledger/token-domain';
import { durationSchema } from '../../openapi/openapi-schemas';
import { IsDuration, IsInstant, IsSmallJsonObject, NoTokenValue, OptionalNotNull } from '../../http/validators';

export const CREATABLE_TYPES = ['project', 'integration', 'personal'] as const;

export class CreateTokenRequest {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'billing sync' })
  @IsString()
  @Length(1, 200)
  @NoTokenValue()
  name: string;

  @ApiProperty({ type: [String], maxItems: MAX_SCOPES, example: ['orders:read'] })
  @IsArray()
  @ArrayMaxSize(MAX_SCOPES)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(SCOPE_PATTERN, { each: true, message: 'each scope must match ^[a-z][a-z0-9:._-]{0,63}$' })
  scopes: string[];

  // The default is said, not declared: generators make a property with a `default` required.
  @ApiPropertyOptional({ enum: CREATABLE_TYPES, description: 'project when left out' })
  @OptionalNotNull()
  @IsIn(CREATABLE_TYPES)
  type?: (typeof CREATABLE_TYPES)[number];

  @ApiPropertyOptional({ description: 'Required for, and only allowed on, personal tokens', maxLength: 200 })
  @ValidateIf((body: CreateTokenRequest) => body.type === 'personal' || body.ownerId !== undefined)
  @IsString({ message: 'ownerId is required for personal tokens' })
  @Length(1, 200)
  @NoTokenValue()
  ownerId?: string;

  @ApiPropertyOptional(durationSchema('Lifetime: "30m", "24h", "90d", "1y" or seconds; at most 100y; no expiry when both this and expiresAt are left out'))
  @OptionalNotNull()
  @IsDuration({ maxSeconds: MAX_LIFETIME_SECONDS })
  expiresIn?: string | number;

  @ApiPropertyOptional({ format: 'date-time', description: 'Absolute expiry (instead of expiresIn), RFC 3339, at most 100 years ahead' })
  @OptionalNotNull()
  @IsInstant({ maxAheadSeconds: MAX_LIFETIME_SECONDS })
  expiresAt?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Free JSON object, at most 4 KB' })
  @OptionalNotNull()
  @IsSmallJsonObject(4096)
  @NoTokenValue()
  // As sent: class-transformer would drop keys named like Object.prototype members (toString, constructor).
  @Transform(({ obj }: { obj: Record<string, unknown> }) => obj.metadata, { toClassOnly: true })
  metadata?: Record<string, unknown>;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsString, Length, Matches } from 'class-validator';
import { MAX_LIFETIME_SECONDS, MAX_SCOPES, SCOPE_PATTERN } from '@ledger/token-domain';
import { IsDuration, IsInstant, IsSmallJsonObject, NoTokenValue, OptionalNotNull } from '../../http/validators';

/** Every field optional, at least one required; each left out stays as it is. */
export class UpdateTokenRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'billing sync v2' })
  @OptionalNotNull()
  @IsString()
  @Length(1, 200)
  @NoTokenValue()
  name?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Replaces the metadata as a whole; a JSON object of at most 4 KB' })
  @OptionalNotNull()
  @IsSmallJsonObject(4096)
  @NoTokenValue()
  // As sent: class-transformer would drop keys named like Object.prototype members (toString, constructor).
  @Transform(({ obj }: { obj: Record<string, unknown> }) => obj.metadata, { toClassOnly: true })
  metadata?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_SCOPES, description: 'A subset of the current scopes (narrowing only)', example: ['orders:read'] })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(MAX_SCOPES)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(SCOPE_PATTERN, { each: true, message: 'each scope must match ^[a-z][a-z0-9:._-]{0,63}$' })
  scopes?: string[];

  @ApiPropertyOptional({
    // A duration string or a number of seconds (not `object`, which generated clients cannot use).
    oneOf: [
      { type: 'string', example: '24h' },
      { type: 'integer', minimum: 1 },
    ],
    description: 'New lifetime from now, ending no later than the current expiry: "30m", "24h", "90d" or seconds',
  })
  @OptionalNotNull()
  @IsDuration({ maxSeconds: MAX_LIFETIME_SECONDS })
  expiresIn?: string | number;

  @ApiPropertyOptional({ format: 'date-time', description: 'New absolute expiry (instead of expiresIn), no later than the current one' })
  @OptionalNotNull()
  @IsInstant({ maxAheadSeconds: MAX_LIFETIME_SECONDS })
  expiresAt?: string;
}

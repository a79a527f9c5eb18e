import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

/** POST /v1/signing-keys/rotate: an optional body. */
export class RotateSigningKeyRequest {
  @ApiPropertyOptional({
    description:
      'The current key leaked: retire it now. Every access token it signed ends at the ledger at once and the key leaves the JWKS; offline verifiers stop accepting them when they next fetch the JWKS. Left out: false.',
  })
  @IsOptional()
  @IsBoolean()
  retireNow?: boolean;
}

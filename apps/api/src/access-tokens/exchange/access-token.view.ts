import { ApiProperty } from '@nestjs/swagger';

/** RFC 6749 §5.1: the answer of POST /oauth2/token. */
export class AccessTokenResponse {
  @ApiProperty({ description: 'A JWT (typ at+jwt, ES256), verifiable offline against /.well-known/jwks.json' }) access_token: string;
  @ApiProperty({ enum: ['Bearer'] }) token_type: string;
  @ApiProperty({ description: 'Seconds until it expires (never beyond its parent token)', example: 3600 }) expires_in: number;
  @ApiProperty({ description: 'Space-separated scopes it carries', example: 'orders:read' }) scope: string;
}

/** RFC 6749 §5.2: how POST /oauth2/token refuses, in place of the API's error shape. */
export class OAuthError {
  @ApiProperty({ enum: ['invalid_request', 'invalid_client', 'invalid_scope', 'unsupported_grant_type'] }) error: string;
  @ApiProperty({ description: 'Human-readable; never holds a credential' }) error_description: string;
}

/** The JSON spelling of the exchange (POST /v1/auth). */
export class AuthRequest {
  @ApiProperty({ description: 'The ledger token id', example: 'tok_4TQhc1mbkVyTr3Lw0XkC9a', maxLength: 512 }) clientId: string;
  @ApiProperty({ description: 'The ledger token value', maxLength: 512 }) secret: string;
  @ApiProperty({ required: false, description: 'Space-separated subset of the token scopes (all of them when absent)' }) scope?: string;
}

export class AuthResponse {
  @ApiProperty({ description: 'A JWT (typ at+jwt, ES256)' }) accessToken: string;
  @ApiProperty({ description: 'Seconds until it expires (never beyond its parent token)', example: 3600 }) expiresIn: number;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: string;
  @ApiProperty({ description: 'Space-separated scopes it carries', example: 'orders:read' }) scope: string;
}

import { ApiProperty } from '@nestjs/swagger';

/** RFC 7517 §4 / RFC 7518 §6.2: the public half of one P-256 signing key. */
export class PublicSigningKey {
  @ApiProperty({ enum: ['EC'] }) kty: string;
  @ApiProperty({ enum: ['P-256'] }) crv: string;
  @ApiProperty({ description: 'base64url' }) x: string;
  @ApiProperty({ description: 'base64url' }) y: string;
  @ApiProperty({ description: 'The kid in the header of the tokens it signed' }) kid: string;
  @ApiProperty({ enum: ['ES256'] }) alg: string;
}

export class JsonWebKeySet {
  @ApiProperty({ type: [PublicSigningKey], description: 'The active key and the retired ones whose tokens may still be valid' }) keys: PublicSigningKey[];
}

/** RFC 8414 §2, the fields this ledger fills in. */
export class AuthorizationServerMetadata {
  @ApiProperty() issuer: string;
  @ApiProperty({ format: 'uri' }) token_endpoint: string;
  @ApiProperty({ format: 'uri' }) jwks_uri: string;
  @ApiProperty({ format: 'uri' }) introspection_endpoint: string;
  @ApiProperty({ format: 'uri' }) revocation_endpoint: string;
  @ApiProperty({ type: [String], example: ['client_credentials'] }) grant_types_supported: string[];
  @ApiProperty({ type: [String], description: 'Empty: no authorization endpoint' }) response_types_supported: string[];
  @ApiProperty({ type: [String], example: ['client_secret_basic', 'client_secret_post'] }) token_endpoint_auth_methods_supported: string[];
  @ApiProperty({ type: [String], example: ['client_secret_basic', 'client_secret_post'] }) introspection_endpoint_auth_methods_supported: string[];
  @ApiProperty({ type: [String], example: ['none'] }) revocation_endpoint_auth_methods_supported: string[];
  @ApiProperty({ type: [String], example: ['ES256'] }) access_token_signing_alg_values_supported: string[];
}

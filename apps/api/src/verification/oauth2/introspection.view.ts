import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** RFC 7662 §2.2: only `active` is always there; the rest only for an active token. */
export class IntrospectionResponse {
  @ApiProperty() active: boolean;
  @ApiPropertyOptional({ description: 'Space-separated scopes' }) scope?: string;
  @ApiPropertyOptional({ description: 'The project' }) client_id?: string;
  @ApiPropertyOptional({ description: 'The owner, or the token id' }) sub?: string;
  @ApiPropertyOptional({ enum: ['Bearer'] }) token_type?: string;
  @ApiPropertyOptional({ description: 'Expiry, seconds since the epoch' }) exp?: number;
  @ApiPropertyOptional({ description: 'Creation, seconds since the epoch' }) iat?: number;
  @ApiPropertyOptional({ description: 'The token id' }) jti?: string;
}

/** What every refusal of an RFC 7662/7009 route carries, whatever the reason. */
export class InactiveToken {
  @ApiProperty({ enum: [false] }) active: boolean;
}

export class OAuthTokenForm {
  @ApiProperty() token: string;
  @ApiPropertyOptional({ enum: ['access_token', 'refresh_token'] }) token_type_hint?: string;
}

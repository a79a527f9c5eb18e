import { ApiProperty } from '@nestjs/swagger';

export class RetiredSigningKey {
  @ApiProperty() kid: string;
  @ApiProperty({ format: 'date-time', description: 'It stays in the JWKS until then: the last token it signed expires' }) verifiableUntil: string;
}

export class SigningKeyRotation {
  @ApiProperty({ description: 'The key that signs from now on' }) kid: string;
  @ApiProperty({ type: RetiredSigningKey, nullable: true, description: 'The key it replaced; null when none was active' }) retired: RetiredSigningKey | null;
}

/** The public JSON API's shapes the console reads (docs/api.md, "Tokens"; /openapi.json). */

export type TokenStatus = 'active' | 'revoked' | 'expired';

export interface TokenView {
  id: string;
  projectId: string;
  name: string;
  type: string;
  ownerId: string | null;
  scopes: string[];
  metadata: Record<string, unknown>;
  hint: string;
  status: TokenStatus;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  useCount: number;
  revokedAt: string | null;
  revokeReason?: string | null;
  rotatedFrom: string | null;
  rotatedTo: string | null;
}

export interface TokenPage {
  items: TokenView[];
  nextCursor: string | null;
}

export interface IssuedToken {
  token: TokenView;
  value: string;
}

export interface RotatedToken extends IssuedToken {
  previous: { id: string; expiresAt: string | null };
}

export interface ProjectSummary {
  projectId: string;
  tokens: { active: number; revoked: number; expired: number; total: number };
}

export interface AuditEvent {
  position: number | string;
  streamId: string;
  revision: number;
  type: string;
  /** The domain event's fields (docs/architecture.md, "Events"); an auditor without secrets:read sees some redacted. */
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recordedAt: string;
}

export interface AuditPage {
  items: AuditEvent[];
  next: string | number | null;
}

export interface ChainReport {
  ok: boolean;
  streams: number;
  events: number;
  broken: Array<Record<string, unknown>>;
  lastPosition?: number;
  head?: string;
  brokenCount?: number;
}

export interface Reminder {
  id: string;
  tokenId: string;
  projectId: string;
  kind: string;
  due: string;
  status: 'pending' | 'sent' | 'failed' | 'cancelled';
  channel: string | null;
  deliveredAt: string | null;
  attempt: number | null;
  error?: string;
  failedAt?: string;
}

export interface VerifyAnswer {
  valid: boolean;
  code?: string;
  tokenId?: string;
  projectId?: string;
  type?: string;
  scopes?: string[];
  expiresAt?: string | null;
}

/** The create dialog's expiry presets, as the API's `expiresIn` (docs/api.md, "Durations"). */
export const EXPIRY_PRESETS = [
  { id: '7d', label: '7 days', expiresIn: '7d' },
  { id: '30d', label: '30 days', expiresIn: '30d' },
  { id: '90d', label: '90 days', expiresIn: '90d' },
  { id: '1y', label: '1 year', expiresIn: '1y' },
  { id: 'none', label: 'No expiry', expiresIn: null },
  { id: 'custom', label: 'Custom date', expiresIn: null },
] as const;

export type ExpiryPreset = (typeof EXPIRY_PRESETS)[number]['id'];

/** The create body's expiry part: a preset's expiresIn, a custom expiresAt, or nothing. */
export function expiryBody(preset: ExpiryPreset, customAt: string | null): { expiresIn?: string; expiresAt?: string } {
  if (preset === 'custom') return customAt ? { expiresAt: customAt } : {};
  const found = EXPIRY_PRESETS.find((p) => p.id === preset);
  return found?.expiresIn ? { expiresIn: found.expiresIn } : {};
}

/** The rotate dialog's grace choices (`gracePeriod`; 0 ends the old token at once, max 30 d). */
export const GRACE_CHOICES = [
  { value: '0', label: 'End the old token now' },
  { value: '1h', label: '1 hour' },
  { value: '24h', label: '24 hours (default)' },
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
] as const;

/**
 * The first reminder lead of the default REMINDER_LEADS (14d,7d,1d): a token expiring within it
 * gets an "expires in …" badge, the same moment ops get their first warning.
 */
export const FIRST_REMINDER_LEAD_MS = 14 * 86_400_000;

export function expiresSoon(expiresAt: string | null, status: string, now: Date = new Date()): boolean {
  if (!expiresAt || status !== 'active') return false;
  const left = Date.parse(expiresAt) - now.getTime();
  return left > 0 && left <= FIRST_REMINDER_LEAD_MS;
}

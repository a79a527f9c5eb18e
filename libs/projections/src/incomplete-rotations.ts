import type Database from 'better-sqlite3';

export interface IncompleteRotation {
  tokenId: string;
  newTokenId: string;
}

/**
 * Rotations whose new token the read model does not show: either cut between the two appends
 * (TokenRotated recorded, TokenCreated not) or completed but not projected yet. Completing is
 * idempotent, so the caller may simply try each one.
 */
export function findIncompleteRotations(db: Database.Database): IncompleteRotation[] {
  return db
    .prepare<[], IncompleteRotation>(
      `SELECT t.id AS tokenId, t.rotated_to AS newTokenId FROM tokens t
       WHERE t.rotated_to IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tokens n WHERE n.id = t.rotated_to)`,
    )
    .all();
}

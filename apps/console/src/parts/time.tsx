import { exactTime, relativeTime } from '../logic/time-format';

/** A relative time in tables, the exact UTC instant on hover and for screen readers. */
export function Time({ at }: { at: string | null }) {
  if (!at) return <span aria-label="never">—</span>;
  return (
    <time dateTime={at} title={exactTime(at)}>
      {relativeTime(at)}
    </time>
  );
}

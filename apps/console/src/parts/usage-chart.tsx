import type { DayCount } from '../logic/usage-per-day';

/**
 * Uses per day as an SVG bar chart (attributes only: the CSP allows no inline styles), with the
 * numbers also in a visually hidden table for screen readers.
 */
export function UsageChart({ days }: { days: DayCount[] }) {
  const max = Math.max(1, ...days.map((d) => d.count));
  const width = 600;
  const height = 120;
  const bar = width / days.length;
  const total = days.reduce((sum, d) => sum + d.count, 0);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${height + 16}`} role="img" aria-label={`Uses per day over the last ${days.length} days: ${total} in all`}>
        {days.map((d, i) => {
          const h = Math.round((d.count / max) * height);
          return (
            <rect key={d.day} class="bar" x={i * bar + 1} y={height - h} width={bar - 2} height={h}>
              <title>{`${d.day}: ${d.count}`}</title>
            </rect>
          );
        })}
        <text x="0" y={height + 14} class="axis">
          {days[0]?.day}
        </text>
        <text x={width} y={height + 14} class="axis" text-anchor="end">
          {days[days.length - 1]?.day}
        </text>
      </svg>
      <figcaption>
        Uses per day (UTC), last {days.length} days: {total} in all, at most {max === 1 && total === 0 ? 0 : max} in a day.
      </figcaption>
    </figure>
  );
}

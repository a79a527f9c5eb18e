/**
 * A test that cannot run here says so on one line of the output (not only as a jest "skipped"
 * count), naming what was not run and why.
 */
export function skipLoudly(what: string, why: string): void {
  process.stderr.write(`SKIPPED: ${what} — ${why}\n`);
  it.skip(`${what} (skipped: ${why})`, () => undefined);
}

import { ConfigError, loadConfig } from './ledger-config';

describe('asOf snapshot configuration', () => {
  it('takes a snapshot every 10,000 events unless told otherwise', () => {
    expect(loadConfig({}).asOfSnapshotEvery).toBe(10_000);
    expect(loadConfig({ ASOF_SNAPSHOT_EVERY: '250' }).asOfSnapshotEvery).toBe(250);
  });

  it.each(['0', '99', '1e4', '10k', '-5', '20000000'])('refuses ASOF_SNAPSHOT_EVERY=%s naming the variable', (value) => {
    expect(() => loadConfig({ ASOF_SNAPSHOT_EVERY: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ASOF_SNAPSHOT_EVERY: value })).toThrow(/^Invalid configuration: ASOF_SNAPSHOT_EVERY /);
  });
});

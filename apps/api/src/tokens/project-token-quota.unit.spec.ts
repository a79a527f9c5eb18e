import { loadConfig } from '@ledger/config';
import type { TokenListQueries } from '@ledger/projections';
import { ApiError } from '../http/api-error';
import { ProjectTokenQuota } from './project-token-quota';

/** The read model as a number the test sets, counting how often it was asked. */
function readModel(active: number) {
  const model = { active, asked: 0 };
  const queries = { countActive: () => (model.asked++, model.active) } as unknown as TokenListQueries;
  return { model, quota: new ProjectTokenQuota(loadConfig({ MAX_ACTIVE_TOKENS_PER_PROJECT: '3' }), queries) };
}

const refused = async (run: Promise<unknown>) => {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  expect(error).toMatchObject({ status: 409, code: 'project_token_limit', details: { limit: 3 } });
};

describe('ProjectTokenQuota', () => {
  afterEach(() => jest.useRealTimers());

  it('counts writes still on their way to the read model', async () => {
    const { model, quota } = readModel(1);
    // A write returns once the read model shows it.
    const write = async () => void model.active++;
    let release!: () => void;
    const inFlight = quota.within('shop', () => new Promise<void>((r) => (release = r)).then(write));
    await quota.within('shop', write); // 1 in the read model + 1 on its way: room for one
    await refused(quota.within('shop', write)); // 2 + 1 on its way, even after a fresh count
    release();
    await inFlight;
    expect(model.active).toBe(3);
  });

  it('trusts its count for a second, then asks the read model again', async () => {
    jest.useFakeTimers({ now: 0 });
    const { model, quota } = readModel(0);
    await quota.within('shop', async () => undefined);
    await quota.within('shop', async () => undefined);
    expect(model.asked).toBe(1);
    jest.setSystemTime(1000);
    await quota.within('shop', async () => undefined);
    expect(model.asked).toBe(2);
  });

  it('checks an over-count against a fresh count before refusing (a revoke freed a slot)', async () => {
    const { model, quota } = readModel(2);
    await quota.within('shop', async () => undefined); // cached: 3
    model.active = 2; // one was revoked meanwhile
    await quota.within('shop', async () => undefined);
    model.active = 3;
    await refused(quota.within('shop', async () => undefined));
  });

  it('frees the slot when the write fails', async () => {
    const { quota } = readModel(2);
    await expect(quota.within('shop', async () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    await quota.within('shop', async () => undefined);
  });
});

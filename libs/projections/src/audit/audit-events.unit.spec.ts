import { MemoryEventStore, readAllPages } from '@ledger/event-store';
import { readAuditPage } from './audit-events';

/** 30 events: tokens t0..t9 created in projects a/b, then each used twice. */
async function ledger(): Promise<MemoryEventStore> {
  const store = new MemoryEventStore();
  for (let round = 0; round < 3; round++) {
    for (let t = 0; t < 10; t++) {
      const data = { tokenId: `tok_t${t}`, projectId: t % 2 ? 'a' : 'b' };
      const metadata = { actor: { type: 'token', id: `tok_actor${t % 3}` } };
      await store.appendToStream(
        `token-tok_t${t}`,
        [{ id: `e${round}-${t}`, type: round ? 'TokenUsed' : 'TokenCreated', data, metadata }],
        round ? round - 1 : 'no_stream',
      );
    }
  }
  return store;
}

describe('audit pages', () => {
  it('pages the whole log with `after` and ends with next = null', async () => {
    const store = await ledger();
    const seen: number[] = [];
    let after = 0;
    for (;;) {
      const page = await readAuditPage(store, {}, { after, limit: 7 });
      seen.push(...page.items.map((e) => e.position));
      if (page.next === null) break;
      after = page.next;
    }
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it('filters by project, type and actor (id or type:id)', async () => {
    const store = await ledger();
    const project = await readAuditPage(store, { projectId: 'a', types: ['TokenUsed'] }, { limit: 100 });
    expect(project.items).toHaveLength(10);
    expect(project.items.every((e) => e.data.projectId === 'a' && e.type === 'TokenUsed')).toBe(true);
    const byId = await readAuditPage(store, { actor: 'tok_actor0' }, { limit: 100 });
    const byTypeAndId = await readAuditPage(store, { actor: 'token:tok_actor0' }, { limit: 100 });
    expect(byId.items.map((e) => e.position)).toEqual(byTypeAndId.items.map((e) => e.position));
    expect(byId.items).toHaveLength(12);
    expect((await readAuditPage(store, { actor: 'system:tok_actor0' }, { limit: 100 })).items).toEqual([]);
  });

  it('reads a token from its own stream, paged by position', async () => {
    const store = await ledger();
    const first = await readAuditPage(store, { tokenId: 'tok_t3' }, { limit: 2 });
    expect(first.items.map((e) => e.position)).toEqual([4, 14]);
    expect(first.next).toBe(14);
    const rest = await readAuditPage(store, { tokenId: 'tok_t3' }, { after: 14, limit: 2 });
    expect(rest).toEqual({ items: [expect.objectContaining({ position: 24 })], next: null });
  });

  it('stops a rare filter after scanLimit events with a next to go on from', async () => {
    const store = await ledger();
    const page = await readAuditPage(store, { projectId: 'nobody' }, { limit: 10, scanLimit: 12 });
    expect(page).toEqual({ items: [], next: 12 });
    expect(await readAuditPage(store, { projectId: 'nobody' }, { after: 24, limit: 10, scanLimit: 12 })).toEqual({ items: [], next: null });
  });

  it('readAllPages stops at `until`', async () => {
    const store = await ledger();
    const pages: number[][] = [];
    for await (const page of readAllPages(store, { after: 3, until: 12, pageSize: 4 })) pages.push(page.map((e) => e.position));
    expect(pages).toEqual([[4, 5, 6, 7], [8, 9, 10, 11], [12]]);
  });
});

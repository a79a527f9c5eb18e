import { ChainVerifier, nextHead, type VerifiableEvent } from './chain-verifier';
import { eventHash, GENESIS_HASH } from './hash-chain';

/** A stream of `n` correctly chained events, at positions starting from `position`. */
function stream(streamId: string, n: number, position = 1): VerifiableEvent[] {
  const events: VerifiableEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let revision = 0; revision < n; revision++) {
    const event = {
      id: `${streamId}-${revision}`,
      streamId,
      revision,
      position: position + revision,
      type: 'TokenUsed',
      data: { count: revision },
      metadata: { prevHash },
    };
    prevHash = eventHash(event);
    events.push(event);
  }
  return events;
}

const verify = (events: VerifiableEvent[], partial = false) => {
  const verifier = new ChainVerifier({ partial });
  events.forEach((e) => verifier.add(e));
  return verifier.report();
};

describe('chain verifier', () => {
  it('given intact streams → ok, with the head over every event hash in order', () => {
    const events = [...stream('a', 3), ...stream('b', 2, 4)];
    const report = verify(events);
    expect(report).toMatchObject({ ok: true, streams: 2, events: 5, lastPosition: 5, broken: [], brokenCount: 0 });
    expect(report.head).toBe(events.reduce((head, e) => nextHead(head, eventHash(e)), GENESIS_HASH));
  });

  it('given an event whose data changed → names that event (its successor pins it)', () => {
    const events = stream('a', 3);
    events[1] = { ...events[1], data: { count: 99 } };
    expect(verify(events).broken).toEqual([expect.objectContaining({ position: 2, eventId: 'a-1', reason: 'altered' })]);
  });

  it('given a changed first event → bad genesis, or altered when its prevHash is intact', () => {
    const events = stream('a', 2);
    expect(verify([{ ...events[0], metadata: { prevHash: 'f'.repeat(64) } }, events[1]]).broken.map((b) => [b.position, b.reason])).toEqual([
      [1, 'bad_genesis'],
      [1, 'altered'],
    ]);
  });

  it('given a removed event → a revision gap at the event after it', () => {
    const events = stream('a', 3);
    expect(verify([events[0], events[2]]).broken).toEqual([expect.objectContaining({ position: 3, reason: 'revision_gap' })]);
    expect(verify(events.slice(1)).broken).toEqual([expect.objectContaining({ position: 2, reason: 'revision_gap' })]);
  });

  it('given a hash field that does not match the content → hash_mismatch', () => {
    const [first] = stream('a', 1);
    expect(verify([{ ...first, hash: '0'.repeat(64) }]).broken[0]).toMatchObject({ reason: 'hash_mismatch', eventId: 'a-0' });
    expect(verify([{ ...first, hash: eventHash(first) }]).ok).toBe(true);
  });

  it('partial (a filtered export) → slices of streams pass, while their consecutive links are still checked', () => {
    const events = stream('a', 5);
    expect(verify([events[1], events[3], events[4]], true).ok).toBe(true);
    const altered = { ...events[3], data: { count: -1 } };
    expect(verify([events[1], altered, events[4]], true).broken).toEqual([expect.objectContaining({ position: 4, reason: 'altered' })]);
  });

  it('lists breaks by the position of the event they name, keeping at most maxBroken', () => {
    const a = stream('a', 3);
    const b = stream('b', 3, 4);
    a[1] = { ...a[1], data: {} };
    b[0] = { ...b[0], data: {} };
    const verifier = new ChainVerifier({ maxBroken: 1 });
    [a[0], b[0], a[1], b[1], a[2], b[2]].forEach((e) => verifier.add(e));
    const report = verifier.report();
    expect(report.brokenCount).toBe(2);
    expect(report.broken).toHaveLength(1);
  });

  it('given a head recorded earlier → catches an edit to the last event of a stream, which no link covers', () => {
    const events = [...stream('a', 2), ...stream('b', 1, 3)];
    const recorded = verify(events).head;
    const edited = [...events.slice(0, 2), { ...events[2], data: { count: 42 } }];
    expect(verify(edited).ok).toBe(true);
    const check = (anchor: { position: number; head: string }, input = edited) => {
      const verifier = new ChainVerifier({ anchor });
      input.forEach((e) => verifier.add(e));
      return verifier.report();
    };
    expect(check({ position: 3, head: recorded })).toMatchObject({ ok: false, anchor: { position: 3, ok: false, actual: expect.any(String) } });
    expect(check({ position: 3, head: recorded }, events)).toMatchObject({ ok: true, anchor: { ok: true, actual: recorded } });
    expect(check({ position: 9, head: recorded }, events)).toMatchObject({ ok: false, anchor: { ok: false, actual: null } });
  });
});

import { TokenCommandError } from '../token.errors';
import { deciderSpec, projectionSpec } from './given-when-then';

/** The helper every decider spec leans on must be able to fail, or those specs prove nothing. */
type Counted = { type: 'Counted'; data: { by: number } };
const counter = {
  initialState: () => 0,
  evolve: (total: number, event: Counted) => total + event.data.by,
  decide: (command: { add: number }, total: number): Counted[] => {
    if (command.add <= 0) throw new TokenCommandError('invalid', 'not_positive', 'add a positive number');
    if (command.add === 13) throw new Error('a bug, not a refusal');
    return total + command.add > 10 ? [] : [{ type: 'Counted', data: { by: command.add } }];
  },
};
const { given } = deciderSpec(counter);
const counted = (by: number): Counted => ({ type: 'Counted', data: { by } });

describe('deciderSpec', () => {
  it('folds the history, then compares the decided events', () => {
    expect(given([counted(2), counted(3)]).state).toBe(5);
    given([counted(2)])
      .when({ add: 3 })
      .then([counted(3)]);
    given([counted(9)])
      .when({ add: 3 })
      .then([]);
    expect(() =>
      given([])
        .when({ add: 3 })
        .then([counted(4)]),
    ).toThrow();
  });

  it('thenThrows passes on the refusal code only, and fails on an accepted command or another code', () => {
    given([]).when({ add: 0 }).thenThrows('not_positive');
    expect(() => given([]).when({ add: 1 }).thenThrows('not_positive')).toThrow('the command was accepted with ["Counted"]');
    expect(() => given([]).when({ add: -1 }).thenThrows('other')).toThrow();
  });

  it('refusal hands back the TokenCommandError; any other error fails the test', () => {
    expect(given([]).when({ add: 0 }).refusal()).toMatchObject({ kind: 'invalid', code: 'not_positive' });
    expect(() => given([]).when({ add: 13 }).refusal()).toThrow();
  });
});

describe('projectionSpec', () => {
  const { given: fold } = projectionSpec((doc: number[] | null, event: Counted) => [...(doc ?? []), event.data.by], null);
  it('folds events from the initial document', () => {
    expect(fold([]).doc).toBeNull();
    fold([counted(1), counted(2)]).then([1, 2]);
    expect(() => fold([counted(1)]).then([2])).toThrow();
  });
});

import { TokenCommandError } from '../token.errors';

/**
 * The one given/when/then for deciders and projections (docs/contributing.md, "Testing a decider
 * or a projection"). Test-only: it calls jest's `expect`, so the build and mutation testing leave
 * this folder out (tsconfig.build.json, stryker.config.js).
 */
export interface DeciderUnderTest<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** `deciderSpec(tokenDecider).given(events).when(command).then(events) | thenThrows(code) | thenRefuses(kind, code) | refusal()` */
export function deciderSpec<Command, Event, State>(decider: DeciderUnderTest<Command, Event, State>) {
  const given = (history: Event[]) => {
    const state = history.reduce((s, e) => decider.evolve(s, e), decider.initialState());
    const when = (command: Command) => {
      /** The error the command is refused with; fails the test when it is accepted. */
      const refusal = (): TokenCommandError => {
        let decided: Event[];
        try {
          decided = decider.decide(command, state);
        } catch (error) {
          expect(error).toBeInstanceOf(TokenCommandError);
          return error as TokenCommandError;
        }
        throw new Error(`the command was accepted with ${JSON.stringify(decided.map((e) => (e as { type?: unknown }).type))}`);
      };
      return {
        /** The events decided (throws what decide throws). */
        events: (): Event[] => decider.decide(command, state),
        then: (expected: Event[]) => expect(decider.decide(command, state)).toEqual(expected),
        thenThrows: (code: string) => expect(refusal().code).toBe(code),
        /** Refused with this kind (the HTTP status it maps to) and code. */
        thenRefuses: (kind: TokenCommandError['kind'], code: string) => expect(refusal()).toMatchObject({ kind, code }),
        refusal,
      };
    };
    return { state, when };
  };
  return { given };
}

/** `projectionSpec(evolve, initial).given(events).then(doc)`, or `.doc` to look closer: a projection is a pure fold. */
export function projectionSpec<Event, Doc>(evolve: (doc: Doc, event: Event) => Doc, initial: Doc) {
  return {
    given: (events: Event[]) => {
      const doc = events.reduce(evolve, initial);
      return { doc, then: (expected: Doc) => expect(doc).toEqual(expected) };
    },
  };
}

import { isTokenEvent, tokenNotFound, type ReminderKind, type ReminderSent, type TokenEvent } from '@ledger/token-domain';
import { reminderId } from './reminder';
import { evolveReminderToken, type ReminderTokenState } from './reminder-token';

/** A reminder was delivered; the ledger records it once, however often the job ran. */
export type RecordReminderSent = {
  type: 'RecordReminderSent';
  data: {
    tokenId: string;
    projectId: string;
    kind: ReminderKind;
    due: string;
    channel: string;
    attempt: number;
    now: Date;
  };
};

export function decideReminder(command: RecordReminderSent, state: ReminderTokenState): ReminderSent[] {
  const { data } = command;
  if (!state || state.projectId !== data.projectId) throw tokenNotFound(data.tokenId);
  // A job that ran twice (a worker killed after delivering, a retry after a lost answer) records once.
  if (state.sent.includes(reminderId(data.tokenId, data.kind, data.due))) return [];
  return [
    {
      type: 'ReminderSent',
      data: {
        tokenId: data.tokenId,
        projectId: data.projectId,
        kind: data.kind,
        due: new Date(data.due).toISOString(),
        channel: data.channel,
        deliveredAt: data.now.toISOString(),
        attempt: data.attempt,
      },
    },
  ];
}

/** Decides on the token's own stream, next to the token decider (same events, other questions). */
export const reminderDecider = {
  decide: decideReminder,
  evolve: (state: ReminderTokenState, event: TokenEvent) => evolveReminderToken(state, event),
  initialState: (): ReminderTokenState => null,
  isEvent: isTokenEvent,
};

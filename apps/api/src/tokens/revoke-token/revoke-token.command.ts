import type { CommandContext } from '@ledger/event-store';
import type { Caller } from '../../credentials/caller';

export class RevokeTokenCommand {
  constructor(
    readonly projectId: string,
    readonly tokenId: string,
    readonly reason: string | null,
    readonly caller: Caller,
    readonly context: CommandContext,
  ) {}
}

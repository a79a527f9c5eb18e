import type { CommandContext } from '@ledger/event-store';

export class RevokeTokenCommand {
  constructor(
    readonly projectId: string,
    readonly tokenId: string,
    readonly reason: string | null,
    readonly context: CommandContext,
  ) {}
}

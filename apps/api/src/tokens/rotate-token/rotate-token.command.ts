import type { CommandContext } from '@ledger/event-store';
import type { Caller } from '../../credentials/caller';
import type { RotateTokenRequest } from './rotate-token.request.dto';

export class RotateTokenCommand {
  constructor(
    readonly projectId: string,
    readonly tokenId: string,
    readonly request: RotateTokenRequest,
    readonly caller: Caller,
    readonly context: CommandContext,
  ) {}
}

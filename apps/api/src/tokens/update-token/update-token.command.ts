import type { CommandContext } from '@ledger/event-store';
import type { Caller } from '../../credentials/caller';
import type { UpdateTokenRequest } from './update-token.request.dto';

export class UpdateTokenCommand {
  constructor(
    readonly projectId: string,
    readonly tokenId: string,
    readonly request: UpdateTokenRequest,
    readonly caller: Caller,
    readonly context: CommandContext,
  ) {}
}

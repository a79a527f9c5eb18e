import type { CommandContext } from '@ledger/event-store';
import type { Caller } from '../../credentials/caller';
import type { CreateTokenRequest } from './create-token.request.dto';

export class CreateTokenCommand {
  constructor(
    readonly projectId: string,
    readonly request: CreateTokenRequest,
    readonly caller: Caller,
    readonly context: CommandContext,
  ) {}
}

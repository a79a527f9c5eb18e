import type { Command } from 'commander';
import type { SourceOptions } from '../ledger-source';
import { tokensCreateCommand } from './tokens-create.command';
import { tokensListCommand } from './tokens-list.command';
import { tokensRevokeCommand } from './tokens-revoke.command';
import { tokensRotateCommand } from './tokens-rotate.command';
import { tokensShowCommand } from './tokens-show.command';
import { tokensUpdateCommand } from './tokens-update.command';

export function tokensCommand(program: Command, sourceOptions: () => SourceOptions): void {
  const tokens = program.command('tokens').description('list, show, create, rotate, revoke and edit tokens');
  tokensListCommand(tokens, sourceOptions);
  tokensShowCommand(tokens, sourceOptions);
  tokensCreateCommand(tokens, sourceOptions);
  tokensRotateCommand(tokens, sourceOptions);
  tokensRevokeCommand(tokens, sourceOptions);
  tokensUpdateCommand(tokens, sourceOptions);
}

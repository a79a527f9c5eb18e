import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Caller } from '../credentials/caller';
import type { RequestWithCaller } from './caller.guard';

/** The caller the CallerGuard authenticated. */
export const CurrentCaller = createParamDecorator(
  (_: unknown, context: ExecutionContext): Caller => context.switchToHttp().getRequest<RequestWithCaller>().caller as Caller,
);

import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ReminderScheduler } from '@ledger/reminders';
import { mayAct, type Caller } from '../credentials/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { RequireScope } from '../auth/require-scope.decorator';
import { ApiError } from '../http/api-error';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { REMINDER_SCHEDULER } from './reminder.tokens';
import { RetriedReminder } from './reminder.view';

const REMINDER_ID = /^tok_[0-9A-Za-z]{1,40}\.(expiry_warning|expired|rotation_due)\.\d{1,16}$/;

/** Puts a dead letter back in line (a fresh set of attempts, now), e.g. once the receiver is fixed. */
@ApiTags('reminders')
@Controller('v1/reminders')
export class RetryReminderHttpController {
  constructor(@Inject(REMINDER_SCHEDULER) private readonly scheduler: ReminderScheduler) {}

  @Post(':reminderId/retry')
  @HttpCode(202)
  @RequireScope('admin')
  @ApiOperation({ operationId: 'retryReminder', summary: 'Put a failed reminder (a dead letter) back in line' })
  @ApiErrors([404], { 404: 'No dead letter with this id in a project the caller administers' })
  @ApiAcceptedResponse({ type: RetriedReminder })
  async retry(@Param('reminderId') reminderId: string, @CurrentCaller() caller: Caller): Promise<RetriedReminder> {
    const notFound = ApiError.notFound(`no failed reminder ${reminderId.slice(0, 100)}`);
    if (!REMINDER_ID.test(reminderId)) throw notFound;
    const dead = (await this.scheduler.deadLetters()).find((d) => d.reminder.id === reminderId);
    // Another project's dead letter is as absent as an unknown one.
    if (!dead || !mayAct(caller, 'admin', dead.reminder.projectId)) throw notFound;
    if (!(await this.scheduler.retryDeadLetter(reminderId))) throw notFound;
    return { id: reminderId, status: 'retrying' };
  }
}

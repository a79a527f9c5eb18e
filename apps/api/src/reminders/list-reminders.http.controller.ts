import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReminderReadModel, type ReminderScheduler } from '@ledger/reminders';
import { isRoot, mayAct, type Caller } from '../credentials/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { RequireScope } from '../auth/require-scope.decorator';
import { ApiError } from '../http/api-error';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { ListRemindersRequest } from './list-reminders.request.dto';
import { REMINDER_SCHEDULER } from './reminder.tokens';
import { ReminderPage, type ReminderView } from './reminder.view';

/** Redis may be down: answer 503 in time rather than hang (ioredis queues commands while offline). */
const QUEUE_TIMEOUT_MS = 2000;

async function answerWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } catch {
    throw new ApiError(503, 'reminder_queue_unavailable', 'the reminder queue (Redis) does not answer; retry shortly', undefined, { 'retry-after': '5' });
  } finally {
    clearTimeout(timer);
  }
}

/** Admins see what ops were (or will be) told: pending, sent, failed (dead letters), cancelled. */
@ApiTags('reminders')
@Controller('v1/reminders')
export class ListRemindersHttpController {
  constructor(
    private readonly readModel: ReminderReadModel,
    @Inject(REMINDER_SCHEDULER) private readonly scheduler: ReminderScheduler,
  ) {}

  @Get()
  @RequireScope('admin')
  @ApiOperation({ operationId: 'listReminders', summary: 'Reminders of a project: pending, sent, failed, cancelled' })
  @ApiErrors([400], { 503: 'The reminder queue (Redis) does not answer, or the store is unavailable (Retry-After)' })
  @ApiOkResponse({ type: ReminderPage })
  async list(@Query() query: ListRemindersRequest, @CurrentCaller() caller: Caller): Promise<ReminderPage> {
    const projectId = query.projectId ?? (isRoot(caller) ? undefined : caller.projectId);
    if (projectId && !mayAct(caller, 'admin', projectId)) {
      throw ApiError.forbidden(`this token needs scope admin on project ${projectId}`, 'admin');
    }
    const limit = query.limit ?? 100;
    const dead = (await answerWithin(this.scheduler.deadLetters(), QUEUE_TIMEOUT_MS)).filter((d) => !projectId || d.reminder.projectId === projectId);
    const failed: ReminderView[] = dead.map((d) => ({
      ...d.reminder,
      status: 'failed',
      channel: null,
      deliveredAt: null,
      attempt: d.attempts,
      error: d.error,
      failedAt: d.failedAt,
    }));
    if (query.status === 'failed') return { items: failed.slice(0, limit) };
    const failedIds = new Set(failed.map((f) => f.id));
    const status = query.status === undefined ? undefined : query.status;
    const rows = this.readModel
      .rows({ projectId, status, limit: limit + failedIds.size })
      .map((row): ReminderView => (failedIds.has(row.id) && row.status === 'pending' ? failed.find((f) => f.id === row.id)! : row))
      .filter((view) => status === undefined || view.status === status);
    return { items: rows.slice(0, limit) };
  }
}

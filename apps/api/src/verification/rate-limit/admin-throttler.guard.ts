import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { ApiError } from '../../http/api-error';

/**
 * The throttler's guard, answering in the project's error shape with a plain Retry-After for
 * every bucket (the library names it Retry-After-<bucket> for any but its default one, which
 * clients do not read).
 */
@Injectable()
export class AdminThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const seconds = Math.max(1, detail.timeToBlockExpire);
    const bucket = detail.tracker.startsWith('project:') ? "this token's project" : detail.tracker.startsWith('token:') ? 'this token' : 'this client';
    throw new ApiError(429, 'too_many_requests', `admin API rate limit reached for ${bucket}; retry in ${seconds} s`, undefined, {
      'retry-after': String(seconds),
    });
  }
}

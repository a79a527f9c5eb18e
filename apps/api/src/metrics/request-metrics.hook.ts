import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { LedgerMetrics, RateLimitBucket } from './ledger-metrics';

declare module 'fastify' {
  interface FastifyReply {
    /** The `error.code` of an error answer (set where errors are sent), for the 429 bucket. */
    errorCode: string | null;
  }
}

/** too_many_failed_attempts comes from the failed-credential bucket, anything else from the admin limit. */
const bucketOf = (reply: FastifyReply): RateLimitBucket => (reply.errorCode === 'too_many_failed_attempts' ? 'failed_credentials' : 'admin');

/**
 * Latency by route and the 429 count, from an onResponse hook that each route gets when it is
 * registered (onRoute), so the hook knows its route template without building
 * request.routeOptions (a new object per access) on every request. The time is Fastify's own
 * reply.elapsedTime: no extra clock read. Routes registered before this call are not measured,
 * so it runs before Nest and the hot path add theirs.
 */
export function registerRequestMetrics(fastify: FastifyInstance, metrics: LedgerMetrics): void {
  fastify.decorateReply('errorCode', null);
  if (!metrics.enabled) return;
  fastify.addHook('onRoute', (route) => {
    const url = route.url;
    const measure = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
      const status = reply.statusCode;
      metrics.answered(url, request.method, status, reply.elapsedTime / 1000);
      if (status === 429) metrics.refused(bucketOf(reply));
      done();
    };
    const existing = route.onResponse === undefined ? [] : Array.isArray(route.onResponse) ? route.onResponse : [route.onResponse];
    route.onResponse = [...existing, measure];
  });
}

import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { EventStore } from '@ledger/event-store';
import { tokenStreamId } from '@ledger/token-domain';
import { ApiError } from '../../http/api-error';
import { EVENT_STORE } from '../../store/ledger-store.tokens';
import { toAuditEvent, type AuditEventPage } from './audit-event.view';
import { TokenHistoryQuery } from './token-history.query';

/** Read from the store itself, not the read model: auditors get the record as written. */
@QueryHandler(TokenHistoryQuery)
export class TokenHistoryHandler implements IQueryHandler<TokenHistoryQuery, AuditEventPage> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ projectId, tokenId }: TokenHistoryQuery): Promise<AuditEventPage> {
    const events = await this.store.readStream(tokenStreamId(tokenId));
    if (events.length === 0 || events[0].data.projectId !== projectId) {
      throw ApiError.notFound(`token ${tokenId} does not exist in this project`);
    }
    return { items: events.map(toAuditEvent) };
  }
}

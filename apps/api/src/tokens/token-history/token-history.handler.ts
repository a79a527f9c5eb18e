import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { EventStore } from '@ledger/event-store';
import { tokenStreamId } from '@ledger/token-domain';
import { ApiError } from '../../http/api-error';
import { EVENT_STORE } from '../../store/ledger-store.tokens';
import { toAuditEvent, type TokenHistoryPage } from './audit-event.view';
import { TokenHistoryQuery } from './token-history.query';
import { withoutClientDetails } from './token-history.redaction';

/** Read from the store itself, not the read model: auditors get the record as written; other readers without client details. */
@QueryHandler(TokenHistoryQuery)
export class TokenHistoryHandler implements IQueryHandler<TokenHistoryQuery, TokenHistoryPage> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ projectId, tokenId, full }: TokenHistoryQuery): Promise<TokenHistoryPage> {
    const events = await this.store.readStream(tokenStreamId(tokenId));
    if (events.length === 0 || events[0].data.projectId !== projectId) {
      throw ApiError.notFound(`token ${tokenId} does not exist in this project`);
    }
    const items = events.map(toAuditEvent);
    return { items: full ? items : items.map(withoutClientDetails), redacted: !full };
  }
}

import { Controller, Get, Post } from '@nestjs/common';
import { LedgerToken, RequireScopes } from '@ledger/client/nest';
import type { VerifiedToken } from '@ledger/client';

/** A service's own routes, protected by ledger tokens: reading needs orders:read, writing orders:write. */
@Controller('orders')
export class OrdersHttpController {
  @Get()
  @RequireScopes('orders:read')
  list(@LedgerToken() token: VerifiedToken) {
    return { orders: [{ id: 'o-1', total: 42 }], readBy: token.id };
  }

  @Post()
  @RequireScopes('orders:write')
  create(@LedgerToken() token: VerifiedToken) {
    return { id: 'o-2', createdBy: token.ownerId ?? token.id };
  }
}

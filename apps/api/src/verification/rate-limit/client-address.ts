import { Inject, Injectable } from '@nestjs/common';
import { BlockList, isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { LedgerConfig } from '@ledger/config';
import { LEDGER_CONFIG } from '../../store/ledger-store.tokens';

const family = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');
const unmapped = (address: string) => (address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address);

/**
 * The end client's address, for brute-force buckets. Fastify already resolves X-Forwarded-For
 * against TRUSTED_PROXIES (its `trustProxy` option, see app.factory.ts) into `request.ip`; this
 * adds X-Real-IP (nginx's habit) when no X-Forwarded-For came and the direct peer is trusted.
 * From an untrusted peer both headers are ignored: anyone could write them.
 */
@Injectable()
export class ClientAddress {
  private readonly trusted = new BlockList();
  private readonly anyTrusted: boolean;

  constructor(@Inject(LEDGER_CONFIG) config: LedgerConfig) {
    for (const entry of config.verification.trustedProxies) {
      const [address, bits] = entry.split('/');
      if (bits === undefined) this.trusted.addAddress(address, family(address));
      else this.trusted.addSubnet(address, Number(bits), family(address));
    }
    this.anyTrusted = config.verification.trustedProxies.length > 0;
  }

  of(request: FastifyRequest): string {
    const ip = unmapped(request.ip);
    if (!this.anyTrusted || request.headers['x-forwarded-for'] !== undefined) return ip;
    const realIp = request.headers['x-real-ip'];
    if (typeof realIp !== 'string' || !isIP(realIp.trim())) return ip;
    const peer = unmapped(request.socket.remoteAddress ?? '');
    return peer && this.trusted.check(peer, family(peer)) ? realIp.trim() : ip;
  }
}

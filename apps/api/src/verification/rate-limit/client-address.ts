import { Inject, Injectable } from '@nestjs/common';
import { BlockList, isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { LedgerConfig } from '@ledger/config';
import { LEDGER_CONFIG } from '../../store/ledger-store.tokens';

const family = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');
const unmapped = (address: string) => (address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address);

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted IPv4 counts as two). */
function ipv6Groups(address: string): number[] {
  const parse = (part: string) =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [parseInt(group, 16)];
          const [a, b, c, d] = group.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head, tail] = address.split('::');
  if (tail === undefined) return parse(head);
  const [before, after] = [parse(head), parse(tail)];
  return [...before, ...Array<number>(8 - before.length - after.length).fill(0), ...after];
}

/**
 * The brute-force bucket of an address: IPv4 as is, IPv6 by its /64, the block one subscriber
 * or one host is handed (RFC 6177); IPv4-mapped IPv6 as the IPv4 it is, so that walking through the 2^64 addresses of one's own
 * network brings no fresh bucket. Anything that is not an address (a test's fake) stays itself.
 */
export function addressBucket(address: string): string {
  const bare = unmapped(address.split('%')[0]); // a zone (fe80::1%eth0) names an interface, not a host
  if (isIP(bare) === 4) return bare;
  if (isIP(bare) !== 6) return address;
  return `${ipv6Groups(bare.toLowerCase())
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

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

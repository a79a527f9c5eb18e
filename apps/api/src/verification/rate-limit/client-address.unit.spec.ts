import { addressBucket } from './client-address';

describe('addressBucket: the brute-force bucket of a client address', () => {
  it('keeps IPv4 as is, and IPv4-mapped IPv6 as the IPv4 it is', () => {
    expect(addressBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucket('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('groups IPv6 by /64: every address of one network shares a bucket', () => {
    const bucket = '2001:db8:1:2::/64';
    expect(addressBucket('2001:db8:1:2::1')).toBe(bucket);
    expect(addressBucket('2001:db8:1:2:ffff:ffff:ffff:fffe')).toBe(bucket);
    expect(addressBucket('2001:0DB8:0001:0002:0:0:0:9')).toBe(bucket);
    expect(addressBucket('2001:db8:1:2:a:b:192.0.2.1')).toBe(bucket);
    expect(addressBucket('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('gives neighbouring /64 networks buckets of their own', () => {
    expect(addressBucket('2001:db8:1:3::1')).not.toBe(addressBucket('2001:db8:1:2::1'));
    expect(addressBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
    expect(addressBucket('1::2:3:4:5:6:7')).toBe('1:0:2:3::/64');
  });

  it('leaves what is not an address unchanged', () => {
    expect(addressBucket('unknown')).toBe('unknown');
  });
});

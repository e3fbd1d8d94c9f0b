import { describe, expect, it } from 'vitest';
import { ipNetworkContains, parseIpAddress, parseIpNetwork } from './ip-network.js';

const bytes = (text: string) => [...(parseIpAddress(text)?.bytes ?? [])];
const contains = (network: string, address: string) => {
  const net = parseIpNetwork(network);
  if (net === undefined) throw new Error(`bad network ${network}`);
  return ipNetworkContains(net, address);
};

describe('parseIpAddress', () => {
  it('parses dotted-quad IPv4', () => {
    expect(parseIpAddress('10.8.1.100')).toEqual({
      version: 4,
      bytes: Uint8Array.of(10, 8, 1, 100),
    });
    expect(bytes('0.0.0.0')).toEqual([0, 0, 0, 0]);
    expect(bytes('255.255.255.255')).toEqual([255, 255, 255, 255]);
  });

  it.each(['', '10.8.1', '10.8.1.1.1', '256.0.0.1', '01.2.3.4', '1..2.3', '1.2.3.4 ', 'a.b.c.d'])(
    'rejects IPv4 %j',
    (text) => expect(parseIpAddress(text)).toBeUndefined(),
  );

  it('parses IPv6 forms', () => {
    expect(bytes('::')).toEqual(new Array<number>(16).fill(0));
    expect(bytes('::1')).toEqual([...new Array<number>(15).fill(0), 1]);
    expect(bytes('1::')).toEqual([0, 1, ...new Array<number>(14).fill(0)]);
    expect(bytes('2001:DB8::ff00:42:8329')).toEqual([
      0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0x00, 0x00, 0x42, 0x83, 0x29,
    ]);
    expect(bytes('1:2:3:4:5:6:7:8')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
    expect(bytes('1:2:3:4:5:6:7::')).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0]);
    expect(bytes('::ffff:10.8.1.1')).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 10, 8, 1, 1]);
    expect(parseIpAddress('::1')?.version).toBe(6);
  });

  it.each([
    ':',
    ':::',
    '1:::2',
    '1::2::3',
    ':1::',
    '1:',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:8::',
    '12345::',
    'g::',
    '1.2.3.4::',
    '::1.2.3',
    'fe80::1%eth0',
  ])('rejects IPv6 %j', (text) => expect(parseIpAddress(text)).toBeUndefined());
});

describe('parseIpNetwork', () => {
  it('reads a prefix length; no prefix means one address', () => {
    expect(parseIpNetwork('10.8.1.100/24')?.prefixLength).toBe(24);
    expect(parseIpNetwork('10.8.1.100')?.prefixLength).toBe(32);
    expect(parseIpNetwork('2001:db8::/48')?.prefixLength).toBe(48);
    expect(parseIpNetwork('2001:db8::')?.prefixLength).toBe(128);
    expect(parseIpNetwork('10.0.0.0/0')?.prefixLength).toBe(0);
    expect(parseIpNetwork('10.0.0.0/024')?.prefixLength).toBe(24);
  });

  it('reads IPv4 netmasks and hostmasks', () => {
    expect(parseIpNetwork('10.0.0.0/255.255.255.0')?.prefixLength).toBe(24);
    expect(parseIpNetwork('10.0.0.0/255.255.255.255')?.prefixLength).toBe(32);
    expect(parseIpNetwork('10.0.0.0/0.0.0.0')?.prefixLength).toBe(0);
    expect(parseIpNetwork('10.0.0.0/0.0.0.255')?.prefixLength).toBe(24);
  });

  it.each([
    '10.0.0.0/33',
    '10.0.0.0/',
    '10.0.0.0/255.0.255.0',
    '::/129',
    '::/ffff::',
    'x/24',
    '/24',
  ])('rejects %j', (text) => expect(parseIpNetwork(text)).toBeUndefined());
});

describe('ipNetworkContains', () => {
  it('IPv4 membership by prefix', () => {
    expect(contains('10.8.1.100/24', '10.8.1.1')).toBe(true);
    expect(contains('10.8.1.100/24', '10.8.2.1')).toBe(false);
    expect(contains('10.8.1.100/32', '10.8.1.100')).toBe(true);
    expect(contains('10.8.1.100/32', '10.8.1.1')).toBe(false);
    expect(contains('0.0.0.0/0', '255.255.255.255')).toBe(true);
    expect(contains('128.0.0.0/1', '200.1.1.1')).toBe(true);
    expect(contains('128.0.0.0/1', '127.255.255.255')).toBe(false);
    expect(contains('10.8.1.100/23', '10.8.0.7')).toBe(true);
  });

  it('IPv6 membership by prefix, including partial bytes', () => {
    expect(contains('2001:db8::/32', '2001:db8:ffff::1')).toBe(true);
    expect(contains('2001:db8::/32', '2001:db9::1')).toBe(false);
    expect(contains('2001:db8:80::/41', '2001:db8:ff::1')).toBe(true);
    expect(contains('2001:db8:80::/41', '2001:db8:7f::1')).toBe(false);
    expect(contains('::/0', '::1')).toBe(true);
    expect(contains('::1', '::1')).toBe(true);
  });

  it('other IP version or malformed address: not contained', () => {
    expect(contains('10.0.0.0/8', '::ffff:10.0.0.1')).toBe(false);
    expect(contains('::/0', '10.0.0.1')).toBe(false);
    expect(contains('10.0.0.0/8', '10.0.0')).toBe(false);
    expect(contains('::/0', '::g')).toBe(false);
  });
});

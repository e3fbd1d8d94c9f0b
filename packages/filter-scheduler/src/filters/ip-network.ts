/**
 * A small, strict IPv4/IPv6 address and network parser for
 * SimpleCIDRAffinityFilter (nova uses `netaddr`). Accepted: dotted-quad IPv4
 * (no leading zeros, no short forms such as `10.1`), RFC 4291 IPv6 text
 * (`::` compression, an IPv4 tail; no zone id), and networks written
 * `address[/prefix]` where `prefix` is a decimal length, or for IPv4 a
 * netmask (`/255.255.255.0`) or hostmask (`/0.0.0.255`), as netaddr allows.
 * A missing prefix means a single address. Parsers return `undefined` on
 * malformed text; they never throw.
 */

/** A parsed network. `bytes` holds the address as written (host bits kept). */
export interface IpNetwork {
  readonly version: 4 | 6;
  readonly bytes: Uint8Array;
  readonly prefixLength: number;
}

const DOT = 46;
const COLON = 58;

function digitAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57 ? c - 48 : -1;
}

function hexAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Dotted-quad IPv4 in `s[start, end)` as an unsigned 32-bit number, or -1. */
function parseIpv4Range(s: string, start: number, end: number): number {
  let value = 0;
  let octets = 0;
  let i = start;
  while (octets < 4) {
    const first = i;
    let octet = 0;
    while (i < end && i - first < 4) {
      const d = digitAt(s, i);
      if (d < 0) break;
      octet = octet * 10 + d;
      i += 1;
    }
    const len = i - first;
    if (len === 0 || len > 3 || octet > 255 || (len > 1 && s.charCodeAt(first) === 48)) return -1;
    value = value * 256 + octet;
    octets += 1;
    if (octets < 4) {
      if (i >= end || s.charCodeAt(i) !== DOT) return -1;
      i += 1;
    }
  }
  return i === end ? value : -1;
}

/** IPv6 text in `s[start, end)` into `out` (16 bytes); false when malformed. */
function parseIpv6Range(s: string, start: number, end: number, out: Uint8Array): boolean {
  if (end - start < 2) return false;
  let groups = 0;
  let gap = -1;
  let i = start;
  if (s.charCodeAt(i) === COLON) {
    if (s.charCodeAt(i + 1) !== COLON) return false;
    gap = 0;
    i += 2;
  }
  while (i < end) {
    let j = i;
    let hasDot = false;
    while (j < end && s.charCodeAt(j) !== COLON) {
      if (s.charCodeAt(j) === DOT) hasDot = true;
      j += 1;
    }
    if (hasDot) {
      if (j !== end || groups > 6) return false;
      const v4 = parseIpv4Range(s, i, j);
      if (v4 < 0) return false;
      out[groups * 2] = v4 >>> 24;
      out[groups * 2 + 1] = (v4 >>> 16) & 0xff;
      out[groups * 2 + 2] = (v4 >>> 8) & 0xff;
      out[groups * 2 + 3] = v4 & 0xff;
      groups += 2;
      break;
    }
    const len = j - i;
    if (len === 0 || len > 4 || groups >= 8) return false;
    let group = 0;
    for (let k = i; k < j; k += 1) {
      const h = hexAt(s, k);
      if (h < 0) return false;
      group = group * 16 + h;
    }
    out[groups * 2] = group >>> 8;
    out[groups * 2 + 1] = group & 0xff;
    groups += 1;
    if (j === end) break;
    if (j + 1 < end && s.charCodeAt(j + 1) === COLON) {
      if (gap >= 0) return false;
      gap = groups;
      i = j + 2;
    } else {
      i = j + 1;
      if (i === end) return false;
    }
  }
  if (gap < 0) return groups === 8;
  if (groups > 7) return false;
  const tail = (groups - gap) * 2;
  out.copyWithin(16 - tail, gap * 2, groups * 2);
  out.fill(0, gap * 2, 16 - tail);
  return true;
}

function isIpv6(s: string, start: number, end: number): boolean {
  const i = s.indexOf(':', start);
  return i >= 0 && i < end;
}

function ipv4Bytes(value: number): Uint8Array {
  return Uint8Array.of(value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
}

/** Parses an IPv4 or IPv6 address. */
export function parseIpAddress(text: string): { version: 4 | 6; bytes: Uint8Array } | undefined {
  if (isIpv6(text, 0, text.length)) {
    const bytes = new Uint8Array(16);
    return parseIpv6Range(text, 0, text.length, bytes) ? { version: 6, bytes } : undefined;
  }
  const v4 = parseIpv4Range(text, 0, text.length);
  return v4 < 0 ? undefined : { version: 4, bytes: ipv4Bytes(v4) };
}

function popcount32(v: number): number {
  let n = 0;
  let x = v >>> 0;
  while (x !== 0) {
    x &= x - 1;
    n += 1;
  }
  return n;
}

/** Prefix length written after `/` at `s[start, end)`, or -1. */
function parsePrefix(s: string, start: number, end: number, version: 4 | 6): number {
  const width = version === 4 ? 32 : 128;
  let allDigits = end > start;
  let n = 0;
  for (let i = start; allDigits && i < end; i += 1) {
    const d = digitAt(s, i);
    if (d < 0) allDigits = false;
    else n = Math.min(n * 10 + d, 1000);
  }
  if (allDigits) return n <= width ? n : -1;
  if (version === 6) return -1;
  const mask = parseIpv4Range(s, start, end);
  if (mask < 0) return -1;
  const inverse = ~mask >>> 0;
  if ((inverse & (inverse + 1)) === 0) return 32 - popcount32(inverse); // netmask
  if ((mask & (mask + 1)) === 0) return 32 - popcount32(mask); // hostmask
  return -1;
}

/** Parses `address[/prefix]`; the address part decides the IP version. */
export function parseIpNetwork(text: string): IpNetwork | undefined {
  const slash = text.indexOf('/');
  const addrEnd = slash < 0 ? text.length : slash;
  let version: 4 | 6;
  let bytes: Uint8Array;
  if (isIpv6(text, 0, addrEnd)) {
    version = 6;
    bytes = new Uint8Array(16);
    if (!parseIpv6Range(text, 0, addrEnd, bytes)) return undefined;
  } else {
    version = 4;
    const v4 = parseIpv4Range(text, 0, addrEnd);
    if (v4 < 0) return undefined;
    bytes = ipv4Bytes(v4);
  }
  const prefixLength =
    slash < 0 ? bytes.length * 8 : parsePrefix(text, slash + 1, text.length, version);
  if (prefixLength < 0) return undefined;
  return { version, bytes, prefixLength };
}

const scratch = new Uint8Array(16);

function bytesMatch(a: Uint8Array, b: Uint8Array, prefixLength: number): boolean {
  const whole = prefixLength >>> 3;
  for (let i = 0; i < whole; i += 1) if (a[i] !== b[i]) return false;
  const bits = prefixLength & 7;
  if (bits === 0) return true;
  const mask = (0xff << (8 - bits)) & 0xff;
  return ((a[whole] ?? 0) & mask) === ((b[whole] ?? 0) & mask);
}

/**
 * Whether the address `text` lies in `network`. A malformed address, or one
 * of the other IP version, is not in it. Allocation-free for IPv4.
 */
export function ipNetworkContains(network: IpNetwork, text: string): boolean {
  if (isIpv6(text, 0, text.length)) {
    if (network.version !== 6) return false;
    return (
      parseIpv6Range(text, 0, text.length, scratch) &&
      bytesMatch(scratch, network.bytes, network.prefixLength)
    );
  }
  if (network.version !== 4) return false;
  const v4 = parseIpv4Range(text, 0, text.length);
  if (v4 < 0) return false;
  const b = network.bytes;
  const net = (((b[0] ?? 0) << 24) | ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0)) >>> 0;
  const mask = network.prefixLength === 0 ? 0 : ~0 << (32 - network.prefixLength);
  return ((v4 ^ net) & mask) === 0;
}

import { isIP } from 'node:net';
import { ParleyError } from '../../protocol/errors';

type IpVersion = 4 | 6;

export interface Cidr {
  version: IpVersion;
  /** Canonical, e.g. '10.0.0.0/8', '2001:db8::/32'. */
  text: string;
}

/** An address as one number, so masks and range tests are plain arithmetic for either family. */
interface Address {
  version: IpVersion;
  value: bigint;
}

interface Range {
  version: IpVersion;
  network: bigint;
  prefix: number;
}

const bitsOf: Record<IpVersion, number> = { 4: 32, 6: 128 };

/** IPv4-mapped IPv6 (::ffff:0:0/96): dual-stack sockets report IPv4 peers this way. */
const mappedPrefixLength = 96;
const mappedMarker = 0xffffn;
const ipv4Bits = 0xffffffffn;

function parseIpv4(text: string): bigint {
  return text.split('.').reduce((value, octet) => (value << 8n) | BigInt(octet), 0n);
}

/** Hextets of one side of a '::', expanding a trailing dotted IPv4 part into two hextets. */
function hextets(part: string): bigint[] {
  if (part === '') return [];
  return part.split(':').flatMap((group) => {
    if (!group.includes('.')) return [BigInt(`0x${group}`)];
    const ipv4 = parseIpv4(group);
    return [ipv4 >> 16n, ipv4 & 0xffffn];
  });
}

function parseIpv6(text: string): bigint {
  const [head = '', tail = ''] = text.split('::');
  const headHextets = hextets(head);
  const tailHextets = hextets(tail);
  const elided = Array.from({ length: 8 - headHextets.length - tailHextets.length }, () => 0n);
  return [...headHextets, ...elided, ...tailHextets].reduce((value, hextet) => (value << 16n) | hextet, 0n);
}

/** A plain literal: no zone, no prefix. Syntax is node's to judge; the arithmetic is ours. */
function parseLiteral(text: string): Address | null {
  if (text.includes('%')) return null;
  switch (isIP(text)) {
    case 4:
      return { version: 4, value: parseIpv4(text) };
    case 6:
      return { version: 6, value: parseIpv6(text) };
    default:
      return null;
  }
}

function isMapped(address: Address): boolean {
  return address.version === 6 && address.value >> 32n === mappedMarker;
}

/** One client must not look like two depending on which socket family accepted it. */
function unmapped(address: Address): Address {
  return isMapped(address) ? { version: 4, value: address.value & ipv4Bits } : address;
}

/** Link-local peers carry an interface ('fe80::1%eth0'), which says nothing about who they are. */
function withoutZone(text: string): string {
  const zoneStart = text.indexOf('%');
  return zoneStart > 0 && text.includes(':') ? text.slice(0, zoneStart) : text;
}

function parseAddress(text: string): Address | null {
  const literal = parseLiteral(withoutZone(text));
  return literal === null ? null : unmapped(literal);
}

function requireAddress(text: string): Address {
  const address = parseAddress(text);
  if (address === null) throw new ParleyError('invalid_request', `Not a valid IP address: "${text}"`);
  return address;
}

function mask(prefix: number, bits: number): bigint {
  return ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
}

function networkOf(address: Address, prefix: number): bigint {
  return address.value & mask(prefix, bitsOf[address.version]);
}

function rangeOf(address: Address, prefix: number): Range {
  // '::ffff:10.0.0.0/104' is an IPv4 rule in disguise; wider mapped ranges stay IPv6.
  if (isMapped(address) && prefix >= mappedPrefixLength) {
    return rangeOf(unmapped(address), prefix - mappedPrefixLength);
  }
  return { version: address.version, network: networkOf(address, prefix), prefix };
}

function parseRange(text: string): Range | null {
  const match = /^([^/]+)(?:\/(\d{1,3}))?$/.exec(text);
  if (match === null) return null;
  const [, literal = '', prefixText] = match;
  const address = parseLiteral(literal);
  if (address === null) return null;
  const bits = bitsOf[address.version];
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  return prefix <= bits ? rangeOf(address, prefix) : null;
}

function requireRange(text: string): Range {
  const range = parseRange(text);
  if (range === null) throw new ParleyError('invalid_request', `Not a valid CIDR range: "${text}"`);
  return range;
}

/** The first longest run of two or more zero hextets, which RFC 5952 writes as '::'. */
function longestZeroRun(groups: readonly bigint[]): { start: number; length: number } | null {
  let longest = { start: 0, length: 0 };
  let runStart = 0;
  groups.forEach((group, index) => {
    if (group !== 0n) {
      runStart = index + 1;
    } else if (index - runStart + 1 > longest.length) {
      longest = { start: runStart, length: index - runStart + 1 };
    }
  });
  return longest.length >= 2 ? longest : null;
}

function formatIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, index) => (value >> BigInt(112 - 16 * index)) & 0xffffn);
  const hex = groups.map((group) => group.toString(16));
  const run = longestZeroRun(groups);
  if (run === null) return hex.join(':');
  return `${hex.slice(0, run.start).join(':')}::${hex.slice(run.start + run.length).join(':')}`;
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => (value >> shift) & 0xffn).join('.');
}

function formatAddress({ version, value }: Address): string {
  return version === 4 ? formatIpv4(value) : formatIpv6(value);
}

function contains(range: Range, address: Address): boolean {
  return range.version === address.version && networkOf(address, range.prefix) === range.network;
}

/**
 * Parses '10.1.2.3/8' (host bits allowed, canonicalised to the network), a bare address (= /32 or
 * /128), IPv6, and mapped IPv4 ('::ffff:10.0.0.0/104' → '10.0.0.0/8'). Throws
 * ParleyError('invalid_request') otherwise, zone ids included: a rule is about addresses, not links.
 */
export function parseCidr(text: string): Cidr {
  const { version, network, prefix } = requireRange(text);
  return { version, text: `${formatAddress({ version, value: network })}/${prefix}` };
}

/** The canonical text of an address: IPv4 unmapped, IPv6 per RFC 5952, zone dropped. */
export function normaliseAddress(address: string): string {
  return formatAddress(requireAddress(address));
}

/** IPv4 rules match IPv4 (and mapped) addresses only; IPv6 rules match IPv6 addresses only. */
export function addressInCidr(address: string, cidr: Cidr | string): boolean {
  return contains(requireRange(typeof cidr === 'string' ? cidr : cidr.text), requireAddress(address));
}

/** CIDR texts per scope. */
export interface AllowlistRules {
  global: string[];
  role: string[];
  operator: string[];
}

const allowlistScopes = ['global', 'role', 'operator'] as const;

export type AllowlistDecision =
  { allowed: true } | { allowed: false; reason: (typeof allowlistScopes)[number] };

/**
 * Decides whether an operator may connect from an address. Semantics: each non-empty list is a
 * restriction that must be satisfied; empty lists restrict nothing. So the address must match the
 * global list (if non-empty) AND the role list (if non-empty) AND the operator list (if non-empty).
 */
export function checkAllowlist(address: string, rules: AllowlistRules): AllowlistDecision {
  for (const scope of allowlistScopes) {
    const cidrs = rules[scope];
    if (cidrs.length > 0 && !cidrs.some((cidr) => addressInCidr(address, cidr))) {
      return { allowed: false, reason: scope };
    }
  }
  return { allowed: true };
}

function forwardedHops(forwardedFor: string | string[] | undefined): string[] {
  if (forwardedFor === undefined) return [];
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  return header.split(',').map((hop) => hop.trim());
}

/**
 * The client's address: the TCP peer address, unless the peer is one of the trusted proxies (CIDR
 * texts), in which case walk X-Forwarded-For from right to left, skipping trusted proxies, and take
 * the first untrusted address. An X-Forwarded-For from an untrusted peer is ignored completely
 * (spoofing). Malformed XFF entries stop the walk and the last trusted hop's address is used. Always
 * returns a normalised address.
 */
export function clientAddress(
  peerAddress: string,
  forwardedFor: string | string[] | undefined,
  trustedProxies: string[],
): string {
  const trusted = trustedProxies.map(requireRange);
  const isTrusted = (address: Address) => trusted.some((range) => contains(range, address));
  const peer = requireAddress(peerAddress);
  // Anyone can send the header; only our own proxies' word counts.
  if (!isTrusted(peer)) return formatAddress(peer);
  // Each hop appends what it saw to the right, so only entries added by our own proxies are
  // facts; everything left of the first stranger is whatever that stranger chose to send.
  let client = peer;
  for (const hop of forwardedHops(forwardedFor).reverse()) {
    const address = parseAddress(hop);
    if (address === null) break;
    client = address;
    if (!isTrusted(address)) break;
  }
  return formatAddress(client);
}

export type AddressPolicy = 'full' | 'truncated' | 'none';

/** Truncation keeps what abuse handling needs (network, rough location) and drops the household. */
const truncatedPrefix: Record<IpVersion, number> = { 4: 24, 6: 48 };

/** For storage/audit: 'full' keeps it, 'truncated' zeroes the IPv4 last octet (203.0.113.0) and keeps an IPv6 /48 ('2001:db8:abcd::'), 'none' → null. */
export function anonymiseAddress(address: string, policy: AddressPolicy): string | null {
  switch (policy) {
    case 'none':
      return null;
    case 'full':
      return normaliseAddress(address);
    case 'truncated': {
      const parsed = requireAddress(address);
      return formatAddress({
        version: parsed.version,
        value: networkOf(parsed, truncatedPrefix[parsed.version]),
      });
    }
  }
}

import { z } from 'zod';
import { ParleyError } from './errors';

/*
 * IP addresses and CIDR ranges, for the server's allowlists and the desktop client's connection
 * policy. Pure TypeScript: this module also runs in the renderer, where node:net does not exist.
 */

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

/** 0-255 without leading zeros: '010' is octal to some parsers and decimal to others, so neither. */
const octetPattern = /^(?:0|[1-9]\d{0,2})$/;
const hextetPattern = /^[0-9a-f]{1,4}$/i;

function parseIpv4(text: string): bigint | null {
  const octets = text.split('.');
  if (octets.length !== 4) return null;
  let value = 0n;
  for (const octet of octets) {
    if (!octetPattern.test(octet) || Number(octet) > 255) return null;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

/** Hextets of one side of a '::'; a dotted IPv4 part, allowed only last, counts as two. */
function parseHextets(part: string, ipv4TailAllowed: boolean): bigint[] | null {
  if (part === '') return [];
  const groups = part.split(':');
  const hextets: bigint[] = [];
  for (const [index, group] of groups.entries()) {
    if (hextetPattern.test(group)) {
      hextets.push(BigInt(`0x${group}`));
      continue;
    }
    const ipv4 = ipv4TailAllowed && index === groups.length - 1 ? parseIpv4(group) : null;
    if (ipv4 === null) return null;
    hextets.push(ipv4 >> 16n, ipv4 & 0xffffn);
  }
  return hextets;
}

/** RFC 4291 text forms, accepting exactly what node's isIP accepts (zone ids aside). */
function parseIpv6(text: string): bigint | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const [head = '', tail] = halves;
  const compressed = tail !== undefined;
  // In '1.2.3.4::' the IPv4 part is not last, so only the side that ends the address may have one.
  const headHextets = parseHextets(head, !compressed);
  const tailHextets = compressed ? parseHextets(tail, true) : [];
  if (headHextets === null || tailHextets === null) return null;
  const explicit = headHextets.length + tailHextets.length;
  // '::' stands for at least one zero group.
  if (compressed ? explicit > 7 : explicit !== 8) return null;
  const elided = Array.from({ length: 8 - explicit }, () => 0n);
  return [...headHextets, ...elided, ...tailHextets].reduce((value, hextet) => (value << 16n) | hextet, 0n);
}

/** A plain literal: no zone, no prefix, no brackets, no whitespace. */
function parseLiteral(text: string): Address | null {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === null ? null : { version: 6, value };
  }
  const value = parseIpv4(text);
  return value === null ? null : { version: 4, value };
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

/** Whether normaliseAddress accepts the text, for callers that must not throw on a bad address. */
export function isIpAddress(text: string): boolean {
  return parseAddress(text) !== null;
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

/** A CIDR range as written by an admin, read as its canonical text. */
export const cidrSchema = z
  .string()
  .max(100)
  .refine((text) => parseRange(text) !== null, { message: 'Not a valid CIDR range' })
  .transform((text) => parseCidr(text).text);

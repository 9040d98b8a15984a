import { addressInCidr, isIpAddress, normaliseAddress, parseCidr, type Cidr } from '../../protocol/cidr';

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
  const trusted = trustedProxies.map(parseCidr);
  const isTrusted = (address: string) => trusted.some((range) => addressInCidr(address, range));
  const peer = normaliseAddress(peerAddress);
  // Anyone can send the header; only our own proxies' word counts.
  if (!isTrusted(peer)) return peer;
  // Each hop appends what it saw to the right, so only entries added by our own proxies are
  // facts; everything left of the first stranger is whatever that stranger chose to send.
  let client = peer;
  for (const hop of forwardedHops(forwardedFor).reverse()) {
    if (!isIpAddress(hop)) break;
    client = normaliseAddress(hop);
    if (!isTrusted(client)) break;
  }
  return client;
}

export type AddressPolicy = 'full' | 'truncated' | 'none';

/** Truncation keeps what abuse handling needs (network, rough location) and drops the household. */
const truncatedPrefix: Record<Cidr['version'], number> = { 4: 24, 6: 48 };

/** The network part of an address, written as an address: '203.0.113.77' → '203.0.113.0'. */
function truncated(address: string): string {
  // Normalised first, so a mapped IPv4 address is truncated as IPv4.
  const normalised = normaliseAddress(address);
  const { version } = parseCidr(normalised);
  const [network = ''] = parseCidr(`${normalised}/${truncatedPrefix[version]}`).text.split('/');
  return network;
}

/** For storage/audit: 'full' keeps it, 'truncated' zeroes the IPv4 last octet (203.0.113.0) and keeps an IPv6 /48 ('2001:db8:abcd::'), 'none' → null. */
export function anonymiseAddress(address: string, policy: AddressPolicy): string | null {
  switch (policy) {
    case 'none':
      return null;
    case 'full':
      return normaliseAddress(address);
    case 'truncated':
      return truncated(address);
  }
}

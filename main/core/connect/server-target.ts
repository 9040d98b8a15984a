import { createHash, X509Certificate } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { addressInCidr, isIpAddress } from '../../../protocol/cidr';
import type { DesktopPolicy, ServerProfile } from '../../../protocol/desktop-policy';
import { ParleyError } from '../../../protocol/errors';
import { bareHostname, isLoopbackHost, parseServerUrl } from './profiles';

type Family = 4 | 6;

interface ResolvedAddress {
  address: string;
  family: Family;
}

export type Lookup = (hostname: string) => Promise<ResolvedAddress[]>;

const systemLookup: Lookup = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.flatMap(({ address, family }) =>
    family === 4 || family === 6 ? [{ address, family }] : [],
  );
};

/** A server checked against the policy, with the one address every connection to it must use. */
export interface ServerTarget {
  /** The profile's base URL. */
  url: URL;
  /** The resolved address that passed the policy; all connections use exactly this one. */
  address: string;
  family: Family;
  pin: string | undefined;
}

async function resolveHost(host: string, lookup: Lookup): Promise<[ResolvedAddress, ...ResolvedAddress[]]> {
  if (isIpAddress(host)) return [{ address: host, family: host.includes(':') ? 6 : 4 }];
  const [first, ...rest] = await lookup(host).catch(() => []);
  if (first === undefined) {
    throw new ParleyError(
      'unreachable',
      `The server name ${host} could not be found. Check the address and your network connection.`,
    );
  }
  return [first, ...rest];
}

function describeNetworks(networks: readonly string[]): string {
  if (networks.length === 0) return 'none';
  const shown = networks.slice(0, 5).join(', ');
  return networks.length > 5 ? `${shown}, …` : shown;
}

/**
 * Resolves the server's host and checks every address it resolves to, since the system may connect
 * to any of them: all must lie in policy.allowedNetworks (when set), and for http:// all must be
 * loopback. IP literals are not resolved.
 */
export async function resolveServerTarget(
  profile: ServerProfile,
  policy: DesktopPolicy,
  lookup: Lookup = systemLookup,
): Promise<ServerTarget> {
  const url = parseServerUrl(profile.url);
  const host = bareHostname(url.hostname);
  const addresses = await resolveHost(host, lookup);
  const networks = policy.allowedNetworks;
  if (networks !== undefined) {
    const outside = addresses.find(({ address }) => !networks.some((cidr) => addressInCidr(address, cidr)));
    if (outside !== undefined) {
      throw new ParleyError(
        'server_not_allowed',
        `The server ${host} is at ${outside.address}, outside the networks your organisation's connection policy allows (${describeNetworks(networks)}).`,
      );
    }
  }
  // http:// was accepted because the name means this computer; a name that resolves elsewhere must not
  // carry unencrypted traffic.
  const remote =
    url.protocol === 'http:' ? addresses.find(({ address }) => !isLoopbackHost(address)) : undefined;
  if (remote !== undefined) {
    throw new ParleyError(
      'server_not_allowed',
      `The server ${host} is at ${remote.address}, which is not this computer; use https:// for it.`,
    );
  }
  const [{ address, family }] = addresses;
  return { url, address, family, pin: profile.pin };
}

/** base64(sha256(SubjectPublicKeyInfo DER)), the form HPKP and `openssl pkey -pubin -outform der` use. */
export function spkiPin(cert: { raw: Buffer }): string {
  // PeerCertificate.pubkey is not the SPKI for every key type (for EC keys it is the bare point),
  // so the SPKI is taken from the certificate itself.
  const spki = new X509Certificate(cert.raw).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

const pinMismatchMarker = 'certificate_mismatch:';

/**
 * Answers every lookup with the checked address, so a DNS answer that changes between the policy
 * check and the connection (DNS rebinding) cannot send us elsewhere.
 */
function pinnedLookup(target: ServerTarget): LookupFunction {
  const expectedHost = bareHostname(target.url.hostname);
  return (hostname, options, callback) => {
    // Like dns.lookup, answer asynchronously: net attaches its handlers after calling lookup.
    process.nextTick(() => {
      if (hostname.toLowerCase() !== expectedHost) {
        const error = Object.assign(new Error(`Not the checked server: ${hostname}`), { code: 'ENOTFOUND' });
        callback(error, '', 0);
      } else if (options.all === true) {
        // net's autoSelectFamily (on by default since Node 20) asks for every address at once.
        callback(null, [{ address: target.address, family: target.family }]);
      } else {
        callback(null, target.address, target.family);
      }
    });
  };
}

export interface ConnectionOptions {
  agent: false;
  lookup: LookupFunction;
  checkServerIdentity?: (host: string, cert: PeerCertificate) => Error | undefined;
}

/**
 * Options for https.request and for `new WebSocket(url, options)` (ws hands them to tls.connect):
 * the pinned lookup, and for https the usual host name check followed by the pin check. A pin
 * mismatch is an Error whose message starts with 'certificate_mismatch:'.
 */
export function connectionOptions(target: ServerTarget): ConnectionOptions {
  // A shared agent would hand out a pooled socket or resume a TLS session made under another
  // target's lookup and pin, and Node skips checkServerIdentity on a resumed session.
  const common = { agent: false, lookup: pinnedLookup(target) } as const;
  if (target.url.protocol !== 'https:') return common;
  const { pin } = target;
  return {
    ...common,
    checkServerIdentity(host, cert) {
      const identityError = checkServerIdentity(host, cert);
      if (identityError !== undefined || pin === undefined || spkiPin(cert) === pin) return identityError;
      return new Error(`${pinMismatchMarker} the server's public key does not match the saved pin`);
    },
  };
}

const certificateProblems: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'is self-signed and not trusted by this computer',
  SELF_SIGNED_CERT_IN_CHAIN: 'comes from a certificate authority this computer does not trust',
  UNABLE_TO_GET_ISSUER_CERT: 'comes from a certificate authority this computer does not trust',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'comes from a certificate authority this computer does not trust',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'cannot be verified (the server sends an incomplete chain)',
  CERT_UNTRUSTED: 'is not trusted by this computer',
  CERT_HAS_EXPIRED: 'has expired',
  CERT_NOT_YET_VALID: 'is not valid yet (check this computer’s clock)',
  CERT_REVOKED: 'has been revoked',
  CERT_SIGNATURE_FAILURE: 'has an invalid signature',
  ERR_TLS_CERT_ALTNAME_INVALID: 'was issued for a different name',
};

const networkProblems: Record<string, string> = {
  ECONNREFUSED: 'The server refused the connection; is it running?',
  ETIMEDOUT: 'The server did not answer in time.',
  ENOTFOUND: 'The server name could not be found.',
  EAI_AGAIN: 'The server name could not be looked up; check your network connection.',
  EHOSTUNREACH: 'The server cannot be reached from this network.',
  ENETUNREACH: 'The server cannot be reached from this network.',
  ECONNRESET: 'The connection to the server was closed unexpectedly.',
};

/** The code of a Node error; a failed multi-address connect wraps the per-address errors. */
function errorCode(error: Error): string | undefined {
  if ('code' in error && typeof error.code === 'string') return error.code;
  if (error instanceof AggregateError && error.errors[0] instanceof Error) return errorCode(error.errors[0]);
  return undefined;
}

/** Converts a failed request's or socket's error into what the user is told. */
export function describeConnectionError(error: unknown): ParleyError {
  if (error instanceof ParleyError) return error;
  if (!(error instanceof Error)) return new ParleyError('unreachable', 'Could not connect to the server.');
  if (error.message.startsWith(pinMismatchMarker)) {
    return new ParleyError(
      'certificate_mismatch',
      "The server's certificate does not match the pin saved for it.",
    );
  }
  const code = errorCode(error) ?? '';
  const certificateProblem = certificateProblems[code];
  if (certificateProblem !== undefined) {
    return new ParleyError('certificate_mismatch', `The server's certificate ${certificateProblem}.`);
  }
  const networkProblem = networkProblems[code];
  if (networkProblem !== undefined) return new ParleyError('unreachable', networkProblem);
  return new ParleyError('unreachable', `Could not connect to the server (${error.message}).`);
}

/** The URL of a path on the target's server. */
export function httpUrl(target: ServerTarget, path: string): string {
  const url = new URL(path, target.url);
  // A path like '//elsewhere.example' would quietly change the server.
  if (url.origin !== target.url.origin)
    throw new ParleyError('invalid_request', `Not a path on the server: ${path}`);
  return url.href;
}

/** The WebSocket URL of a path on the target's server: wss:// for https, ws:// for http. */
export function socketUrl(target: ServerTarget, path: string): string {
  const url = new URL(httpUrl(target, path));
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

import { randomUUID } from 'node:crypto';
import { addressInCidr, isIpAddress } from '../../../protocol/cidr';
import {
  serverProfileSchema,
  type DesktopPolicy,
  type ServerProfile,
} from '../../../protocol/desktop-policy';
import { describeIssues, ParleyError } from '../../../protocol/errors';
import type { KeyValueStore } from '../ports';

const loopbackRanges = ['127.0.0.0/8', '::1/128'];
const exampleUrl = 'https://chat.example.eu';

/** The host as a bare name or address: URL writes IPv6 hosts in brackets. */
export function bareHostname(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1');
}

/** 127.0.0.0/8, ::1 (bracketed or not) and localhost: traffic that never leaves this computer. */
export function isLoopbackHost(hostname: string): boolean {
  const host = bareHostname(hostname.toLowerCase());
  if (host === 'localhost') return true;
  return isIpAddress(host) && loopbackRanges.some((range) => addressInCidr(host, range));
}

type Reading<T> = T | { problem: string };

/** The checks of parseServerUrl without throwing, for callers that skip or report bad entries. */
function readServerUrl(text: string): Reading<{ url: URL }> {
  const trimmed = text.trim();
  if (!URL.canParse(trimmed))
    return { problem: `"${trimmed}" is not a web address; enter it like ${exampleUrl}.` };
  const url = new URL(trimmed);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { problem: `Parley connects to servers over https://; enter the address like ${exampleUrl}.` };
  }
  // Without TLS anyone on the network could read and change the traffic; on loopback there is no network.
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return { problem: 'Unencrypted http:// is allowed only for a server on this computer; use https://.' };
  }
  if (url.username !== '' || url.password !== '') {
    return { problem: 'A server address must not contain a user name or password.' };
  }
  // Checked on the serialised form: an empty '?' or '#' leaves search and hash empty.
  if (/[?#]/.test(url.href) || url.pathname !== '/') {
    return { problem: `Enter only the server's address, without a path, like ${exampleUrl}.` };
  }
  return { url: new URL(url.origin) };
}

/**
 * Parses and checks a server URL: https, or http for loopback hosts; no credentials, path, query or
 * fragment. Returns the origin. Throws ParleyError('invalid_request') with a message for the user.
 */
export function parseServerUrl(text: string): URL {
  const read = readServerUrl(text);
  if ('problem' in read) throw new ParleyError('invalid_request', read.problem);
  return read.url;
}

/** An allowedServers entry: an exact origin, or with `subdomains` every host below `hostname`. */
interface ServerPattern {
  protocol: string;
  port: string;
  hostname: string;
  subdomains: boolean;
}

const wildcardPrefix = /^([a-z][a-z0-9+.-]*:\/\/)\*\./i;

/** Reads an allowedServers entry, or says why it is not one (for the policy file's validation). */
export function readServerPattern(text: string): Reading<ServerPattern> {
  const problem = `"${text}" is not an origin like ${exampleUrl} or a host wildcard like https://*.example.eu`;
  const subdomains = wildcardPrefix.test(text);
  const read = readServerUrl(text.replace(wildcardPrefix, '$1'));
  if ('problem' in read) return { problem };
  const { protocol, port, hostname } = read.url;
  // The URL parser reads 'https://*.1.2.3' as an IPv4 address, which has no subdomains.
  if (subdomains && isIpAddress(bareHostname(hostname))) return { problem };
  return { protocol, port, hostname, subdomains };
}

/** A wildcard matches hosts any number of labels below its domain, but not the domain itself. */
function matchesPattern(pattern: ServerPattern, url: URL): boolean {
  if (url.protocol !== pattern.protocol || url.port !== pattern.port) return false;
  return pattern.subdomains
    ? url.hostname.endsWith(`.${pattern.hostname}`)
    : url.hostname === pattern.hostname;
}

/** Throws ParleyError('server_not_allowed') when the admin's policy rules this profile out. */
export function checkProfileAllowed(profile: ServerProfile, policy: DesktopPolicy): void {
  const url = parseServerUrl(profile.url);
  const allowed = policy.allowedServers?.some((entry) => {
    const pattern = readServerPattern(entry);
    // An entry that is no pattern allows nothing (loadDesktopPolicy refuses such files anyway).
    return !('problem' in pattern) && matchesPattern(pattern, url);
  });
  if (allowed === false) {
    throw new ParleyError(
      'server_not_allowed',
      `Your organisation's connection policy does not allow the server ${url.origin}.`,
    );
  }
  if (policy.requirePin === true && profile.pin === undefined && !isLoopbackHost(url.hostname)) {
    throw new ParleyError(
      'server_not_allowed',
      `Your organisation's connection policy requires a certificate pin for ${url.origin}; ask your administrator for it.`,
    );
  }
}

const storeKey = 'serverProfiles';

/** Remembered servers: where and how to trust them, never credentials. */
export function createProfileStore(store: KeyValueStore) {
  function list(): ServerProfile[] {
    const stored = store.get(storeKey);
    if (!Array.isArray(stored)) return [];
    // A hand-edited or outdated entry is left out rather than stopping the app from starting.
    return stored.flatMap((entry: unknown) => {
      const parsed = serverProfileSchema.safeParse(entry);
      return parsed.success && !('problem' in readServerUrl(parsed.data.url)) ? [parsed.data] : [];
    });
  }

  function save(input: Omit<ServerProfile, 'id'> & { id?: string }): ServerProfile {
    const url = parseServerUrl(input.url);
    const parsed = serverProfileSchema.safeParse({ ...input, id: input.id ?? randomUUID(), url: url.origin });
    if (!parsed.success) {
      throw new ParleyError(
        'invalid_request',
        `The server profile is invalid: ${describeIssues(parsed.error)}`,
      );
    }
    const profile = parsed.data;
    const profiles = list();
    const index = profiles.findIndex((existing) => existing.id === profile.id);
    store.set(storeKey, index === -1 ? [...profiles, profile] : profiles.with(index, profile));
    return profile;
  }

  function remove(id: string): void {
    store.set(
      storeKey,
      list().filter((profile) => profile.id !== id),
    );
  }

  function get(id: string): ServerProfile | undefined {
    return list().find((profile) => profile.id === id);
  }

  return { list, save, remove, get };
}

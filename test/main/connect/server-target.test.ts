import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer, request, type RequestOptions, type Server } from 'node:https';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import {
  connectionOptions,
  describeConnectionError,
  httpUrl,
  resolveServerTarget,
  socketUrl,
  spkiPin,
  type Lookup,
  type ServerTarget,
} from '../../../main/core/connect/server-target';
import type { ServerProfile } from '../../../protocol/desktop-policy';
import { ParleyError } from '../../../protocol/errors';

const wrongPin = `${'A'.repeat(43)}=`;

function profile(url: string, extra: Partial<ServerProfile> = {}): ServerProfile {
  return { id: 'p1', name: 'Chat', url, ...extra };
}

function fakeLookup(answers: Record<string, string[]>): Lookup {
  return async (hostname) => {
    const addresses = answers[hostname];
    if (addresses === undefined)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const noLookup: Lookup = () => Promise.reject(new Error('an IP literal must not be looked up'));

describe('resolveServerTarget', () => {
  const networks = { allowedNetworks: ['10.0.0.0/8', '2001:db8::/32'] };

  it('refuses a server resolving outside allowedNetworks, naming the address and the networks', async () => {
    const lookup = fakeLookup({ 'chat.example.eu': ['203.0.113.9'] });
    await expect(
      resolveServerTarget(profile('https://chat.example.eu'), networks, lookup),
    ).rejects.toMatchObject({
      code: 'server_not_allowed',
      message: expect.stringMatching(/203\.0\.113\.9.*10\.0\.0\.0\/8, 2001:db8::\/32/),
    });
  });

  it('refuses when any one resolved address is outside', async () => {
    const lookup = fakeLookup({ 'chat.example.eu': ['10.1.2.3', '2001:db8::5', '198.51.100.7'] });
    await expect(
      resolveServerTarget(profile('https://chat.example.eu'), networks, lookup),
    ).rejects.toMatchObject({
      code: 'server_not_allowed',
      message: expect.stringContaining('198.51.100.7'),
    });
  });

  it('refuses everything when allowedNetworks is empty', async () => {
    const lookup = fakeLookup({ 'chat.example.eu': ['10.1.2.3'] });
    await expect(
      resolveServerTarget(profile('https://chat.example.eu'), { allowedNetworks: [] }, lookup),
    ).rejects.toMatchObject({ code: 'server_not_allowed' });
  });

  it('targets the first address when all are inside', async () => {
    const lookup = fakeLookup({ 'chat.example.eu': ['2001:db8::5', '10.1.2.3', '::ffff:10.9.9.9'] });
    const target = await resolveServerTarget(
      profile('https://chat.example.eu:8443', { pin: wrongPin }),
      networks,
      lookup,
    );
    expect(target).toEqual({
      url: new URL('https://chat.example.eu:8443'),
      address: '2001:db8::5',
      family: 6,
      pin: wrongPin,
    });
  });

  it('restricts nothing without allowedNetworks', async () => {
    const lookup = fakeLookup({ 'chat.example.eu': ['203.0.113.9'] });
    const target = await resolveServerTarget(profile('https://chat.example.eu'), {}, lookup);
    expect(target).toMatchObject({ address: '203.0.113.9', family: 4, pin: undefined });
  });

  it('is unreachable when the name does not resolve or resolves to nothing', async () => {
    for (const lookup of [fakeLookup({}), fakeLookup({ 'chat.example.eu': [] })]) {
      await expect(resolveServerTarget(profile('https://chat.example.eu'), {}, lookup)).rejects.toMatchObject(
        {
          code: 'unreachable',
          message: expect.stringContaining('chat.example.eu'),
        },
      );
    }
  });

  it('does not resolve IP literals, but still checks them', async () => {
    await expect(resolveServerTarget(profile('http://127.0.0.1:8750'), {}, noLookup)).resolves.toMatchObject({
      address: '127.0.0.1',
      family: 4,
    });
    await expect(
      resolveServerTarget(profile('https://[2001:db8::1]'), networks, noLookup),
    ).resolves.toMatchObject({
      address: '2001:db8::1',
      family: 6,
    });
    await expect(resolveServerTarget(profile('https://192.0.2.1'), networks, noLookup)).rejects.toMatchObject(
      {
        code: 'server_not_allowed',
      },
    );
  });

  it('refuses http:// to a name that resolves off this computer', async () => {
    const lookup = fakeLookup({ localhost: ['127.0.0.1', '10.0.0.1'] });
    await expect(resolveServerTarget(profile('http://localhost:8750'), {}, lookup)).rejects.toMatchObject({
      code: 'server_not_allowed',
      message: expect.stringContaining('10.0.0.1'),
    });
  });

  it('refuses a profile whose URL is invalid before resolving anything', async () => {
    await expect(resolveServerTarget(profile('http://chat.example.eu'), {}, noLookup)).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });

  it('uses the system resolver by default', async () => {
    const target = await resolveServerTarget(profile('http://localhost:8750'), {});
    expect(['127.0.0.1', '::1']).toContain(target.address);
    // RFC 6761: .invalid never resolves.
    await expect(resolveServerTarget(profile('https://parley.invalid'), {})).rejects.toMatchObject({
      code: 'unreachable',
    });
  });
});

describe('httpUrl and socketUrl', () => {
  const secure: ServerTarget = {
    url: new URL('https://chat.example.eu:8443'),
    address: '10.0.0.1',
    family: 4,
    pin: undefined,
  };
  const local: ServerTarget = {
    url: new URL('http://127.0.0.1:8750'),
    address: '127.0.0.1',
    family: 4,
    pin: undefined,
  };

  it('builds URLs on the target server', () => {
    expect(httpUrl(secure, '/api/auth/login')).toBe('https://chat.example.eu:8443/api/auth/login');
    expect(socketUrl(secure, '/api/operator/socket')).toBe('wss://chat.example.eu:8443/api/operator/socket');
    expect(httpUrl(local, '/health')).toBe('http://127.0.0.1:8750/health');
    expect(socketUrl(local, '/socket?v=1')).toBe('ws://127.0.0.1:8750/socket?v=1');
  });

  it('refuses a path that would leave the server', () => {
    expect(() => httpUrl(secure, '//evil.example/x')).toThrowError(
      expect.objectContaining({ code: 'invalid_request' }),
    );
    expect(() => socketUrl(secure, 'https://evil.example/')).toThrowError(
      expect.objectContaining({ code: 'invalid_request' }),
    );
  });
});

describe('describeConnectionError', () => {
  const withCode = (code: string) => Object.assign(new Error(code), { code });

  it.each([
    ['ECONNREFUSED', 'unreachable'],
    ['ETIMEDOUT', 'unreachable'],
    ['ENOTFOUND', 'unreachable'],
    ['EHOSTUNREACH', 'unreachable'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'certificate_mismatch'],
    ['CERT_HAS_EXPIRED', 'certificate_mismatch'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'certificate_mismatch'],
  ])('reads %s as %s', (code, expected) => {
    expect(describeConnectionError(withCode(code)).code).toBe(expected);
  });

  it('looks inside a failed multi-address connect', () => {
    const error = new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]);
    expect(describeConnectionError(error)).toMatchObject({
      code: 'unreachable',
      message: expect.stringContaining('refused'),
    });
  });

  it('passes ParleyErrors through and never throws on odd values', () => {
    const original = new ParleyError('server_not_allowed', 'no');
    expect(describeConnectionError(original)).toBe(original);
    expect(describeConnectionError('boom').code).toBe('unreachable');
    expect(describeConnectionError(new Error('socket hang up'))).toMatchObject({
      code: 'unreachable',
      message: expect.stringContaining('socket hang up'),
    });
  });
});

describe('connectionOptions over real TLS on loopback', () => {
  let dir: string;
  let cert: Buffer;
  let opensslPin: string;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-tls-'));
    const [keyFile, certFile] = [join(dir, 'k'), join(dir, 'c')];
    // parley.invalid is in the certificate so a name no resolver knows can still pass the host check.
    execFileSync(
      'openssl',
      [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1'],
        ...[
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=DNS:localhost,DNS:parley.invalid,IP:127.0.0.1',
        ],
        ...['-keyout', keyFile, '-out', certFile],
      ],
      { stdio: 'ignore' },
    );
    cert = readFileSync(certFile);
    const publicKey = execFileSync('openssl', ['x509', '-pubkey', '-noout', '-in', certFile]);
    const spki = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: publicKey });
    const digest = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: spki });
    opensslPin = execFileSync('openssl', ['base64', '-A'], { input: digest }).toString().trim();

    server = createHttpsServer({ key: readFileSync(keyFile), cert }, (req, res) => res.end('ok'));
    new WebSocketServer({ server }).on('connection', (socket) => socket.send('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  function target(pin: string | undefined, host = 'localhost', address = '127.0.0.1'): ServerTarget {
    return { url: new URL(`https://${host}:${port}`), address, family: 4, pin };
  }

  function get(to: ServerTarget, extra: RequestOptions = {}): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = request(httpUrl(to, '/'), { ...connectionOptions(to), ...extra }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
  }

  function openSocket(to: ServerTarget): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(socketUrl(to, '/socket'), { ...connectionOptions(to), ca: cert });
      socket.on('message', (data) => {
        resolve(data.toString());
        socket.close();
      });
      socket.on('error', reject);
    });
  }

  async function failure(attempt: Promise<unknown>): Promise<ParleyError> {
    const error = await attempt.then(
      () => undefined,
      (error: unknown) => error,
    );
    if (error === undefined) throw new Error('expected the connection to fail');
    return describeConnectionError(error);
  }

  it('computes the pin openssl computes', () => {
    expect(opensslPin).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(spkiPin({ raw: new X509Certificate(cert).raw })).toBe(opensslPin);
  });

  it('connects over https with the right pin', async () => {
    await expect(get(target(opensslPin), { ca: cert })).resolves.toBe(200);
  });

  it('connects without a pin when the certificate is trusted', async () => {
    await expect(get(target(undefined), { ca: cert })).resolves.toBe(200);
  });

  it('refuses a wrong pin even for a trusted certificate it has just connected to', async () => {
    // The first connection leaves a pooled socket and a TLS session behind; neither may be reused.
    await expect(get(target(undefined), { ca: cert })).resolves.toBe(200);
    const error = await failure(get(target(wrongPin), { ca: cert }));
    expect(error.toData()).toEqual({
      code: 'certificate_mismatch',
      message: "The server's certificate does not match the pin saved for it.",
    });
  });

  it('refuses an untrusted self-signed certificate, pin or not', async () => {
    for (const pin of [opensslPin, undefined]) {
      const error = await failure(get(target(pin)));
      expect(error.toData()).toEqual({
        code: 'certificate_mismatch',
        message: "The server's certificate is self-signed and not trusted by this computer.",
      });
    }
  });

  it('refuses a certificate issued for another name', async () => {
    const error = await failure(get(target(opensslPin, 'other.invalid'), { ca: cert }));
    expect(error).toMatchObject({
      code: 'certificate_mismatch',
      message: expect.stringContaining('different name'),
    });
  });

  it('opens a WebSocket with the right pin and refuses one with a wrong pin', async () => {
    await expect(openSocket(target(opensslPin))).resolves.toBe('hello');
    const error = await failure(openSocket(target(wrongPin)));
    expect(error.code).toBe('certificate_mismatch');
  });

  it('connects to the checked address whatever DNS would say (no rebinding)', async () => {
    // No resolver knows parley.invalid: only the pinned lookup can bring these connections to 127.0.0.1.
    const unresolvable = target(opensslPin, 'parley.invalid');
    await expect(get(unresolvable, { ca: cert })).resolves.toBe(200);
    await expect(openSocket(unresolvable)).resolves.toBe('hello');
  });

  it('reports a pinned address that does not answer as unreachable', async () => {
    const closed = createNetServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const to: ServerTarget = {
      url: new URL(`https://localhost:${closedPort}`),
      address: '127.0.0.1',
      family: 4,
      pin: undefined,
    };
    const error = await failure(get(to, { ca: cert }));
    expect(error.code).toBe('unreachable');
  });
});

describe('the pinned lookup', () => {
  const to: ServerTarget = {
    url: new URL('https://chat.example.eu'),
    address: '10.0.0.7',
    family: 4,
    pin: undefined,
  };

  function callLookup(hostname: string, all: boolean) {
    return new Promise<{
      error: Error | null;
      address: string | LookupAddress[];
      family: number | undefined;
    }>((resolve) => {
      connectionOptions(to).lookup(hostname, { all }, (error, address, family) =>
        resolve({ error, address, family }),
      );
    });
  }

  it('answers a single-address lookup with the checked address', async () => {
    await expect(callLookup('chat.example.eu', false)).resolves.toEqual({
      error: null,
      address: '10.0.0.7',
      family: 4,
    });
  });

  it('answers an all-addresses lookup (autoSelectFamily) with a list', async () => {
    await expect(callLookup('chat.example.eu', true)).resolves.toEqual({
      error: null,
      address: [{ address: '10.0.0.7', family: 4 }],
      family: undefined,
    });
  });

  it('refuses to answer for any other host', async () => {
    const { error } = await callLookup('elsewhere.example', false);
    expect(error).toMatchObject({ code: 'ENOTFOUND' });
  });

  it('goes without TLS checks for an http target', () => {
    const local = { ...to, url: new URL('http://127.0.0.1:8750'), address: '127.0.0.1' };
    expect(Object.keys(connectionOptions(local)).sort()).toEqual(['agent', 'lookup']);
  });
});

import { describe, expect, it } from 'vitest';
import {
  checkProfileAllowed,
  createProfileStore,
  isLoopbackHost,
  parseServerUrl,
} from '../../../main/core/connect/profiles';
import type { KeyValueStore } from '../../../main/core/ports';
import type { DesktopPolicy, ServerProfile } from '../../../protocol/desktop-policy';

const pin = 'qQODGCeEyHA7AQMfBLKi2meWWZM398Ph4Bg6n5hGzxY=';

function memoryStore(initial: Record<string, unknown> = {}): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    get: (key) => data.get(key),
    set: (key, value) => void data.set(key, structuredClone(value)),
    delete: (key) => void data.delete(key),
  };
}

function profile(url: string, extra: Partial<ServerProfile> = {}): ServerProfile {
  return { id: 'p1', name: 'Chat', url, ...extra };
}

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.255.0.9', '::1', '[::1]', 'localhost', 'LOCALHOST', '[::ffff:7f00:1]'])(
    '%s is loopback',
    (host) => expect(isLoopbackHost(host)).toBe(true),
  );

  it.each(['128.0.0.1', '10.0.0.1', '::2', '[::]', 'localhost.example.eu', 'mylocalhost', '0.0.0.0', ''])(
    '%s is not',
    (host) => expect(isLoopbackHost(host)).toBe(false),
  );
});

describe('parseServerUrl', () => {
  it.each([
    ['https://chat.example.eu', 'https://chat.example.eu'],
    ['https://chat.example.eu/', 'https://chat.example.eu'],
    ['  https://Chat.Example.EU:8443  ', 'https://chat.example.eu:8443'],
    ['https://chat.example.eu:443', 'https://chat.example.eu'],
    ['https://[2001:db8::1]', 'https://[2001:db8::1]'],
    ['http://127.0.0.1:8750', 'http://127.0.0.1:8750'],
    ['http://localhost', 'http://localhost'],
    ['http://[::1]:8750/', 'http://[::1]:8750'],
  ])('accepts %j as %s', (text, origin) => {
    expect(parseServerUrl(text).origin).toBe(origin);
  });

  it.each([
    ['http://chat.example.eu', 'allowed only for a server on this computer'],
    ['http://10.0.0.1:8750', 'allowed only for a server on this computer'],
    ['ftp://chat.example.eu', 'over https://'],
    ['wss://chat.example.eu', 'over https://'],
    ['file:///etc/passwd', 'over https://'],
    ['https://anna:secret@chat.example.eu', 'user name or password'],
    ['https://anna@chat.example.eu', 'user name or password'],
    ['https://chat.example.eu/?x=1', 'without a path'],
    ['https://chat.example.eu/?', 'without a path'],
    ['https://chat.example.eu/#top', 'without a path'],
    ['https://chat.example.eu/parley', 'without a path'],
    ['chat.example.eu', 'is not a web address'],
    ['', 'is not a web address'],
    ['https://', 'is not a web address'],
    ['not a url at all', 'is not a web address'],
  ])('refuses %j', (text, reason) => {
    expect(() => parseServerUrl(text)).toThrowError(
      expect.objectContaining({ code: 'invalid_request', message: expect.stringContaining(reason) }),
    );
  });
});

describe('checkProfileAllowed', () => {
  const servers: DesktopPolicy = {
    allowedServers: ['https://chat.example.eu', 'https://chat.example.eu:8443', 'https://*.example.eu'],
  };

  it('allows any valid profile when the policy sets nothing', () => {
    expect(() => checkProfileAllowed(profile('https://anything.example.org'), {})).not.toThrow();
  });

  it.each([
    'https://chat.example.eu',
    'https://chat.example.eu:443',
    'https://chat.example.eu:8443',
    'https://eu1.example.eu',
    'https://a.b.example.eu',
    'https://EU1.Example.EU',
  ])('allows %s by an exact origin or wildcard', (url) => {
    expect(() => checkProfileAllowed(profile(url), servers)).not.toThrow();
  });

  it.each([
    'https://evil-example.eu',
    'https://example.eu',
    'https://example.eu.evil.com',
    'https://eu1.example.eu:8443',
    'https://chat.example.eu:9443',
    'https://chat.example.org',
  ])('refuses %s', (url) => {
    expect(() => checkProfileAllowed(profile(url), servers)).toThrowError(
      expect.objectContaining({
        code: 'server_not_allowed',
        message: expect.stringContaining(new URL(url).origin),
      }),
    );
  });

  it('matches the scheme too, so a loopback http server must be listed as such', () => {
    const local = profile('http://127.0.0.1:8750');
    expect(() => checkProfileAllowed(local, servers)).toThrowError(
      expect.objectContaining({ code: 'server_not_allowed' }),
    );
    expect(() => checkProfileAllowed(local, { allowedServers: ['http://127.0.0.1:8750'] })).not.toThrow();
  });

  it('refuses everything when allowedServers is empty', () => {
    expect(() =>
      checkProfileAllowed(profile('https://chat.example.eu'), { allowedServers: [] }),
    ).toThrowError(expect.objectContaining({ code: 'server_not_allowed' }));
  });

  it('lets an entry that is no pattern allow nothing', () => {
    const policy = { allowedServers: ['chat.example.eu', 'https://*.1.2.3'] };
    expect(() => checkProfileAllowed(profile('https://chat.example.eu'), policy)).toThrowError(
      expect.objectContaining({ code: 'server_not_allowed' }),
    );
  });

  it('requires a pin when the policy says so, except for loopback servers', () => {
    const policy = { requirePin: true };
    expect(() => checkProfileAllowed(profile('https://chat.example.eu'), policy)).toThrowError(
      expect.objectContaining({
        code: 'server_not_allowed',
        message: expect.stringContaining('certificate pin'),
      }),
    );
    expect(() => checkProfileAllowed(profile('https://chat.example.eu', { pin }), policy)).not.toThrow();
    expect(() => checkProfileAllowed(profile('http://localhost:8750'), policy)).not.toThrow();
    expect(() =>
      checkProfileAllowed(profile('https://chat.example.eu'), { requirePin: false }),
    ).not.toThrow();
  });

  it('refuses a profile whose URL is invalid', () => {
    expect(() => checkProfileAllowed(profile('http://chat.example.eu'), {})).toThrowError(
      expect.objectContaining({ code: 'invalid_request' }),
    );
  });
});

describe('createProfileStore', () => {
  it('saves, lists, gets, replaces and removes profiles', () => {
    const store = memoryStore();
    const profiles = createProfileStore(store);
    expect(profiles.list()).toEqual([]);

    const saved = profiles.save({ name: '  Support  ', url: 'https://Chat.Example.EU/', pin });
    expect(saved).toEqual({ id: expect.any(String), name: 'Support', url: 'https://chat.example.eu', pin });
    const local = profiles.save({ id: 'local', name: 'Local', url: 'http://127.0.0.1:8750' });
    expect(profiles.list()).toEqual([saved, local]);
    expect(profiles.get(saved.id)).toEqual(saved);

    const renamed = profiles.save({ ...saved, name: 'Sales' });
    expect(profiles.list()).toEqual([renamed, local]);
    expect(renamed.id).toBe(saved.id);

    profiles.remove(saved.id);
    expect(profiles.list()).toEqual([local]);
    expect(profiles.get(saved.id)).toBeUndefined();
    expect(createProfileStore(store).list()).toEqual([local]);
  });

  it('gives every new profile its own id', () => {
    const profiles = createProfileStore(memoryStore());
    const first = profiles.save({ name: 'A', url: 'https://a.example.eu' });
    const second = profiles.save({ name: 'B', url: 'https://b.example.eu' });
    expect(first.id).not.toBe(second.id);
    expect(profiles.list()).toHaveLength(2);
  });

  it('refuses an invalid profile and stores nothing', () => {
    const store = memoryStore();
    const profiles = createProfileStore(store);
    expect(() => profiles.save({ name: 'A', url: 'http://chat.example.eu' })).toThrowError(
      expect.objectContaining({ code: 'invalid_request' }),
    );
    expect(() => profiles.save({ name: ' ', url: 'https://chat.example.eu' })).toThrowError(
      expect.objectContaining({ code: 'invalid_request', message: expect.stringContaining('name') }),
    );
    expect(() => profiles.save({ name: 'A', url: 'https://chat.example.eu', pin: 'not a pin' })).toThrowError(
      expect.objectContaining({ code: 'invalid_request', message: expect.stringContaining('pin') }),
    );
    expect(store.data.size).toBe(0);
  });

  it('has no place for a password', () => {
    const profiles = createProfileStore(memoryStore());
    const withPassword = { name: 'A', url: 'https://chat.example.eu', password: 'hunter2' };
    expect(() => profiles.save(withPassword)).toThrowError(
      expect.objectContaining({ code: 'invalid_request' }),
    );
  });

  it('skips corrupt stored entries instead of failing', () => {
    const good = { id: 'g', name: 'Good', url: 'https://chat.example.eu' };
    const store = memoryStore({
      serverProfiles: [
        good,
        null,
        'https://chat.example.eu',
        { id: 'x', name: 'No URL' },
        { id: 'y', name: 'Plain http', url: 'http://chat.example.eu' },
        { ...good, id: 'z', password: 'hunter2' },
      ],
    });
    const profiles = createProfileStore(store);
    expect(profiles.list()).toEqual([good]);
    expect(profiles.get('y')).toBeUndefined();
  });

  it('starts empty when the stored list is not a list', () => {
    expect(createProfileStore(memoryStore({ serverProfiles: { broken: true } })).list()).toEqual([]);
    expect(createProfileStore(memoryStore({ serverProfiles: 'oops' })).list()).toEqual([]);
  });
});

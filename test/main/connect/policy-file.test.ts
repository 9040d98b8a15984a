import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  effectivePolicy,
  loadDesktopPolicy,
  policyFilePath,
  type LoadedPolicy,
} from '../../../main/core/connect/policy-file';
import { ParleyError } from '../../../protocol/errors';

function policyFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'parley-policy-')), 'policy.json');
  writeFileSync(path, content);
  return path;
}

function refusal(loaded: LoadedPolicy): ParleyError {
  try {
    effectivePolicy(loaded);
  } catch (error) {
    if (error instanceof ParleyError) return error;
    throw error;
  }
  throw new Error('expected effectivePolicy to refuse');
}

function invalidError(loaded: LoadedPolicy): string {
  if (loaded.status !== 'invalid') throw new Error(`expected an invalid policy, got ${loaded.status}`);
  return loaded.error;
}

describe('policyFilePath', () => {
  it.each([
    ['linux', '/etc/parley/policy.json'],
    ['darwin', '/Library/Application Support/Parley/policy.json'],
    ['win32', 'C:\\ProgramData\\Parley\\policy.json'],
    ['freebsd', '/etc/parley/policy.json'],
  ])('is the machine-wide location on %s', (platform, path) => {
    expect(policyFilePath(platform, {})).toBe(path);
  });

  it('is overridden by PARLEY_POLICY_FILE', () => {
    expect(policyFilePath('linux', { PARLEY_POLICY_FILE: '/tmp/p.json' })).toBe('/tmp/p.json');
    expect(policyFilePath('win32', { PARLEY_POLICY_FILE: 'D:\\p.json' })).toBe('D:\\p.json');
  });

  it('ignores an empty PARLEY_POLICY_FILE', () => {
    expect(policyFilePath('linux', { PARLEY_POLICY_FILE: '' })).toBe('/etc/parley/policy.json');
  });
});

describe('loadDesktopPolicy', () => {
  it('restricts nothing when there is no file', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'parley-policy-')), 'missing.json');
    const loaded = loadDesktopPolicy(path);
    expect(loaded).toEqual({ status: 'none', policy: {} });
    expect(effectivePolicy(loaded)).toEqual({});
  });

  it('loads a valid file, canonicalising its networks', () => {
    const path = policyFile(
      JSON.stringify({
        allowedServers: ['https://chat.example.eu', 'https://*.example.eu:8443'],
        allowedNetworks: ['10.1.2.3/8', '2001:DB8::/32'],
        requirePin: true,
        allowLocalWorkspace: false,
      }),
    );
    const loaded = loadDesktopPolicy(path);
    const policy = {
      allowedServers: ['https://chat.example.eu', 'https://*.example.eu:8443'],
      allowedNetworks: ['10.0.0.0/8', '2001:db8::/32'],
      requirePin: true,
      allowLocalWorkspace: false,
    };
    expect(loaded).toEqual({ status: 'loaded', policy, path });
    expect(effectivePolicy(loaded)).toEqual(policy);
  });

  it('reads a file saved with a byte order mark', () => {
    const loaded = loadDesktopPolicy(policyFile('\uFEFF{"requirePin": true}'));
    expect(loaded).toMatchObject({ status: 'loaded', policy: { requirePin: true } });
  });

  it('fails closed on invalid JSON, naming the file and where it breaks', () => {
    const path = policyFile('{\n  "requirePin": true,\n  "allowedNetworks": [10.0.0.0/8]\n}');
    const loaded = loadDesktopPolicy(path);
    expect(invalidError(loaded)).toMatch(/^not valid JSON \(.*line 3 column 27/);
    const error = refusal(loaded);
    expect(error.code).toBe('policy_invalid');
    expect(error.message).toMatch(/^The connection policy file at .* is invalid: not valid JSON \(/);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/; Parley will not connect until it is fixed\.$/);
  });

  it('fails closed on an empty file', () => {
    expect(invalidError(loadDesktopPolicy(policyFile('')))).toMatch(/^not valid JSON/);
  });

  it.each([
    [{ allowedNetworks: ['not a cidr'] }, 'allowedNetworks.0: Not a valid CIDR range'],
    [{ requirePin: 'yes' }, 'requirePin: '],
    [{ allowedServer: [] }, 'allowedServer'],
    [{ allowedServers: 'https://chat.example.eu' }, 'allowedServers: '],
    [['https://chat.example.eu'], '(root): '],
    [{ allowedServers: ['chat.example.eu'] }, 'allowedServers.0: "chat.example.eu" is not an origin'],
    [{ allowedServers: ['https://chat.example.eu/parley'] }, 'allowedServers.0: '],
    [{ allowedServers: ['https://*.1.2.3'] }, 'allowedServers.0: '],
  ])('fails closed on a schema violation: %j', (content, problem) => {
    const path = policyFile(JSON.stringify(content));
    const loaded = loadDesktopPolicy(path);
    expect(invalidError(loaded)).toContain(problem);
    expect(refusal(loaded)).toMatchObject({ code: 'policy_invalid', message: expect.stringContaining(path) });
  });

  it('fails closed when the file cannot be read', () => {
    const directory = mkdtempSync(join(tmpdir(), 'parley-policy-'));
    expect(invalidError(loadDesktopPolicy(directory))).toMatch(/^cannot be read \(.*EISDIR/);
  });

  it('reads the file PARLEY_POLICY_FILE points to', () => {
    const path = policyFile('{"allowLocalWorkspace": false}');
    const loaded = loadDesktopPolicy(policyFilePath(process.platform, { PARLEY_POLICY_FILE: path }));
    expect(loaded).toEqual({ status: 'loaded', policy: { allowLocalWorkspace: false }, path });
  });
});

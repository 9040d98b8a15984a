import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { authPaths, protocolVersion } from '../../protocol/auth';
import { startParleyServer } from '../../server/app';
import { openStorage } from '../../server/storage/database';
import { OperatorTestSocket, postJson, signIn } from '../support/operator-client';

const tsx = join('node_modules', '.bin', 'tsx');
const dataDir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
let stopServer: (() => void) | undefined;
afterAll(() => stopServer?.());

function cli(args: string[], input?: string) {
  return spawnSync(tsx, ['server/cli.ts', ...args, '--data-dir', dataDir], {
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('npm run server', () => {
  it('creates the first admin from the command line, refusing weak passwords', () => {
    const weak = cli(
      ['user', 'add', '--username', 'boss', '--role', 'admin', '--password-stdin'],
      'password1234\n',
    );
    expect(weak.status).toBe(2);
    expect(weak.stderr).toMatch(/common/i);
    const created = cli(
      [
        'user',
        'add',
        '--username',
        'boss',
        '--role',
        'admin',
        '--display-name',
        'The Boss',
        '--password-stdin',
      ],
      'a long and unusual passphrase\n',
    );
    expect(created.stderr).toBe('');
    expect(created.stdout).toContain('Created admin "boss"');
    const twice = cli(
      ['user', 'add', '--username', 'boss', '--role', 'admin', '--password-stdin'],
      'another long passphrase\n',
    );
    expect(twice.stderr).toContain('taken');
  });

  it('puts a new operator into a group by name, creating it once, and prints its widget tag', () => {
    const first = cli(
      ['user', 'add', '--username', 'olga', '--role', 'agent', '--group', 'Support', '--password-stdin'],
      'a long and unusual passphrase\n',
    );
    const second = cli(
      ['user', 'add', '--username', 'paul', '--role', 'agent', '--group', 'Support', '--password-stdin'],
      'another long and unusual passphrase\n',
    );
    const tag = /data-group="([\w-]+)"/;
    expect(first.stdout).toContain('Added to the group "Support"');
    expect(tag.exec(first.stdout)?.[1]).toBeDefined();
    expect(tag.exec(second.stdout)?.[1]).toBe(tag.exec(first.stdout)?.[1]);
  });

  it('lists and removes allowlist rules, the way back in for a locked-out admin', async () => {
    const storage = await openStorage({ kind: 'pglite', dataDir });
    const rule = (id: string, cidr: string) => ({
      id,
      scope: 'global' as const,
      subject: '',
      cidr,
      created_at: new Date(),
    });
    await storage.db
      .insertInto('ip_rules')
      .values([rule('r-office', '10.0.0.0/8'), rule('r-vpn', '192.0.2.0/24')])
      .execute();
    await storage.close();

    expect(cli(['allowlist', 'list']).stdout).toMatch(/r-office {2}global {2}10\.0\.0\.0\/8\nr-vpn/);
    expect(cli(['allowlist', 'remove', 'nope']).stderr).toContain('There is no rule "nope".');
    expect(cli(['allowlist', 'remove', 'r-office']).stdout).toBe('Removed 1 allowlist rule.\n');
    expect(cli(['allowlist', 'clear']).stdout).toBe('Removed 1 allowlist rule.\n');
    expect(cli(['allowlist', 'list']).stdout).toBe('No allowlist rules: every address may connect.\n');
  });

  it('starts on that data directory and lets the admin in with password and TOTP over a real socket', async () => {
    const child = spawn(tsx, ['server/cli.ts', '--data-dir', dataDir, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stopServer = () => child.kill('SIGTERM');
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const wrong = await postJson(url, authPaths.login, {
      protocolVersion,
      username: 'boss',
      password: 'wrong password!',
    });
    expect(wrong).toMatchObject({ status: 401, body: { code: 'invalid_credentials' } });

    const { grant, secret } = await signIn(url, 'boss', 'a long and unusual passphrase');
    expect(secret).toBeDefined(); // TOTP was enrolled on this first login
    const socket = await OperatorTestSocket.connect(
      url.replace('http', 'ws') + authPaths.operatorSocket,
      grant.token,
    );
    expect(await socket.request('me.get')).toMatchObject({
      ok: true,
      result: { operator: { username: 'boss', displayName: 'The Boss', role: 'admin', totpEnabled: true } },
    });
    socket.close();
  });

  it('refuses to listen beyond loopback without TLS', () => {
    const result = cli(['--host', '0.0.0.0', '--port', '0']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('only listens beyond loopback with TLS');
  });
});

describe('TLS', () => {
  it('serves https and wss with the given certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    const made = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    expect(made.status).toBe(0);
    const server = await startParleyServer({
      storage: { kind: 'pglite' },
      tls: { cert: readFileSync(cert), key: readFileSync(key) },
    });
    try {
      expect(server.url).toMatch(/^https:/);
      expect(server.socketUrl).toMatch(/^wss:/);
      const status = await new Promise<number>((resolve, reject) =>
        request(`${server.url}${authPaths.health}`, { ca: readFileSync(cert) }, (response) =>
          resolve(response.statusCode ?? 0),
        )
          .on('error', reject)
          .end(),
      );
      expect(status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

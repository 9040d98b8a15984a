import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ParleyError } from '../protocol/errors';
import { roleSchema } from '../protocol/roles';
import { createOperator } from './accounts';
import { recordAudit } from './audit';
import { startParleyServer } from './app';
import { systemClock } from './clock';
import { silentLog } from './log';
import { readSecurityPolicy } from './policy';
import { addToGroup, groupNamed } from './queues/groups';
import { openStorage, type StorageOptions } from './storage/database';

const usage = `Parley Server

  npm run server -- [--data-dir DIR] [--host 127.0.0.1] [--port 8750] [--tls-cert FILE --tls-key FILE]
      Starts the server. Data lives in DIR (embedded PostgreSQL, default ./.parley-data) unless
      DATABASE_URL names a PostgreSQL server. Listening beyond loopback requires TLS.

  npm run server -- user add --username NAME --role agent|lead|admin [--display-name TEXT] [--group NAME] [--password-stdin] [--data-dir DIR]
      Creates an operator. The password is asked for (hidden), or read from standard input with
      --password-stdin. There is no default password. --group puts the operator into that group's
      queue, creating the group if there is none by that name, and prints its widget embed tag.

  npm run server -- allowlist list|remove ID|clear [--data-dir DIR]
      Lists the IP allowlist rules, removes one, or removes them all: the way back in for an admin
      whose own address a rule shuts out. Run it on the server's machine.
`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'data-dir': { type: 'string', default: '.parley-data' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '8750' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    username: { type: 'string' },
    'display-name': { type: 'string' },
    role: { type: 'string' },
    group: { type: 'string' },
    'password-stdin': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function storageOptions(): StorageOptions {
  const url = process.env['DATABASE_URL'];
  return url
    ? { kind: 'postgres', connectionString: url }
    : { kind: 'pglite', dataDir: resolve(values['data-dir']) };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks without echoing what is typed. */
function askHidden(question: string): Promise<string> {
  return new Promise((answer) => {
    const prompt = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const output = prompt as unknown as { _writeToOutput: (text: string) => void };
    process.stdout.write(question);
    output._writeToOutput = () => undefined;
    prompt.question('', (value) => {
      prompt.close();
      process.stdout.write('\n');
      answer(value);
    });
  });
}

async function readNewPassword(): Promise<string> {
  if (values['password-stdin'] || !process.stdin.isTTY) return readStdin();
  const first = await askHidden('Password: ');
  const second = await askHidden('Repeat the password: ');
  if (first !== second) fail('The two passwords differ; nothing was created.');
  return first;
}

async function addUser() {
  const role = roleSchema.safeParse(values.role);
  if (!role.success) fail('--role must be agent, lead or admin.');
  const username = values.username;
  if (!username) fail('--username is required.');
  await withStorage(async (storage) => {
    const policy = await readSecurityPolicy(storage.db);
    const operator = await createOperator(
      storage.db,
      systemClock,
      {
        username,
        displayName: values['display-name'] ?? username,
        role: role.data,
        password: await readNewPassword(),
      },
      policy.passwordMinLength,
    );
    await recordAudit(storage.db, systemClock, policy.addressPolicy, {
      action: 'operator.created',
      target: operator.id,
      details: { via: 'cli', role: operator.role },
    });
    process.stdout.write(
      `Created ${operator.role} "${operator.username}". ` +
        (policy.totpRequiredRoles.includes(operator.role)
          ? 'Two-factor authentication is required: the first sign-in sets it up.\n'
          : '\n'),
    );
    if (values.group) {
      const ctx = { db: storage.db, clock: systemClock, log: silentLog };
      const group = await groupNamed(ctx, values.group);
      await addToGroup(ctx, operator.id, group.id);
      process.stdout.write(
        `Added to the group "${group.name}". Its widget: <script src="https://YOUR-SERVER/widget/parley.js" data-group="${group.id}" async></script>\n`,
      );
    }
  });
}

/** Opens the database for one command and turns refusals into a message on stderr. */
async function withStorage(run: (storage: Awaited<ReturnType<typeof openStorage>>) => Promise<void>) {
  const storage = await openStorage(storageOptions());
  try {
    await run(storage);
  } catch (error) {
    if (error instanceof ParleyError) fail(error.message);
    throw error;
  } finally {
    await storage.close();
  }
}

async function allowlist(command: string | undefined, id: string | undefined) {
  await withStorage(async ({ db }) => {
    const rules = await db.selectFrom('ip_rules').selectAll().orderBy('created_at').execute();
    if (command === 'list') {
      if (rules.length === 0) process.stdout.write('No allowlist rules: every address may connect.\n');
      for (const rule of rules) {
        process.stdout.write(
          `${rule.id}  ${rule.scope}${rule.subject ? ` ${rule.subject}` : ''}  ${rule.cidr}\n`,
        );
      }
      return;
    }
    if (command !== 'clear' && command !== 'remove') fail(`Unknown command "allowlist ${command ?? ''}".`);
    if (command === 'remove' && !rules.some((rule) => rule.id === id))
      fail(`There is no rule "${id ?? ''}".`);
    const removed = rules.filter((rule) => command === 'clear' || rule.id === id);
    const policy = await readSecurityPolicy(db);
    for (const rule of removed) {
      await db.deleteFrom('ip_rules').where('id', '=', rule.id).execute();
      await recordAudit(db, systemClock, policy.addressPolicy, {
        action: 'ip_rule.removed',
        target: rule.id,
        details: { via: 'cli', scope: rule.scope, subject: rule.subject, cidr: rule.cidr },
      });
    }
    process.stdout.write(`Removed ${removed.length} allowlist rule${removed.length === 1 ? '' : 's'}.\n`);
  });
}

async function serve() {
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`--port must be 0 to 65535, not "${values.port}".`);
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key']))
    fail('--tls-cert and --tls-key go together.');
  const tls =
    values['tls-cert'] && values['tls-key']
      ? { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']) }
      : undefined;
  const server = await startParleyServer({
    storage: storageOptions(),
    host: values.host,
    port,
    ...(tls ? { tls } : {}),
  }).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
  process.stdout.write(`Parley Server is listening on ${server.url} (storage: ${server.storage.kind})\n`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void server.close().then(() => process.exit(0)));
  }
}

if (values.help) {
  process.stdout.write(usage);
} else if (positionals[0] === 'user' && positionals[1] === 'add') {
  await addUser();
} else if (positionals[0] === 'allowlist') {
  await allowlist(positionals[1], positionals[2]);
} else if (positionals.length === 0) {
  await serve();
} else {
  fail(`Unknown command "${positionals.join(' ')}".\n\n${usage}`);
}

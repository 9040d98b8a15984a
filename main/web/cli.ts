import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { version } from '../../package.json';
import { createNodePlatform } from '../platform/node';
import { startBrowserHost } from './host';

/** `node out/main/web.js [--port P] [--data-dir D]`: Parley in the browser, for machines without Electron. */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a whole number from 0 to 65535, not "${values.port}".\n`);
  process.exit(2);
}

const configHome = process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config');
const dataDir = values['data-dir'] ?? join(configHome, 'parley', 'browser-host');
const platform = createNodePlatform({ dataDir, appVersion: version });
const host = await startBrowserHost({
  rendererDir: join(import.meta.dirname, '..', 'renderer'),
  platform,
  port,
});

process.stdout.write(
  `Parley is running at ${host.origin}\n` +
    `Open this link in your browser (it works once, then this browser stays signed in):\n` +
    `${host.launchUrl}\n`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void host.close().then(() => process.exit(0));
  });
}

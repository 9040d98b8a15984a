// `npm start`: build, then launch Electron. Where the Electron binary is missing and cannot be
// downloaded, say so in one sentence and start the browser host instead, so Parley still starts.
// `--no-build` skips the build (used by tests); other arguments go to the browser host.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const hostArgs = args.filter((arg) => arg !== '--no-build');

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
  for (const name of ['SIGINT', 'SIGTERM']) process.on(name, () => child.kill(name));
}

/** Resolving `electron` downloads its binary on first use; do that in a child so failure is contained. */
function findElectron() {
  const result = spawnSync(process.execPath, ['-e', 'process.stdout.write(require("electron"))'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
  });
  const path = result.stdout?.trim();
  if (result.status === 0 && path && existsSync(path)) return { path };
  const lines = `${result.stderr ?? ''}`.split('\n').map((line) => line.trim());
  const cause =
    lines.find((line) => /^(\w*Error|Error):/.test(line)) ?? result.error?.message ?? 'unknown cause';
  return { reason: cause.replace(/^\w*Error:\s*/, '') };
}

if (!args.includes('--no-build')) {
  const electronVite = join(
    dirname(createRequire(import.meta.url).resolve('electron-vite/package.json')),
    'bin',
    'electron-vite.js',
  );
  const build = spawnSync(process.execPath, [electronVite, 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const electron = findElectron();
if (electron.path) {
  run(electron.path, ['.']);
} else {
  console.log(
    `The Electron binary is not installed and could not be downloaded (${electron.reason}), so Parley starts in the browser host instead.`,
  );
  run(process.execPath, [join(root, 'out', 'main', 'web.js'), ...hostArgs]);
}

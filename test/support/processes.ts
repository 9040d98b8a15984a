import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningHost {
  process: ChildProcess;
  launchUrl: string;
  origin: string;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts a command that prints the browser host's one-time link and waits for that link.
 * Used for the built browser host (out/main/web.js) and for `npm start`'s fallback.
 */
export function startHostProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<RunningHost> {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`host did not print its link:\n${stdout}\n${stderr}`)),
      30_000,
    );
    child.on('exit', (code) => reject(new Error(`host exited with ${code}:\n${stdout}\n${stderr}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const link = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=[\w-]+/.exec(stdout);
      if (!link) return;
      clearTimeout(timer);
      resolve({
        process: child,
        launchUrl: link[0],
        origin: link[1] ?? '',
        output: () => stdout,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

export function startBuiltHost(dataDir = mkdtempSync(join(tmpdir(), 'parley-host-'))) {
  return startHostProcess(process.execPath, [join('out', 'main', 'web.js'), '--data-dir', dataDir]);
}

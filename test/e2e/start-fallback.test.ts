import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { startHostProcess, type RunningHost } from '../support/processes';

let started: RunningHost | undefined;
afterAll(() => started?.stop());

describe('npm start without an Electron binary', () => {
  it('says why in one sentence and serves Parley from the browser host instead', async () => {
    // A mirror on a closed loopback port makes the binary download fail at once, as it does here.
    started = await startHostProcess(
      process.execPath,
      [
        join('scripts', 'start.mjs'),
        '--no-build',
        '--data-dir',
        mkdtempSync(join(tmpdir(), 'parley-start-')),
      ],
      { ELECTRON_MIRROR: 'http://127.0.0.1:9/', ELECTRON_OVERRIDE_DIST_PATH: '' },
    );
    const firstLine = started.output().split('\n')[0] ?? '';
    expect(firstLine).toMatch(
      /^The Electron binary is not installed and could not be downloaded \(.+\), so Parley starts in the browser host instead\.$/,
    );
    const response = await fetch(started.launchUrl, { redirect: 'manual' });
    expect(response.status).toBe(303);
  });
});

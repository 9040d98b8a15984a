import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Three projects: node (protocol, server, main with the electron test double), jsdom (renderer
// components) and e2e (the built browser host driven in Debian's Chromium).
export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias: { electron: resolve('test/support/electron.ts') } },
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/{protocol,server,main,preload}/**/*.test.ts'],
          server: { deps: { inline: ['electron-store', 'conf'] } },
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'jsdom',
          environment: 'jsdom',
          include: ['test/renderer/**/*.test.{ts,tsx}', 'test/widget/**/*.test.{ts,tsx}'],
          setupFiles: ['test/support/renderer-setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One Chromium at a time: these machines have two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});

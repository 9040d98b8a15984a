import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        // index.js is the Electron app; web.js is the browser host, started with plain Node.
        input: { index: resolve('main/index.ts'), web: resolve('main/web/cli.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // The sandboxed preload cannot require() packages, so zod and the protocol are bundled in.
      externalizeDeps: false,
      lib: { entry: resolve('preload/index.ts'), formats: ['cjs'] },
      rolldownOptions: { output: { entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      rolldownOptions: {
        input: { index: resolve('renderer/index.html'), 'web-bridge': resolve('preload/web-bridge.ts') },
        output: {
          entryFileNames: (chunk) =>
            chunk.name === 'web-bridge' ? 'web-bridge.js' : 'assets/[name]-[hash].js',
        },
      },
    },
  },
});

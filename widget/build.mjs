// Builds the visitor widget into out/widget: the loader as one classic script (parley.js, which
// sites embed with a plain <script> tag) and the frame page with its hashed assets under
// /widget/assets/. Then checks the size budget: everything a visitor downloads, gzipped.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../out/widget/', import.meta.url));
const budgetBytes = 15 * 1024;

await build({
  root,
  base: '/widget/',
  configFile: false,
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir,
    emptyOutDir: true,
    // One chunk, loaded by a module script: the preload polyfill would only add bytes.
    modulePreload: { polyfill: false },
    rolldownOptions: { input: { frame: join(root, 'frame.html') } },
  },
});

await build({
  root,
  configFile: false,
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir,
    emptyOutDir: false,
    lib: {
      entry: join(root, 'src/loader.ts'),
      formats: ['iife'],
      name: 'parleyLoader',
      fileName: () => 'parley.js',
    },
  },
});

const files = [
  'parley.js',
  ...(await readdir(join(outDir, 'assets')))
    .filter((name) => /\.(js|css)$/.test(name))
    .map((name) => `assets/${name}`),
];
let total = 0;
for (const file of files) {
  const size = gzipSync(await readFile(join(outDir, file)), { level: 9 }).length;
  total += size;
  console.log(`widget: ${file.padEnd(32)} ${(size / 1024).toFixed(2)} kB gzipped`);
}
console.log(`widget: total ${(total / 1024).toFixed(2)} kB gzipped (budget ${budgetBytes / 1024} kB)`);
if (total > budgetBytes) {
  console.error('widget: over budget. A value import from protocol/ pulls in zod: import types only.');
  process.exit(1);
}

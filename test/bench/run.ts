import { desktopCoreBench } from './desktop-core';

/** `npm run bench`: prints each figure beside its baseline from the same run, as JSON lines. */
const results = { desktopCore: await desktopCoreBench() };
for (const [name, figures] of Object.entries(results)) {
  process.stdout.write(`${JSON.stringify({ bench: name, ...figures })}\n`);
}
process.exit(0);

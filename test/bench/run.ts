import { chatLatencyBench } from './chat-latency';
import { desktopCoreBench } from './desktop-core';
import { queueFramesBench } from './queue-frames';

/** `npm run bench`: prints each figure beside its baseline from the same run, as JSON lines. */
// One after another: each bench gets the machine to itself.
const results = {
  desktopCore: await desktopCoreBench(),
  chatLatency: await chatLatencyBench(),
  queueFrames: await queueFramesBench(),
};
for (const [name, figures] of Object.entries(results)) {
  process.stdout.write(`${JSON.stringify({ bench: name, ...figures })}\n`);
}
process.exit(0);

import { networkInterfaces } from 'node:os';

/**
 * Calls `listener` when the machine's set of network addresses changes (Wi-Fi joined, VPN up,
 * cable pulled). Neither Electron nor Node has an event for this, so it compares snapshots.
 */
export function watchNetworkChanges(listener: () => void, intervalMs = 3_000): () => void {
  const snapshot = () =>
    JSON.stringify(
      Object.entries(networkInterfaces())
        .flatMap(([name, addresses]) => (addresses ?? []).map((address) => `${name}/${address.address}`))
        .sort(),
    );
  let last = snapshot();
  const timer = setInterval(() => {
    const next = snapshot();
    if (next !== last) {
      last = next;
      listener();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * A token bucket per visitor: a burst of `capacity` actions, then one every `refillMs`. Kept in
 * memory per connection: a flood is stopped where it arrives, and a visitor who reconnects to
 * dodge it starts with a full bucket but must consent (or resume) and reconnect first.
 */
export function createRateLimit(options: { capacity: number; refillMs: number; now: () => number }) {
  let tokens = options.capacity;
  let updatedAt = options.now();

  return {
    /** Takes one token; false when the bucket is empty. */
    take(): boolean {
      const now = options.now();
      tokens = Math.min(options.capacity, tokens + (now - updatedAt) / options.refillMs);
      updatedAt = now;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
    /** When the next token is due, for a "try again at" hint. */
    nextAt(): number {
      return updatedAt + Math.max(0, 1 - tokens) * options.refillMs;
    },
  };
}

export type RateLimit = ReturnType<typeof createRateLimit>;

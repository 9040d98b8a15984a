/** Every frame a test socket received, in order, and a way to wait for one that matches. */
export class FrameLog<Frame> {
  readonly frames: Frame[] = [];
  private waiters: (() => void)[] = [];

  push(frame: Frame) {
    this.frames.push(frame);
    for (const wake of this.waiters.splice(0)) wake();
  }

  async waitFor(match: (frame: Frame) => boolean, timeoutMs = 5_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching frame; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}

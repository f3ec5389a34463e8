/**
 * Giving the event loop a turn from a long computation (fitAsync between batches): a macrotask, so
 * that timers, I/O, input events and (in browsers) rendering get to run, which awaiting a resolved
 * Promise (a microtask) would not allow.
 */

/** A function that resolves in a new macrotask; `close()` releases what it holds (a MessageChannel). */
export interface EventLoopYield {
  (): Promise<void>;
  close(): void;
}

type SetImmediate = (callback: () => void) => unknown;

/**
 * setImmediate where it exists (Node, Bun): it runs after pending I/O, and a MessageChannel's port
 * would keep a Node process alive. Else a MessageChannel (browsers, Deno, workers): its messages are
 * tasks without the 4 ms minimum that browsers impose on nested setTimeout(0). Else setTimeout(0).
 */
export function eventLoopYield(): EventLoopYield {
  const setImmediate = (globalThis as { setImmediate?: SetImmediate }).setImmediate;
  if (typeof setImmediate === 'function') {
    return Object.assign(() => new Promise<void>((resolve) => void setImmediate(resolve)), { close() {} });
  }
  if (typeof MessageChannel === 'function') {
    let channel: MessageChannel | null = null;
    // Messages arrive in the order they were posted, so the waiting resolvers form a queue.
    const waiting: (() => void)[] = [];
    const yieldOnce = () =>
      new Promise<void>((resolve) => {
        if (channel === null) {
          channel = new MessageChannel();
          channel.port1.onmessage = () => waiting.shift()?.();
        }
        waiting.push(resolve);
        channel.port2.postMessage(null);
      });
    return Object.assign(yieldOnce, {
      close() {
        channel?.port1.close();
        channel = null;
      },
    });
  }
  return Object.assign(() => new Promise<void>((resolve) => void setTimeout(resolve, 0)), { close() {} });
}

// The watchers of one store instance: every store forwards its own writes and its channel's news through one of these.
import { randomBytes } from 'node:crypto';
import type { StoreWatch, StoreWatcher } from './types.js';

/**
 * Proof that a channel delivers: `send(message)` publishes a ping through the store's ordinary connection, and the
 * channel's listener hands every `p:` message it receives to `received`; `ping()` resolves true once its own ping came
 * back within `timeoutMs`. A listener that is connected but deaf (a pooler that moved it, a half-open socket) fails it.
 * @example
 * const pings = new ChannelPings((message) => publish(message), 5000); if (await pings.ping()) watchers.up();
 */
export class ChannelPings {
  private readonly waiting = new Map<string, (arrived: boolean) => void>();

  constructor(
    private readonly send: (message: string) => Promise<unknown>,
    private readonly timeoutMs: number,
  ) {}

  ping(): Promise<boolean> {
    const nonce = randomBytes(9).toString('base64url');
    return new Promise((resolve) => {
      this.waiting.set(nonce, resolve);
      const settle = (arrived: boolean) => {
        if (this.waiting.delete(nonce)) resolve(arrived);
      };
      setTimeout(() => settle(false), this.timeoutMs).unref();
      this.send(`p:${nonce}`).catch(() => settle(false));
    });
  }

  /** A `p:` message arrived on the channel (another process's pings are ignored). */
  received(message: string): void {
    const resolve = this.waiting.get(message.slice(2));
    if (resolve === undefined) return;
    this.waiting.delete(message.slice(2));
    resolve(true);
  }
}

/**
 * A set of read-cache watchers that remembers whether the store's channel is up, so that a watcher added later starts
 * in the right state; `start` opens the channel when the first watcher arrives, and its stop runs when the last leaves.
 * @example
 * const watchers = new CacheWatchers(() => { watchers.up(); return { stop: () => undefined }; });
 */
export class CacheWatchers {
  private readonly set = new Set<StoreWatcher>();
  private isUp = false;
  private channel: StoreWatch | null = null;

  constructor(private readonly start: (watchers: CacheWatchers) => StoreWatch) {}

  /** Whether anyone listens (writes skip the work otherwise). */
  get active(): boolean {
    return this.set.size > 0;
  }

  /** Add a watcher (the store's `watch()`); the channel opens with the first one. */
  add(watcher: StoreWatcher): StoreWatch {
    this.set.add(watcher);
    if (this.isUp) watcher.up();
    if (this.channel === null) this.channel = this.start(this);
    const channel = this.channel;
    return {
      stop: () => {
        if (!this.set.delete(watcher) || this.set.size > 0 || this.channel !== channel) return;
        this.channel = null;
        this.isUp = false;
        channel.stop();
      },
      ...(channel.check ? { check: channel.check } : {}),
    };
  }

  /** The store closes: its channel stops and every watcher is told it is down. */
  close(): void {
    const channel = this.channel;
    this.channel = null;
    this.down();
    this.set.clear();
    channel?.stop();
  }

  invalidate(ids: readonly string[]): void {
    if (ids.length === 0) return;
    for (const watcher of this.set) watcher.invalidate(ids);
  }

  touched(id: string, lastActiveAt: number): void {
    for (const watcher of this.set) watcher.touched(id, lastActiveAt);
  }

  flush(): void {
    for (const watcher of this.set) watcher.flush();
  }

  up(): void {
    this.isUp = true;
    for (const watcher of this.set) watcher.up();
  }

  down(): void {
    this.isUp = false;
    for (const watcher of this.set) watcher.down();
  }

  /**
   * Apply one message of a store's channel: `x:<id>` (changed or ended), `t:<id>:<lastActiveAt>` (activity), or
   * `p:<nonce>` (a ping that proves the channel delivers; ignored here).
   * @example
   * watchers.receive('x:k3J8…');
   */
  receive(message: string): void {
    if (message.startsWith('t:')) {
      const colon = message.lastIndexOf(':');
      const at = Number(message.slice(colon + 1));
      if (colon > 2 && Number.isFinite(at)) {
        this.touched(message.slice(2, colon), at);
        return;
      }
    }
    // A channel's proof-of-life ping (any process's): no news about sessions.
    if (message.startsWith('p:')) return;
    if (message.startsWith('x:')) {
      this.invalidate([message.slice(2)]);
      return;
    }
    // A message this release does not know: forgetting everything is always safe.
    this.flush();
  }
}

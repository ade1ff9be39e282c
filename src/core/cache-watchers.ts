// The watchers of one store instance: every store forwards its own writes and its channel's news through one of these.
import type { StoreWatch, StoreWatcher } from './types.js';

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
   * Apply one message of a store's channel: `x:<id>` (changed or ended) or `t:<id>:<lastActiveAt>` (activity).
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
    if (message.startsWith('x:')) {
      this.invalidate([message.slice(2)]);
      return;
    }
    // A message this release does not know: forgetting everything is always safe.
    this.flush();
  }
}

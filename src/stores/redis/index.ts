// sessionwarden/stores/redis: sessions in Redis or Redis Cluster over node-redis v5, every step one Lua script.
import { createRequire } from 'node:module';
import { parseSessionData } from '../../core/data.js';
import { toMilliseconds, type Duration } from '../../core/duration.js';
import { SessionConfigError, SessionStoreError } from '../../core/errors.js';
import { isLive, type CreateSessionInput, type CreateSessionResult, type EndReason, type ListSessionsQuery, type SessionData, type SessionPage, type SessionRecord, type SessionStats, type SessionStore, type StoreWatch, type StoreWatcher } from '../../core/types.js';
import { decodeCursor, encodeCursor, listKey } from '../cursor.js';
import { SCRIPTS, type LuaScript } from './scripts.js';
import { CacheWatchers, ChannelPings } from '../../core/cache-watchers.js';

/**
 * A node-redis client (`createClient()` from `redis` v5), connected; typed here so that the package's declarations
 * need no driver types.
 */
export interface RedisClientLike {
  sendCommand(args: string[]): Promise<unknown>;
  readonly isOpen: boolean;
  /** A new, unconnected client with the same options: the read cache's subscriber connection. */
  duplicate?(): unknown;
}

/** A node-redis cluster client (`createCluster()` from `redis` v5), connected. */
export interface RedisClusterLike {
  sendCommand(firstKey: string | undefined, isReadonly: boolean | undefined, args: string[]): Promise<unknown>;
  nodeClient(node: never): Promise<unknown>;
  readonly masters: readonly unknown[];
  readonly isOpen: boolean;
  duplicate?(): unknown;
}

/** The read cache's subscriber: a node-redis client or cluster client of its own, in subscribe mode. */
interface Subscriber {
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  destroy(): void;
  on(event: 'error' | 'end' | 'reconnecting', listener: () => void): unknown;
}

/**
 * Options of `redisStore`: a connected client (or cluster client) you own, or a URL the store connects to itself.
 * @example
 * redisStore({ url: 'redis://127.0.0.1:6379', prefix: 'myapp:sw:' })
 */
export interface RedisStoreOptions {
  /** A connected node-redis client or cluster client; it stays yours (`close()` leaves it open). @default none */
  client?: RedisClientLike | RedisClusterLike;
  /** A `redis://` or `rediss://` URL: the store creates, connects and closes its own client (offline queue off). @default none */
  url?: string;
  /** The prefix of every key: letters, digits and `_ : . -` (no glob or hash-tag characters). @default 'sw:' */
  prefix?: string;
  /**
   * How long ended and expired records are kept before Redis drops them (their TTL): at least the warden's
   * `tombstoneRetention`, which tells a returning browser why its session ended. @default '7d'
   */
  tombstoneRetention?: Duration;
}

/** The Redis store: a SessionStore with its key prefix and whether it runs on a cluster. */
export type RedisSessionStore = SessionStore &
  Required<Pick<SessionStore, 'list' | 'stats' | 'close'>> & {
    readonly prefix: string;
    /** True on a cluster client: the admin indexes are then updated in a second call (see the README). */
    readonly cluster: boolean;
    /**
     * Resolve once Redis answers a PING, or reject with STORE_UNAVAILABLE after `timeoutMs` (start-up and health checks).
     * @example
     * await store.probe(2000);
     */
    probe(timeoutMs?: number): Promise<void>;
  };

/** The default key prefix. */
export const DEFAULT_PREFIX = 'sw:';
const PREFIX = /^[A-Za-z0-9_:.-]{1,64}$/;
/** Ids the store accepts: the core's ids are base64url; anything else (braces, '#') could reach other keys. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;
/** id -> tag of a record, remembered per process: a record's tag never changes, so this saves get() a round trip. */
const TAG_CACHE_SIZE = 20_000;
/** Index members handled per deleteExpired() round. */
const PURGE_BATCH = 500;

/**
 * A Redis store over node-redis v5 (install it: `npm install redis`): a connected client or cluster client you pass,
 * `{ url }`, or just the URL. Every step is one Lua script on one hash slot; see the README for the key layout,
 * what a cluster changes and the TTL policy.
 * @example
 * const client = await createClient({ url: 'redis://127.0.0.1:6379' }).connect();
 * const warden = createWarden({ store: redisStore({ client }) });
 */
export function redisStore(options: RedisStoreOptions | string): RedisSessionStore {
  if (typeof options === 'string') return redisStore({ url: options });
  if (options === null || typeof options !== 'object') throw new SessionConfigError('redisStore() takes { client }, { url } or a redis:// URL');
  for (const key of Object.keys(options)) {
    if (!['client', 'url', 'prefix', 'tombstoneRetention'].includes(key)) throw new SessionConfigError(`redisStore: unknown option ${JSON.stringify(key)}`);
  }
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
    throw new SessionConfigError('redisStore prefix must be 1-64 letters, digits or _ : . - (e.g. "myapp:sw:"); braces and glob characters would break hash tags and SCAN');
  }
  const retention = toMilliseconds(options.tombstoneRetention ?? '7d', 'redisStore tombstoneRetention');
  if (retention < 1000) throw new SessionConfigError('redisStore tombstoneRetention must be at least 1s (the TTL of tombstones)');
  if ((options.client === undefined) === (options.url === undefined)) throw new SessionConfigError('redisStore takes exactly one of { client } or { url }');
  if (options.client !== undefined) {
    const client = options.client;
    if (client === null || typeof client !== 'object' || typeof client.sendCommand !== 'function') {
      throw new SessionConfigError('redisStore client must be a node-redis client (createClient()) or cluster client (createCluster())');
    }
    if (!client.isOpen) throw new SessionConfigError('redisStore client is not connected: await client.connect() first');
    return new RedisStore(commandsOf(client), prefix, retention);
  }
  return new RedisStore(ownCommands(options.url!), prefix, retention);
}

/**
 * The store for a `redis://` or `rediss://` URL, or `redis+cluster://host:port,host:port` for a cluster (its seed
 * nodes); the CLI and the demo use it, and the store owns and closes its client. A `prefix` query parameter sets the
 * key prefix (`redis://cache:6379/0?prefix=myapp:sw:`), so a URL names it all.
 * @example
 * const store = redisStoreFromUrl(process.env.SESSIONWARDEN_STORE ?? 'redis://127.0.0.1:6379');
 */
export function redisStoreFromUrl(url: string, options: Omit<RedisStoreOptions, 'client' | 'url'> = {}): RedisSessionStore {
  if (typeof url !== 'string') throw new SessionConfigError('redisStoreFromUrl takes a redis:// URL');
  // The query is read by hand: a cluster URL's list of hosts is not something WHATWG URL parses.
  const [address = '', query = ''] = url.split('?', 2);
  const params = new URLSearchParams(query);
  const prefix = params.get('prefix');
  if (prefix === null) return redisStore({ ...options, url });
  params.delete('prefix');
  const rest = params.toString();
  return redisStore({ ...options, prefix, url: rest === '' ? address : `${address}?${rest}` });
}

interface OwnClient extends RedisClientLike {
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  close(): Promise<void>;
  destroy(): void;
  on(event: 'error', listener: (error: unknown) => void): unknown;
}

/** Load node-redis, or say how to install it. */
function loadRedis(): { createClient: (options: object) => OwnClient; createCluster: (options: object) => OwnCluster } {
  try {
    // Loaded here, not at import: `redis` is an optional peer dependency, and only this store needs it.
    return createRequire(import.meta.url)('redis') as ReturnType<typeof loadRedis>;
  } catch (error) {
    throw new SessionConfigError(`redisStore needs the redis package (v5): npm install redis (${(error as Error).message})`);
  }
}

interface OwnCluster extends RedisClusterLike {
  readonly isOpen: boolean;
  connect(): Promise<unknown>;
  close(): Promise<void>;
  destroy(): void;
  on(event: 'error', listener: (error: unknown) => void): unknown;
}

/** `redis+cluster://host:port,host:port` (or `rediss+cluster://`): the cluster's seed nodes as plain Redis URLs. */
const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^@/]*)@)?([^/?#]+)(.*)$/i;

function connectUrl(url: string): { client: OwnClient | OwnCluster; cluster: boolean; ready: Promise<void> } {
  if (typeof url !== 'string' || !/^rediss?(\+cluster)?:\/\//i.test(url)) {
    throw new SessionConfigError('redisStore url must start with redis://, rediss://, redis+cluster:// or rediss+cluster://');
  }
  const { createClient, createCluster } = loadRedis();
  // No offline queue: while Redis is away every call fails at once (503) instead of running late, after its request
  // was answered; node-redis keeps reconnecting by itself.
  const cluster = CLUSTER_URL.exec(url);
  const client =
    cluster === null
      ? createClient({ url, disableOfflineQueue: true })
      : createCluster({
          rootNodes: cluster[3]!.split(',').map((host) => ({ url: `${cluster[1]}://${cluster[2] ? `${cluster[2]}@` : ''}${host}${cluster[4]}` })),
          defaults: { disableOfflineQueue: true },
        });
  // node-redis throws an 'error' event nobody listens to; every failed command already rejects with its cause.
  client.on('error', () => undefined);
  const ready = client.connect().then(() => undefined);
  return { client, cluster: cluster !== null, ready };
}

/** The two client kinds behind one call: a command routed by its first key. */
interface Commands {
  readonly cluster: boolean;
  /** Resolves once the connection is up (a URL store); null when already connected. */
  ready: Promise<void> | null;
  send(firstKey: string, args: string[]): Promise<unknown>;
  close(): Promise<void>;
  /** A new subscriber connection (null: the client given cannot make one, so the read cache stays off). */
  subscriber: (() => Subscriber) | null;
}

function subscriberOf(client: RedisClientLike | RedisClusterLike): (() => Subscriber) | null {
  return typeof client.duplicate === 'function' ? () => client.duplicate!() as Subscriber : null;
}

function commandsOf(client: RedisClientLike | RedisClusterLike): Commands {
  const subscriber = subscriberOf(client);
  if (isCluster(client)) {
    // Always the master (isReadonly false): a replica could answer a read before it has the write it follows.
    return { cluster: true, ready: null, send: (key, args) => client.sendCommand(key, false, args), close: async () => undefined, subscriber };
  }
  return { cluster: false, ready: null, send: (_key, args) => client.sendCommand(args), close: async () => undefined, subscriber };
}

/** The client (or cluster client) a URL store creates, connects and closes itself. */
function ownCommands(url: string): Commands {
  const { client, cluster, ready } = connectUrl(url);
  const commands: Commands = {
    cluster,
    ready,
    send: cluster
      ? (key, args) => (client as OwnCluster).sendCommand(key, false, args)
      : (_key, args) => (client as OwnClient).sendCommand(args),
    // A client still trying to connect has nothing to finish: it is destroyed, which also stops its reconnecting.
    close: async () => {
      if ((client as OwnClient).isReady ?? client.isOpen) await client.close();
      else if (client.isOpen) client.destroy();
    },
    subscriber: subscriberOf(client),
  };
  // Once connected the hot path awaits nothing; until then each call waits for the first connection.
  ready.then(
    () => {
      commands.ready = null;
    },
    () => undefined,
  );
  return commands;
}

function isCluster(client: RedisClientLike | RedisClusterLike): client is RedisClusterLike {
  return typeof (client as RedisClusterLike).nodeClient === 'function' && 'masters' in client;
}

type Fields = string[];

/** How long the read cache's subscriber waits before it reconnects, and how often it proves it delivers. */
const SUBSCRIBE_RETRY_MS = 500;
const SUBSCRIBE_HEARTBEAT_MS = 5000;

class RedisStore implements RedisSessionStore {
  readonly cluster: boolean;
  private readonly tags = new Map<string, string>();
  private readonly index: string;
  /** Read caches over this store: the scripts PUBLISH every change, a subscriber connection of ours hears them. */
  private readonly watchers = new CacheWatchers((watchers) => this.subscribe(watchers));

  constructor(
    private readonly commands: Commands,
    readonly prefix: string,
    private readonly retention: number,
  ) {
    this.cluster = commands.cluster;
    this.index = `${prefix}{i}:o`;
  }

  watch(watcher: StoreWatcher): StoreWatch {
    return this.watchers.add(watcher);
  }

  /**
   * The read cache's channel: a SUBSCRIBE on its own connection (classic pub/sub, which a cluster delivers on every
   * node). Up once SUBSCRIBE has answered; down on any error or reconnection of that connection, which is then
   * replaced by a new one (node-redis would resubscribe by itself, but without telling when).
   */
  private subscribe(watchers: CacheWatchers): StoreWatch {
    const make = this.commands.subscriber;
    if (make === null) {
      process.emitWarning('sessionwarden: redisStore: the client given has no duplicate(), so the read cache has no channel and stays off');
      return { stop: () => undefined };
    }
    const channel = `${this.prefix}changes`;
    let stopped = false;
    let current: Subscriber | null = null;
    let retry: NodeJS.Timeout | undefined;
    let heartbeat: NodeJS.Timeout | undefined;
    const pings = new ChannelPings((message) => this.commands.send(this.index, ['PUBLISH', channel, message]), SUBSCRIBE_HEARTBEAT_MS);
    const lost = (subscriber: Subscriber) => {
      if (current !== subscriber) return;
      current = null;
      clearInterval(heartbeat);
      watchers.down();
      try {
        subscriber.destroy();
      } catch {
        // Already closed.
      }
      schedule();
    };
    const schedule = () => {
      if (stopped) return;
      retry = setTimeout(() => void connect(), SUBSCRIBE_RETRY_MS);
      retry.unref();
    };
    const connect = async () => {
      if (this.commands.ready !== null) await this.commands.ready.catch(() => undefined);
      if (stopped) return;
      let subscriber: Subscriber;
      try {
        subscriber = make();
      } catch {
        schedule();
        return;
      }
      current = subscriber;
      for (const event of ['error', 'end', 'reconnecting'] as const) subscriber.on(event, () => lost(subscriber));
      try {
        await subscriber.connect();
        await subscriber.subscribe(channel, (message) => {
          if (current !== subscriber) return;
          if (message.startsWith('p:')) pings.received(message);
          else watchers.receive(message);
        });
      } catch {
        lost(subscriber);
        return;
      }
      // Up only once a ping published through the command connection came back: the path is proven end to end.
      if (!(await pings.ping())) return lost(subscriber);
      if (current !== subscriber) return;
      watchers.up();
      heartbeat = setInterval(() => {
        void pings.ping().then((arrived) => {
          if (!arrived) lost(subscriber);
        });
      }, SUBSCRIBE_HEARTBEAT_MS);
      heartbeat.unref();
    };
    void connect();
    return {
      stop: () => {
        stopped = true;
        clearTimeout(retry);
        clearInterval(heartbeat);
        const subscriber = current;
        current = null;
        try {
          subscriber?.destroy();
        } catch {
          // Already closed.
        }
      },
    };
  }

  // Keys (see scripts.ts for the layout).
  private hashKey(tag: string, id: string): string {
    return `${this.prefix}{${tag}}:s:${id}`;
  }

  private userKey(tag: string, name: string): string {
    return `${this.prefix}{${tag}}:${name}`;
  }

  /** Run a script by SHA; a server that lost its script cache (restart, failover, SCRIPT FLUSH) gets the source once. */
  private async run(script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
    if (this.commands.ready !== null) await this.commands.ready;
    const tail = [String(keys.length), ...keys, this.prefix, this.cluster ? '0' : '1', String(this.retention), ...args];
    try {
      return await this.commands.send(keys[0]!, ['EVALSHA', script.sha, ...tail]);
    } catch (error) {
      // NOSCRIPT is how Redis says "unknown SHA"; EVAL runs the source and caches it on that server.
      if (error instanceof Error && error.message.startsWith('NOSCRIPT')) return this.commands.send(keys[0]!, ['EVAL', script.source, ...tail]);
      throw error;
    }
  }

  /** A cluster's second step: the index changes a script returned, applied in the index slot. */
  private async applyOps(ops: unknown): Promise<void> {
    if (!Array.isArray(ops) || ops.length === 0) return;
    await this.run(SCRIPTS.apply, [this.index], ops as string[]);
  }

  private remember(id: string, tag: string): void {
    if (this.tags.size >= TAG_CACHE_SIZE) this.tags.delete(this.tags.keys().next().value!);
    this.tags.set(id, tag);
  }

  /** The tag of a record by id (cache, else one round trip to its pointer), with the record when that trip found it. */
  private async locate(id: string): Promise<{ tag: string; fields: Fields | null } | null> {
    const tag = this.tags.get(id);
    if (tag !== undefined) return { tag, fields: null };
    const anonymous = anonymousTag(id);
    const found = (await this.run(SCRIPTS.locate, [this.hashKey(anonymous, id), this.userKey(anonymous, 'p')], [])) as [string, unknown];
    if (found[0] === 'a') {
      this.remember(id, anonymous);
      return { tag: anonymous, fields: found[1] as Fields };
    }
    if (found[0] === 't') {
      this.remember(id, found[1] as string);
      return { tag: found[1] as string, fields: null };
    }
    return null;
  }

  async get(id: string): Promise<SessionRecord | null> {
    if (!ID.test(id)) return null;
    const located = await this.locate(id);
    if (located === null) return null;
    const fields = located.fields ?? ((await this.run(SCRIPTS.read, [this.hashKey(located.tag, id)], [])) as Fields);
    if (fields.length === 0) {
      this.tags.delete(id);
      return null;
    }
    return toRecord(fields);
  }

  async create({ record, replaces, requireReplaced, limit, now }: CreateSessionInput): Promise<CreateSessionResult> {
    if (!ID.test(record.id)) throw new SessionStoreError('STORE_WRITE_FAILED', 'redisStore: session ids must be base64url');
    const tag = record.userId === null ? anonymousTag(record.id) : userTag(record.userId);
    const ttl = Math.max(record.expiresAt - now, 0) + this.retention;
    let replacedTag = '';
    let otherSlot: string | null = null;
    if (replaces && ID.test(replaces)) {
      if (!this.cluster) replacedTag = this.tags.get(replaces) ?? '';
      else {
        replacedTag = (await this.locate(replaces))?.tag ?? '';
        if (replacedTag !== '' && replacedTag !== tag) otherSlot = replacedTag;
      }
    }
    if (requireReplaced && this.cluster && replacedTag === '') return { ok: false, reason: 'gone' };
    if (requireReplaced && otherSlot !== null) {
      // A rotation into another slot cannot be one script: claim the old session first, so that one successor wins.
      const [status, ops] = (await this.run(SCRIPTS.rotate, [this.hashKey(otherSlot, replaces!)], [String(now), record.id, '1'])) as [string, unknown];
      await this.applyOps(ops);
      if (status === 'gone') return { ok: false, reason: 'gone' };
    }
    const pointer = this.userKey(anonymousTag(record.id), 'p');
    const claims = this.cluster && record.userId !== null;
    if (claims) {
      const claimed = await this.run(SCRIPTS.claim, [pointer], [tag, String(ttl), record.id]);
      if (claimed !== 'ok') throw new SessionStoreError('STORE_CONFLICT', 'a session with this id already exists');
    }
    const sameSlot = otherSlot === null;
    const result = (await this.run(SCRIPTS.create, [this.hashKey(tag, record.id)], [
      String(now),
      sameSlot ? (replaces ?? '') : '',
      sameSlot ? replacedTag : '',
      requireReplaced && sameSlot ? '1' : '',
      limit && record.userId !== null ? String(limit.max) : '',
      limit ? String(limit.lockMs) : '',
      limit ? limit.onExceed : '',
      String(ttl),
      ...recordFields(record, tag),
    ])) as [string, ...unknown[]];
    if (result[0] !== 'ok') {
      if (claims && result[0] !== 'conflict') await this.run(SCRIPTS.unclaim, [pointer], [tag]);
      if (result[0] === 'conflict') throw new SessionStoreError('STORE_CONFLICT', 'a session with this id already exists');
      if (result[0] === 'gone') return { ok: false, reason: 'gone' };
      return { ok: false, reason: 'limit', retryAt: result[1] === null ? null : Number(result[1]) };
    }
    await this.applyOps(result[2]);
    if (otherSlot !== null && !requireReplaced) {
      // A login from an anonymous or another user's session: that session lives in another slot, ended right after.
      const [, ops] = (await this.run(SCRIPTS.rotate, [this.hashKey(otherSlot, replaces!)], [String(now), record.id, ''])) as [string, unknown];
      await this.applyOps(ops);
    }
    this.remember(record.id, tag);
    return { ok: true, evicted: (result[1] as Fields[]).map(toRecord) };
  }

  async update(id: string, data: SessionData): Promise<boolean> {
    const located = ID.test(id) ? await this.locate(id) : null;
    if (located === null) return false;
    return (await this.run(SCRIPTS.update, [this.hashKey(located.tag, id)], [JSON.stringify(data)])) === 1;
  }

  async touch(id: string, lastActiveAt: number): Promise<boolean> {
    const located = ID.test(id) ? await this.locate(id) : null;
    if (located === null) return false;
    const [touched, ops] = (await this.run(SCRIPTS.touch, [this.hashKey(located.tag, id)], [String(lastActiveAt)])) as [number, unknown];
    await this.applyOps(ops);
    return touched === 1;
  }

  async end(id: string, reason: EndReason, at: number): Promise<SessionRecord | null> {
    const located = ID.test(id) ? await this.locate(id) : null;
    if (located === null) return null;
    const [fields, ops] = (await this.run(SCRIPTS.end, [this.hashKey(located.tag, id)], [reason, String(at)])) as [Fields | null, unknown];
    await this.applyOps(ops);
    return fields === null ? null : toRecord(fields);
  }

  async endByUser(userId: string, reason: EndReason, at: number, exceptId?: string | null): Promise<SessionRecord[]> {
    const tag = userTag(userId);
    const [records, ops] = (await this.run(SCRIPTS.endByUser, [this.userKey(tag, 'o')], [tag, reason, String(at), exceptId ?? ''])) as [Fields[], unknown];
    await this.applyOps(ops);
    return records.map(toRecord);
  }

  async listByUser(userId: string, now: number): Promise<SessionRecord[]> {
    const tag = userTag(userId);
    const records = ((await this.run(SCRIPTS.listByUser, [this.userKey(tag, 'o')], [tag, String(now)])) as Fields[]).map(toRecord);
    return records.sort((a, b) => b.lastActiveAt - a.lastActiveAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  async deleteExpired(before: number): Promise<number> {
    let deleted = 0;
    // Every round purges or re-files each member it finds, so the loop ends; the bound is a second guard.
    for (let round = 0; round < 1_000_000; round += 1) {
      const [count, members, found] = (await this.run(SCRIPTS.dead, [this.index], [String(before), String(PURGE_BATCH)])) as [number, string[], number];
      deleted += count;
      if (found === 0) break;
      if (!this.cluster) continue;
      // On a cluster, each record is purged in its own slot, then the index forgets it in a last step.
      const byTag = new Map<string, string[]>();
      for (const member of members) {
        const tag = memberTag(member);
        byTag.set(tag, [...(byTag.get(tag) ?? []), member]);
      }
      const results = await Promise.all(
        [...byTag].map(([tag, group]) => this.run(SCRIPTS.purge, [this.userKey(tag, 'o')], [tag, String(before), ...group]) as Promise<[number, string[]]>),
      );
      for (const [count] of results) deleted += count;
      await this.applyOps(results.flatMap(([, ops]) => ops));
    }
    return deleted;
  }

  async list(query: ListSessionsQuery): Promise<SessionPage> {
    const status = query.status ?? 'all';
    const now = String(query.now);
    const names = status === 'active' ? 'o' : status === 'ended' ? 'e,o' : 'c';
    // The smallest index that answers: the user's (in the user's slot, read in the same call), an IP's, or everyone's.
    const tag = query.userId !== undefined ? userTag(query.userId) : '';
    const base = tag !== '' ? this.userKey(tag, '') : query.ip !== undefined ? `${this.prefix}{i}:ip:${query.ip}:` : `${this.prefix}{i}:`;
    const after = decodeCursor(query.cursor);
    let cursorScore = after === null ? '' : String(after.key);
    let cursorId = after === null ? '' : after.id;
    const page: { record: SessionRecord; score: number }[] = [];
    const want = query.limit + 1;
    for (;;) {
      const count = want - page.length;
      const [members, scores, inSlot] = (await this.run(SCRIPTS.walk, [base + names[0]], [
        names,
        base,
        status === 'active' ? now : '',
        status === 'ended' ? now : '',
        cursorScore,
        cursorId,
        String(count),
        tag,
      ])) as [string[], string[], Fields[]];
      // Global and IP indexes name records in other slots: read them in parallel (one round trip, a cluster's nodes at once).
      const fields = tag !== '' ? inSlot : await Promise.all(members.map((member) => this.run(SCRIPTS.read, [this.memberKey(member)], []) as Promise<Fields>));
      members.forEach((member, k) => {
        const record = fields[k]!.length > 0 ? toRecord(fields[k]!) : null;
        // Every record is checked against the query: an index entry never shows a record that no longer matches.
        if (record !== null && matches(record, query, status)) page.push({ record, score: Number(scores[k]) });
        cursorScore = scores[k]!;
        cursorId = member.split('#')[0]!;
      });
      if (page.length >= want || members.length < count) break;
    }
    const shown = page.slice(0, query.limit);
    const last = shown[shown.length - 1];
    return {
      sessions: shown.map((entry) => entry.record),
      nextCursor: page.length > query.limit && last ? encodeCursor(last.score, last.record.id) : null,
    };
  }

  async stats(now: number): Promise<SessionStats> {
    const [live, ended, expired, users] = (await this.run(SCRIPTS.stats, [this.index], [String(now)])) as number[];
    return { live: live!, ended: ended!, expired: expired!, users: users! };
  }

  async close(): Promise<void> {
    this.watchers.close();
    await this.commands.close();
  }

  async probe(timeoutMs = 2000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SessionStoreError('STORE_UNAVAILABLE', `Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const ping = (async () => {
      if (this.commands.ready !== null) await this.commands.ready;
      await this.commands.send(this.index, ['PING']);
    })();
    try {
      await Promise.race([ping, timeout]);
    } catch (error) {
      if (error instanceof SessionStoreError) throw error;
      throw new SessionStoreError('STORE_UNAVAILABLE', `Redis is unavailable: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  private memberKey(member: string): string {
    const [id, user] = member.split('#') as [string, string];
    return this.hashKey(user === '' ? anonymousTag(id) : `u:${user}`, id);
  }
}

/** The hash tag of a user's keys: the user id in base64url, so no user id can name another user's keys or slot. */
function userTag(userId: string): string {
  return `u:${Buffer.from(userId).toString('base64url')}`;
}

function anonymousTag(id: string): string {
  return `a:${id}`;
}

function memberTag(member: string): string {
  const [id, user] = member.split('#') as [string, string];
  return user === '' ? anonymousTag(id) : `u:${user}`;
}

/** The hash's field/value pairs of a new record; null fields are left out. */
function recordFields(record: SessionRecord, tag: string): string[] {
  const fields = ['id', record.id, 't', tag, 'sh', record.secretHash, 'c', String(record.createdAt), 'l', String(record.lastActiveAt), 'i', String(record.idleTimeout), 'x', String(record.expiresAt), 'd', JSON.stringify(record.data)];
  if (record.userId !== null) fields.push('u', record.userId);
  if (record.authenticatedAt !== null) fields.push('a', String(record.authenticatedAt));
  if (record.ip !== null) fields.push('ip', record.ip);
  if (record.userAgent !== null) fields.push('ua', record.userAgent);
  return fields;
}

/** The one hash-to-record function (HGETALL's flat field/value array). */
function toRecord(flat: Fields): SessionRecord {
  const f: Record<string, string | undefined> = Object.create(null) as Record<string, string | undefined>;
  for (let k = 0; k < flat.length; k += 2) f[flat[k]!] = flat[k + 1];
  const id = f.id ?? '';
  let data: SessionData;
  try {
    data = parseSessionData(f.d);
  } catch (error) {
    throw new SessionStoreError('STORE_CORRUPT', `session ${id} has unreadable data`, { cause: error });
  }
  return {
    id,
    secretHash: f.sh ?? '',
    userId: f.u ?? null,
    createdAt: Number(f.c),
    authenticatedAt: f.a === undefined ? null : Number(f.a),
    lastActiveAt: Number(f.l),
    idleTimeout: Number(f.i),
    expiresAt: Number(f.x),
    ip: f.ip ?? null,
    userAgent: f.ua ?? null,
    data,
    endedAt: f.e === undefined ? null : Number(f.e),
    endReason: (f.r ?? null) as EndReason | null,
    replacedBy: f.rb ?? null,
  };
}

/** Whether a record read through an admin index still matches the query (rotated tombstones never do). */
function matches(record: SessionRecord, query: ListSessionsQuery, status: 'all' | 'active' | 'ended'): boolean {
  if (record.endReason === 'rotated') return false;
  if (query.userId !== undefined && record.userId !== query.userId) return false;
  if (query.ip !== undefined && record.ip !== query.ip) return false;
  if (status === 'active') return isLive(record, query.now);
  if (status === 'ended') return listKey(record, 'ended') <= query.now;
  return true;
}

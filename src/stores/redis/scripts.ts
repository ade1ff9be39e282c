// The Redis store's Lua: one small library shared by every script, and one script per store step, each run atomically.
import { createHash } from 'node:crypto';

/*
 * Key layout (P = the key prefix, U = the user id in base64url, so that no user id can reach into another's keys):
 *   P{u:U}:s:<id>   one hash per signed-in session        P{a:<id>}:s:<id>  one hash per anonymous session
 *   P{a:<id>}:p     the pointer id -> tag of a signed-in session (get() knows only the id)
 *   P{u:U}:o / :e / :c   the user's open sessions by deadline, ended ones by end time, all by creation time
 *   P{i}:o / :e / :c     the same over everyone, and P{i}:ip:<ip>:o|e|c per IP (members "<id>#<U>#<ip>")
 *   P{i}:users      users by the latest deadline of their open sessions (for stats)
 * Everything of one user shares the hash tag {u:U}, so each script below touches one slot and runs on Redis Cluster.
 * The admin indexes {i} live in a slot of their own: on a single server the same script keeps them (INLINE); on a
 * cluster the script returns its index changes ("ops") and the store applies them with `apply` in a second call.
 *
 * Hash fields: id, t (tag), u (user id), sh (secret hash), c (created), a (authenticated), l (last active),
 * i (idle timeout), x (expires), ip, ua, d (data JSON), e (ended), r (end reason), rb (replaced by). Absent = null.
 * Records are "open" until `e` is set; their deadline is min(l + i, x). TTLs are only garbage collection: a hash lives
 * until x + retention (never less than its own deadline), a tombstone `retention` after its end.
 */
const LIBRARY = String.raw`
local P, INLINE, RETAIN = ARGV[1], ARGV[2] == '1', tonumber(ARGV[3])
local OPS, TAGS = {}, {}

local function fmt(n) return string.format('%.0f', n) end
local function hkey(tag, id) return P .. '{' .. tag .. '}:s:' .. id end
local function ukey(tag, name) return P .. '{' .. tag .. '}:' .. name end
local function ikey(name) return P .. '{i}:' .. name end
local function is_user(tag) return string.sub(tag, 1, 2) == 'u:' end
local function member_of(id, tag, ip)
  local user = ''
  if is_user(tag) then user = string.sub(tag, 3) end
  return id .. '#' .. user .. '#' .. (ip or '')
end
local function parse_member(m) return string.match(m, '^([^#]*)#([^#]*)#(.*)$') end
local function tag_of_member(m)
  local id, user = parse_member(m)
  if user ~= '' then return 'u:' .. user end
  return 'a:' .. id
end

-- Byte order (Lua's < follows the server's locale; ids and members are compared as Redis sorts them).
local function before(a, b)
  local n = math.min(#a, #b)
  for k = 1, n do
    local x, y = string.byte(a, k), string.byte(b, k)
    if x ~= y then return x < y end
  end
  return #a < #b
end

-- The read caches' channel: every change to a record, in the script that makes it (ids only, never secrets or data).
local function announce(message) redis.call('PUBLISH', P .. 'changes', message) end

-- TTLs are garbage collection only: extend, never shorten.
local function keep(key, ms)
  local t = redis.call('PTTL', key)
  if t == -1 or (t >= 0 and t < ms) then redis.call('PEXPIRE', key, fmt(ms)) end
end

-- The admin indexes (slot {i}): the global sets and the sets of the member's IP.
local function index_sets(m, name)
  local _, _, ip = parse_member(m)
  local keys = { ikey(name) }
  if ip ~= '' then keys[2] = ikey('ip:' .. ip .. ':' .. name) end
  return keys
end
local function drop_member(m)
  for _, name in ipairs({ 'c', 'o', 'e' }) do
    for _, key in ipairs(index_sets(m, name)) do redis.call('ZREM', key, m) end
  end
end
local purge -- defined below; on a single server, pruning the index purges the whole record.
-- Bounded pruning of index members that stopped being live more than the retention ago: on a single server the
-- record goes with them; on a cluster (other slots) its hash and the user's sets are left to their TTLs.
local function prune_index(cut, n)
  for _, name in ipairs({ 'o', 'e' }) do
    local dead = redis.call('ZRANGEBYSCORE', ikey(name), '-inf', '(' .. fmt(cut), 'LIMIT', 0, n)
    for _, m in ipairs(dead) do
      if INLINE then purge(tag_of_member(m), parse_member(m), m, cut) else drop_member(m) end
    end
  end
  redis.call('ZREMRANGEBYSCORE', ikey('users'), '-inf', '(' .. fmt(cut))
end
local function apply(op, a, b, c, d)
  if op == 'add' then
    local ended = redis.call('ZSCORE', ikey('e'), a)
    local cs, os = index_sets(a, 'c'), index_sets(a, 'o')
    for k = 1, #cs do
      redis.call('ZADD', cs[k], b, a)
      if not ended then redis.call('ZADD', os[k], c, a) end
    end
    prune_index(tonumber(d) - RETAIN, 4)
  elseif op == 'open' then
    for _, key in ipairs(index_sets(a, 'o')) do redis.call('ZADD', key, 'XX', b, a) end
  elseif op == 'end' then
    local os, es = index_sets(a, 'o'), index_sets(a, 'e')
    for k = 1, #os do
      redis.call('ZREM', os[k], a)
      redis.call('ZADD', es[k], b, a)
    end
  elseif op == 'drop' then
    drop_member(a)
  elseif op == 'user' then
    if b == '' then redis.call('ZREM', ikey('users'), a) else redis.call('ZADD', ikey('users'), b, a) end
  end
end
local ARITY = { add = 4, open = 2, ['end'] = 2, drop = 1, user = 2 }
local function emit(op, a, b, c, d)
  if INLINE then
    apply(op, a, b, c, d)
  else
    local n = ARITY[op]
    local args = { a, b, c, d }
    OPS[#OPS + 1] = op
    for k = 1, n do OPS[#OPS + 1] = args[k] end
  end
end

-- The users index: a user counts while the latest deadline of their open sessions is ahead.
local function sync_users()
  for tag in pairs(TAGS) do
    local top = redis.call('ZRANGE', ukey(tag, 'o'), -1, -1, 'WITHSCORES')
    emit('user', string.sub(tag, 3), top[2] or '')
  end
  TAGS = {}
end

local function deadline_of(f_l, f_i, f_x) return math.min(tonumber(f_l) + tonumber(f_i), tonumber(f_x)) end

-- End the open record at key (false when missing or already ended); a rotated tombstone leaves every index.
local function finish(key, reason, at, successor)
  local f = redis.call('HMGET', key, 'id', 't', 'ip', 'e')
  if not f[1] or f[4] then return false end
  local id, tag = f[1], f[2]
  local m = member_of(id, tag, f[3])
  redis.call('HSET', key, 'e', fmt(at), 'r', reason)
  if successor then redis.call('HSET', key, 'rb', successor) end
  announce('x:' .. id)
  redis.call('PEXPIRE', key, fmt(RETAIN))
  if is_user(tag) then
    redis.call('ZREM', ukey(tag, 'o'), id)
    if reason == 'rotated' then
      redis.call('ZREM', ukey(tag, 'c'), id)
    else
      redis.call('ZADD', ukey(tag, 'e'), fmt(at), id)
      keep(ukey(tag, 'e'), RETAIN)
    end
    TAGS[tag] = true
  end
  if reason == 'rotated' then emit('drop', m) else emit('end', m, fmt(at)) end
  return true
end

-- Delete a record that stopped being live before cut (or whose hash is already gone); true when it is gone now.
purge = function(tag, id, m, cut)
  local key = hkey(tag, id)
  local f = redis.call('HMGET', key, 'e', 'l', 'i', 'x', 'r', 'c')
  if f[2] then
    local gone = tonumber(f[1] or deadline_of(f[2], f[3], f[4]))
    if gone >= cut then
      -- The index was stale (a cluster's second step lost): put the record back where it belongs.
      emit('drop', m)
      if f[5] ~= 'rotated' then
        emit('add', m, f[6], fmt(deadline_of(f[2], f[3], f[4])), fmt(cut + RETAIN))
        if f[1] then emit('end', m, f[1]) end
      end
      return false
    end
    redis.call('DEL', key)
  end
  if is_user(tag) then
    for _, name in ipairs({ 'o', 'e', 'c' }) do redis.call('ZREM', ukey(tag, name), id) end
    TAGS[tag] = true
  end
  -- The pointer lives in the slot {a:<id>}: reachable on a single server; on a cluster its own TTL ends it.
  if INLINE or not is_user(tag) then redis.call('DEL', ukey('a:' .. id, 'p')) end
  emit('drop', m)
  return true
end

-- Forget a user's members that stopped being live more than the retention ago (their hashes expire by TTL).
local function prune_user(tag, cut)
  for _, name in ipairs({ 'o', 'e' }) do
    local dead = redis.call('ZRANGEBYSCORE', ukey(tag, name), '-inf', '(' .. fmt(cut), 'LIMIT', 0, 16)
    for _, id in ipairs(dead) do
      for _, other in ipairs({ 'o', 'e', 'c' }) do redis.call('ZREM', ukey(tag, other), id) end
    end
  end
end

-- Mirrors planLimit (src/core/limit.ts) line by line; the property test runs both on random inputs.
local function kth_smallest(values, k)
  if k < 1 or k > #values then return nil end
  table.sort(values)
  return values[k]
end
local function plan_limit(live, max, lock, on_exceed, now)
  local excess = #live + 1 - max
  if excess <= 0 then return true, {} end
  if on_exceed == 'reject' then
    -- A slot opens when enough sessions end by themselves.
    local deadlines = {}
    for _, s in ipairs(live) do deadlines[#deadlines + 1] = s.deadline end
    return false, kth_smallest(deadlines, excess)
  end
  -- With no lock, clock skew between processes must not protect anyone.
  local displaceable, opens = {}, {}
  for _, s in ipairs(live) do
    if lock > 0 and now - s.c < lock then
      opens[#opens + 1] = math.min(s.c + lock, s.deadline)
    else
      displaceable[#displaceable + 1] = s
    end
  end
  -- Least recently active first, then oldest; planLimit keeps input order for full ties, which the store feeds by id.
  table.sort(displaceable, function(a, b)
    if a.l ~= b.l then return a.l < b.l end
    if a.c ~= b.c then return a.c < b.c end
    return before(a.id, b.id)
  end)
  if #displaceable >= excess then
    local evict = {}
    for k = 1, excess do evict[k] = displaceable[k] end
    return true, evict
  end
  return false, kth_smallest(opens, excess - #displaceable)
end

-- The user's live sessions (open, deadline ahead), except one id.
local function live_of(tag, now, except)
  local live = {}
  local ids = redis.call('ZRANGEBYSCORE', ukey(tag, 'o'), '(' .. fmt(now), '+inf')
  table.sort(ids, before)
  for _, id in ipairs(ids) do
    if id ~= except then
      local f = redis.call('HMGET', hkey(tag, id), 'c', 'l', 'i', 'x', 'e')
      if f[1] and not f[5] then
        local deadline = deadline_of(f[2], f[3], f[4])
        if deadline > now then live[#live + 1] = { id = id, c = tonumber(f[1]), l = tonumber(f[2]), deadline = deadline } end
      end
    end
  end
  return live
end
-- Insert a record with its limit and replaced session (the create script; a test's bulk loader calls it in a loop).
local function create(key, A)
  local now, replaces, rtag = tonumber(A[4]), A[5], A[6]
  local r = {}
  for k = 12, #A, 2 do r[A[k]] = A[k + 1] end
  local tag, ttl = r.t, tonumber(A[11])
  if redis.call('EXISTS', key) == 1 then return { 'conflict' } end
  if INLINE or not is_user(tag) then
    -- The id must be new under every tag: its pointer and the anonymous hash share the slot {a:<id>}.
    if redis.call('EXISTS', ukey('a:' .. r.id, 'p')) == 1 or redis.call('EXISTS', hkey('a:' .. r.id, r.id)) == 1 then return { 'conflict' } end
  end
  local rkey = nil
  if replaces ~= '' then
    if rtag == '' and INLINE then
      if redis.call('EXISTS', hkey('a:' .. replaces, replaces)) == 1 then rtag = 'a:' .. replaces
      else rtag = redis.call('GET', ukey('a:' .. replaces, 'p')) or '' end
    end
    if rtag ~= '' then rkey = hkey(rtag, replaces) end
  end
  if A[7] == '1' then
    if not rkey or redis.call('HEXISTS', rkey, 'id') == 0 or redis.call('HEXISTS', rkey, 'e') == 1 then return { 'gone' } end
  end
  local evict = {}
  if A[8] ~= '' and is_user(tag) then
    local ok, plan = plan_limit(live_of(tag, now, replaces), tonumber(A[8]), tonumber(A[9]), A[10], now)
    -- Nothing has been written yet: a refusal leaves every session as it was.
    if not ok then
      if plan then return { 'limit', fmt(plan) } end
      return { 'limit', false }
    end
    evict = plan
  end
  if rkey then finish(rkey, 'rotated', now, r.id) end
  local evicted = {}
  for _, victim in ipairs(evict) do
    local vkey = hkey(tag, victim.id)
    if finish(vkey, 'replaced', now) then evicted[#evicted + 1] = redis.call('HGETALL', vkey) end
  end
  local pairs_ = {}
  for k = 12, #A do pairs_[#pairs_ + 1] = A[k] end
  redis.call('HSET', key, unpack(pairs_))
  redis.call('PEXPIRE', key, fmt(ttl))
  local deadline = deadline_of(r.l, r.i, r.x)
  if is_user(tag) then
    prune_user(tag, now - RETAIN)
    redis.call('ZADD', ukey(tag, 'o'), fmt(deadline), r.id)
    redis.call('ZADD', ukey(tag, 'c'), r.c, r.id)
    for _, name in ipairs({ 'o', 'c', 'e' }) do keep(ukey(tag, name), ttl) end
    if INLINE then redis.call('SET', ukey('a:' .. r.id, 'p'), tag, 'PX', fmt(ttl)) end
    TAGS[tag] = true
  end
  emit('add', member_of(r.id, tag, r.ip), r.c, fmt(deadline), fmt(now))
  sync_users()
  return { 'ok', evicted, OPS }
end
`;

/** Script bodies after the library; ARGV[1..3] are always the prefix, INLINE ('1' on a single server) and the retention. */
const BODIES = {
  /** KEYS[1] the session hash. The whole record, or an empty array. */
  read: `return redis.call('HGETALL', KEYS[1])`,

  /** KEYS[1] the anonymous hash of an id, KEYS[2] its pointer. {'a', fields} | {'t', tag} | {'none'}. */
  locate: `
local h = redis.call('HGETALL', KEYS[1])
if #h > 0 then return { 'a', h } end
local t = redis.call('GET', KEYS[2])
if t then return { 't', t } end
return { 'none' }`,

  /** KEYS[1] the pointer of a signed-in record (cluster only: the create runs in the user's slot). ARGV 4 tag, 5 ttl, 6 id. */
  claim: `
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', hkey('a:' .. ARGV[6], ARGV[6])) == 1 then return 'conflict' end
redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[5])
return 'ok'`,

  /** KEYS[1] the pointer; deletes it if it still names ARGV[4] (a create refused after its claim). */
  unclaim: `
if redis.call('GET', KEYS[1]) == ARGV[4] then redis.call('DEL', KEYS[1]) end
return 1`,

  /**
   * KEYS[1] the new hash. ARGV 4 now, 5 replaces id, 6 its tag ('' = resolve here (INLINE) or not in this slot),
   * 7 requireReplaced, 8 max ('' = no limit), 9 lockMs, 10 onExceed, 11 key TTL, 12… field/value pairs.
   * {'ok', evicted records, ops} | {'conflict'} | {'gone'} | {'limit', retryAt|false}.
   */
  create: `return create(KEYS[1], ARGV)`,

  /** KEYS[1] the replaced hash (a cluster's second step). ARGV 4 now, 5 successor, 6 '1' = fail unless open. {'ok'|'gone', ops}. */
  rotate: `
if finish(KEYS[1], 'rotated', tonumber(ARGV[4]), ARGV[5]) then
  sync_users()
  return { 'ok', OPS }
end
if ARGV[6] == '1' then return { 'gone', OPS } end
return { 'ok', OPS }`,

  /** KEYS[1] the hash. ARGV 4 data JSON. 1 | 0 (missing or ended: never resurrected). */
  update: `
local f = redis.call('HMGET', KEYS[1], 'id', 'e')
if not f[1] or f[2] then return 0 end
redis.call('HSET', KEYS[1], 'd', ARGV[4])
announce('x:' .. f[1])
return 1`,

  /** KEYS[1] the hash. ARGV 4 lastActiveAt. {1|0, ops}: the deadline moves in every index. */
  touch: `
local f = redis.call('HMGET', KEYS[1], 'id', 'e', 't', 'ip', 'i', 'x')
if not f[1] or f[2] then return { 0, OPS } end
redis.call('HSET', KEYS[1], 'l', ARGV[4])
announce('t:' .. f[1] .. ':' .. ARGV[4])
local deadline = fmt(deadline_of(ARGV[4], f[5], f[6]))
if is_user(f[3]) then
  redis.call('ZADD', ukey(f[3], 'o'), 'XX', deadline, f[1])
  TAGS[f[3]] = true
end
emit('open', member_of(f[1], f[3], f[4]), deadline)
sync_users()
return { 1, OPS }`,

  /** KEYS[1] the hash. ARGV 4 reason, 5 at. {record|false, ops}. */
  end: `
if finish(KEYS[1], ARGV[4], tonumber(ARGV[5])) then
  sync_users()
  return { redis.call('HGETALL', KEYS[1]), OPS }
end
return { false, OPS }`,

  /** KEYS[1] the user's open set. ARGV 4 tag, 5 reason, 6 at, 7 except id. {records, ops}. */
  endByUser: `
local tag, at = ARGV[4], tonumber(ARGV[6])
local ended = {}
for _, s in ipairs(live_of(tag, at, ARGV[7])) do
  local key = hkey(tag, s.id)
  if finish(key, ARGV[5], at) then ended[#ended + 1] = redis.call('HGETALL', key) end
end
sync_users()
return { ended, OPS }`,

  /** KEYS[1] the user's open set. ARGV 4 tag, 5 now. The live records. */
  listByUser: `
local out = {}
for _, s in ipairs(live_of(ARGV[4], tonumber(ARGV[5]), '')) do out[#out + 1] = redis.call('HGETALL', hkey(ARGV[4], s.id)) end
return out`,

  /** KEYS[1] any key of slot {i} (or the user's): ARGV 4… ops to apply (a cluster's second step). */
  apply: `
local k = 4
while k <= #ARGV do
  local op = ARGV[k]
  local n = ARITY[op]
  if not n then return redis.error_reply('sessionwarden: unknown index op ' .. tostring(op)) end
  apply(op, ARGV[k + 1], ARGV[k + 2], ARGV[k + 3], ARGV[k + 4])
  k = k + n + 1
end
return 1`,

  /**
   * KEYS[1] P{i}:o. ARGV 4 cut, 5 batch. On a single server: purges up to a batch of records gone before cut, returns
   * {count, {}}; on a cluster: returns {0, members} for the store to purge slot by slot.
   */
  dead: `
local cut, n = tonumber(ARGV[4]), tonumber(ARGV[5])
local found = redis.call('ZRANGEBYSCORE', ikey('o'), '-inf', '(' .. fmt(cut), 'LIMIT', 0, n)
for _, m in ipairs(redis.call('ZRANGEBYSCORE', ikey('e'), '-inf', '(' .. fmt(cut), 'LIMIT', 0, n)) do found[#found + 1] = m end
redis.call('ZREMRANGEBYSCORE', ikey('users'), '-inf', '(' .. fmt(cut))
if not INLINE then return { 0, found, #found } end
local count = 0
for _, m in ipairs(found) do
  if purge(tag_of_member(m), parse_member(m), m, cut) then count = count + 1 end
end
sync_users()
return { count, {}, #found }`,

  /** KEYS[1] a key of the tag's slot. ARGV 4 tag, 5 cut, 6… members. {purged count, ops}. */
  purge: `
local tag, cut, count = ARGV[4], tonumber(ARGV[5]), 0
for k = 6, #ARGV do
  local m = ARGV[k]
  if purge(tag, parse_member(m), m, cut) then count = count + 1 end
end
sync_users()
return { count, OPS }`,

  /**
   * KEYS[1] the first set to walk (slot {i} or the user's). ARGV 4 names the sets ('o' | 'c' | 'e,o'), 5 prefix of the
   * set keys, 6 lower bound: members must score > it ('' = none), 7 upper bound: <= it ('' = none), 8 cursor score
   * ('' = none), 9 cursor id, 10 count, 11 the user's tag to read records in this slot ('' = return members only).
   * Newest first (score, then member, descending), merging two sets for 'ended'. {members, scores, records}.
   */
  walk: `
local names, base, lo, hi, cs, cid, n, tag = ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], tonumber(ARGV[10]), ARGV[11]
local function take(set)
  local start = 0
  if hi ~= '' then start = redis.call('ZCOUNT', set, '(' .. hi, '+inf') end
  if cs ~= '' then
    start = redis.call('ZCOUNT', set, '(' .. cs, '+inf')
    for _, m in ipairs(redis.call('ZRANGEBYSCORE', set, cs, cs)) do
      if not before(m, cid) then start = start + 1 end
    end
  end
  local got = redis.call('ZRANGE', set, start, start + n - 1, 'REV', 'WITHSCORES')
  local out = {}
  for k = 1, #got, 2 do
    if lo ~= '' and tonumber(got[k + 1]) <= tonumber(lo) then break end
    out[#out + 1] = { got[k], got[k + 1] }
  end
  return out
end
local lists = {}
for name in string.gmatch(names, '[^,]+') do lists[#lists + 1] = take(base .. name) end
local merged = lists[1]
if #lists == 2 then
  merged = {}
  local a, b, x, y = lists[1], lists[2], 1, 1
  while #merged < n and (x <= #a or y <= #b) do
    local pick_a = y > #b or (x <= #a and (tonumber(a[x][2]) > tonumber(b[y][2]) or (tonumber(a[x][2]) == tonumber(b[y][2]) and before(b[y][1], a[x][1]))))
    if pick_a then merged[#merged + 1] = a[x]; x = x + 1 else merged[#merged + 1] = b[y]; y = y + 1 end
  end
end
local members, scores, records = {}, {}, {}
for k, e in ipairs(merged) do
  members[k], scores[k] = e[1], e[2]
  if tag ~= '' then records[k] = redis.call('HGETALL', hkey(tag, e[1])) end
end
return { members, scores, records }`,

  /** KEYS[1] P{i}:o. ARGV 4 now. {live, ended, expired, users}, counting what the TTLs keep. */
  stats: `
local now = tonumber(ARGV[4])
local cut = fmt(now - RETAIN)
return {
  redis.call('ZCOUNT', ikey('o'), '(' .. fmt(now), '+inf'),
  redis.call('ZCOUNT', ikey('e'), cut, '+inf'),
  redis.call('ZCOUNT', ikey('o'), cut, fmt(now)),
  redis.call('ZCOUNT', ikey('users'), '(' .. fmt(now), '+inf'),
}`,
} as const;

/** A script's name. */
export type ScriptName = keyof typeof BODIES;

/** One script: its source and SHA-1 (EVALSHA), computed once. */
export interface LuaScript {
  readonly name: ScriptName;
  readonly source: string;
  readonly sha: string;
}

/**
 * The full source of a script: the library and the body (tests build bulk scripts on the same library).
 * @example
 * scriptSource('create')
 */
export function scriptSource(body: string): string {
  return `${LIBRARY}\n${body}`;
}

function build(name: ScriptName): LuaScript {
  const source = scriptSource(BODIES[name]);
  return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}

/** Every script, built once per process. */
export const SCRIPTS: { readonly [name in ScriptName]: LuaScript } = Object.fromEntries(
  (Object.keys(BODIES) as ScriptName[]).map((name) => [name, build(name)]),
) as { [name in ScriptName]: LuaScript };


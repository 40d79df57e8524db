-- Commits one or more consecutive operations, all or nothing (RedisDocumentStore#append/appendAll,
-- docs/redis-store.md). Several ops in one call are a batch a busy document queued up: one round trip for all.
-- KEYS: 1 meta, 2 snap, 3 log, 4 ids, 5 idq (the index's sorted set before idl), 6 idl, 7 claim (one hash slot)
-- ARGV: 1 epoch, 2 expected head rev, 3 number of ops n, 4 retained ops, 5 compaction interval,
--       6 content after the last op (JSON string literal) or '', 7 channel, 8 how each published message begins
--       ('{"origin":<instance id>,"doc":<document id>,"epoch":<ARGV[1]>,'), 9 a fresh epoch, 10 the genesis epoch,
--       11 retained log bytes, 12 now (ms), 13 op id window (ms), 14 most op ids kept, 15 the committing instance's
--       id, 16 how long a lost commit's claim on the next one lasts (ms), then n triples: the op's revision
--       (ARGV[2] + i, checked), op key (author and client op id, a JSON string literal), entry JSON
-- Returns {'appended', snapRev} | {'duplicate', rev, index} | {'moved', head rev, entry...} | {'epoch', epoch}
--       | {'held', head rev, claim ms left}: another instance lost the last race and commits next
--       | {'content'}: compaction is due, call again with ARGV[6]
-- Every check comes before the first write: Redis does not roll a script back, so an error must leave nothing.
local meta, snap, log, ids, idq, idl, claim = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local n = tonumber(ARGV[3])
-- Numbers are turned into text by the caller: Lua's own conversion (sprintf "%.14g") was a twentieth of a commit.
local function revision(i)
  return ARGV[14 + 3 * i]
end
local function key(i)
  return ARGV[15 + 3 * i]
end
local function entry(i)
  return ARGV[16 + 3 * i]
end
local state = redis.call('HMGET', meta, 'epoch', 'rev', 'snapRev', 'logBytes', 'idFloor', 'listRev')
local epoch = state[1]
local created = false
if not epoch then
  if ARGV[1] ~= ARGV[10] or ARGV[2] ~= '0' then
    -- The caller saw a history that is gone (flushed or evicted). Numbering on from 0 under its epoch would give
    -- old revision numbers new meanings, so start a new epoch and drop leftovers (old op ids included).
    redis.call('DEL', snap, log, ids, idq, idl)
    redis.call('HSET', meta, 'epoch', ARGV[9], 'rev', 0, 'snapRev', 0, 'logBytes', 0, 'idFloor', 1, 'listRev', 0)
    return {'epoch', ARGV[9]}
  end
  -- The first op of a document that was never written: reading it stored nothing, now it begins, in the genesis
  -- epoch its readers were given.
  epoch = ARGV[10]
  created = true
  state = {epoch, '0', '0', '0', '1', '0'}
end
if epoch ~= ARGV[1] then
  return {'epoch', epoch}
end
-- (a document created by this call has no history: leftovers of a lost one are deleted below, never consulted)
if not created then
  for i = 1, n do
    local duplicate = redis.call('HGET', ids, key(i))
    if duplicate then
      return {'duplicate', string.match(duplicate, '^(%d+)'), tostring(i)}
    end
  end
end
-- The instance that lost the last race for this document commits next: the others' commits are held until it has
-- (or its claim lapsed). Without it, an instance whose commits take a little longer to place (a bigger batch) lost
-- every race to one that kept committing small batches on its own head, and its clients' ops waited until their
-- base left the log.
local claimant = redis.call('GET', claim)
if (state[2] or '0') ~= ARGV[2] then
  if not claimant or claimant == ARGV[15] then
    redis.call('SET', claim, ARGV[15], 'PX', ARGV[16])
  end
  -- The entries the caller missed, when they are few and all still in the log: its head moves on by them and it
  -- commits again at once. Reading them in a second call was a round trip more than the commits it raced against
  -- took, and a busy document's retries lost on every try.
  local moved = {'moved', state[2] or '0'}
  local behind = tonumber(state[2] or '0') - tonumber(ARGV[2])
  if behind > 0 and behind <= 64 then
    local found = redis.call('XRANGE', log, (tonumber(ARGV[2]) + 1) .. '-0', state[2] .. '-0')
    if #found == behind then
      local bytes = 0
      for _, missed in ipairs(found) do
        bytes = bytes + string.len(missed[2][2])
        if bytes > 65536 then
          return {'moved', state[2] or '0'}
        end
        moved[#moved + 1] = missed[2][2]
      end
    end
  end
  return moved
end
if claimant and claimant ~= ARGV[15] then
  return {'held', state[2] or '0', tostring(redis.call('PTTL', claim))}
end
local head = tonumber(ARGV[2])
for i = 1, n do
  if tonumber(revision(i)) ~= head + i then
    return redis.error_reply('ERR op ' .. i .. ' is not numbered ' .. ARGV[2] .. ' + ' .. i)
  end
end
local last = head + n
local snapRev = tonumber(state[3] or '0')
local snapText = state[3] or '0'
local retained = tonumber(ARGV[4])
local maxBytes = tonumber(ARGV[11])

-- The log keeps at most `retained` entries and `maxBytes` bytes (the newest entry is always kept). Entries leaving
-- it that the head is rebuilt from (revisions after snapRev) make a compaction at the last revision due.
local added = 0
for i = 1, n do
  added = added + string.len(entry(i))
end
local count = (created and 0 or redis.call('XLEN', log)) + n
local bytes = tonumber(state[4] or '0') + added
local trimmedTo = 0
local from = 0
local oldCount = count - n
local oldKept = oldCount
-- Read only as many old entries as may leave: usually one, as one op comes in. Reading 32 to trim one made a commit
-- to a full log cost Redis twice the CPU (docs/benchmarks.md). Trimming for bytes, where the count is not known up
-- front, reads twice as many each round.
local reads = 0
while (count > retained or bytes > maxBytes) and count > 1 and oldKept > 0 do
  local want = math.min(32, math.max(count - retained, 2 ^ reads))
  reads = reads + 1
  local batch = redis.call('XRANGE', log, from .. '-0', '+', 'COUNT', want)
  if #batch == 0 then
    break
  end
  for _, old in ipairs(batch) do
    if not ((count > retained or bytes > maxBytes) and count > 1 and oldKept > 0) then
      break
    end
    bytes = bytes - string.len(old[2][2])
    count = count - 1
    oldKept = oldKept - 1
    trimmedTo = tonumber(string.match(old[1], '^(%d+)'))
  end
  from = trimmedTo + 1
end
-- new entries beyond the budget: the oldest of this call leave at once (the head is compacted at `last`)
local dropNew = 0
while (count > retained or bytes > maxBytes) and count > 1 and dropNew < n - 1 do
  dropNew = dropNew + 1
  bytes = bytes - string.len(entry(dropNew))
  count = count - 1
  trimmedTo = head + dropNew
end
local compact = last - snapRev >= math.min(tonumber(ARGV[5]), retained) or trimmedTo > snapRev
if compact and ARGV[6] == '' then
  return {'content'}
end

if created then
  redis.call('DEL', snap, log, ids, idq, idl)
end
if claimant then
  redis.call('DEL', claim)
end
if oldKept < oldCount then
  redis.call('XTRIM', log, 'MAXLEN', oldKept)
end
for i = dropNew + 1, n do
  redis.call('XADD', log, revision(i) .. '-0', 'e', entry(i), 'c', key(i))
end
if compact then
  redis.call('SET', snap, ARGV[6])
  snapRev = last
  snapText = revision(n)
end

-- The op id index outlives the log: ids maps a key to '<rev>:<ms>', idl lists '<rev>:<ms>:<key>' in revision order.
-- A key is kept for the window, and the newest `max` at most; idFloor is the lowest revision whose key is surely
-- kept. Versions before idl ordered the keys in the sorted set idq, which cost Redis a scan of up to 128 members per
-- commit while the set was small; listRev is the last revision committed with nothing left in idq. A document
-- committed otherwise since (written before the list, or by an instance of that version during an upgrade) may
-- have keys in idq: they are forgotten with the list's, oldest revision first, until idq is empty.
local idFloor = tonumber(state[5] or '1')
local idFloorText = state[5] or '1'
local legacy = not created and state[6] ~= state[2] and redis.call('EXISTS', idq) == 1
local listed, indexed = {}, {}
for i = 1, n do
  local accepted = revision(i) .. ':' .. ARGV[12]
  listed[i] = accepted .. ':' .. key(i)
  indexed[2 * i - 1] = key(i)
  indexed[2 * i] = accepted
end
local count = redis.call('RPUSH', idl, unpack(listed)) + (legacy and redis.call('ZCARD', idq) or 0)
-- Past 64 keys, a field too long for a listpack makes ids a hash table (Redis never turns it back). As a listpack,
-- up to hash-max-listpack-entries keys (512 by default), every lookup and insert scanned it: a third of a commit's
-- time on Redis at a few hundred keys (docs/redis-store.md). Op keys are JSON strings, so the field is never one.
if count > 64 then
  indexed[2 * n + 1] = 'hash-table'
  indexed[2 * n + 2] = 'this value, longer than hash-max-listpack-value (64 bytes by default), makes ids a hash table'
end
redis.call('HSET', ids, unpack(indexed))
local cutoff = tonumber(ARGV[12]) - tonumber(ARGV[13])
local excess = count - tonumber(ARGV[14])
-- The list is read in batches from its head, and trimmed once at the end: usually the oldest key is kept, and
-- reading one is enough to know.
local batch, at, taken, rounds, exhausted = {}, 1, 0, 0, false
local function oldestListed()
  if at > #batch then
    if exhausted then
      return nil
    end
    local want = math.min(16, math.max(excess, 2 ^ rounds))
    rounds = rounds + 1
    if taken == 0 and want == 1 then
      batch = redis.call('LRANGE', idl, '0', '0') -- the usual read: Redis's number-to-text conversion is slow
    else
      batch = redis.call('LRANGE', idl, taken, taken + want - 1)
    end
    at = 1
    exhausted = #batch < want
    if #batch == 0 then
      return nil
    end
  end
  local rev, ms, oldKey = string.match(batch[at], '^(%d+):(%d+):(.*)$')
  return tonumber(rev), tonumber(ms), oldKey
end
local function oldestLegacy()
  local oldest = redis.call('ZRANGE', idq, 0, 0, 'WITHSCORES')
  if #oldest == 0 then
    return nil
  end
  local value = redis.call('HGET', ids, oldest[1])
  return tonumber(oldest[2]), value and tonumber(string.match(value, ':(%d+)$')) or 0, oldest[1]
end
local forgotten = 0
while forgotten < 100 + n do
  local rev, ms, oldKey = oldestListed()
  local fromList = rev ~= nil
  if legacy then
    local legacyRev, legacyMs, legacyKey = oldestLegacy()
    if legacyRev and (not fromList or legacyRev < rev) then
      rev, ms, oldKey, fromList = legacyRev, legacyMs, legacyKey, false
    end
  end
  if not rev or (excess <= 0 and ms >= cutoff) then
    break
  end
  if fromList then
    at = at + 1
    taken = taken + 1
    -- a key is listed once while it is indexed; the check keeps a stray entry from forgetting a newer acceptance
    local value = redis.call('HGET', ids, oldKey)
    if value and tonumber(string.match(value, '^(%d+)')) == rev then
      redis.call('HDEL', ids, oldKey)
    end
  else
    redis.call('HDEL', ids, oldKey)
    redis.call('ZREM', idq, oldKey)
  end
  excess = excess - 1
  forgotten = forgotten + 1
  if rev + 1 > idFloor then
    idFloor = rev + 1
    idFloorText = idFloor
  end
end
if taken > 0 then
  redis.call('LTRIM', idl, taken, -1)
end
if legacy and redis.call('EXISTS', idq) == 1 then
  redis.call('HSET', meta, 'epoch', epoch, 'rev', revision(n), 'snapRev', snapText, 'logBytes', bytes,
      'idFloor', idFloorText)
else
  redis.call('HSET', meta, 'epoch', epoch, 'rev', revision(n), 'snapRev', snapText, 'logBytes', bytes,
      'idFloor', idFloorText, 'listRev', revision(n))
end
-- Publish only after the entries are stored: a subscriber that sees rev r can always read revs up to r.
for i = 1, n do
  redis.call('PUBLISH', ARGV[7], ARGV[8] .. string.sub(entry(i), 2))
end
return {'appended', snapText}

-- Commits one operation, all or nothing (RedisDocumentStore#append, docs/redis-store.md).
-- KEYS: 1 meta, 2 snap, 3 log, 4 ids, 5 idq (one hash slot)
-- ARGV: 1 epoch, 2 expected head rev, 3 op key (author and client op id, a JSON string literal), 4 entry JSON,
--       5 retained ops, 6 compaction interval, 7 content at the new rev (JSON string literal) or '',
--       8 channel, 9 origin (instance id), 10 document id, 11 a fresh epoch, 12 the genesis epoch,
--       13 retained log bytes, 14 now (ms), 15 op id window (ms), 16 most op ids kept
-- Returns {'appended', snapRev} | {'duplicate', rev} | {'moved', head rev} | {'epoch', epoch}
--       | {'content'}: compaction is due, call again with ARGV[7]
-- Every check comes before the first write: Redis does not roll a script back, so an error must leave nothing.
local meta, snap, log, ids, idq = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local state = redis.call('HMGET', meta, 'epoch', 'rev', 'snapRev', 'logBytes', 'idFloor')
local epoch = state[1]
local created = false
if not epoch then
  if ARGV[1] ~= ARGV[12] or tonumber(ARGV[2]) ~= 0 then
    -- The caller saw a history that is gone (flushed or evicted). Numbering on from 0 under its epoch would give
    -- old revision numbers new meanings, so start a new epoch and drop leftovers (old op ids included).
    redis.call('DEL', snap, log, ids, idq)
    redis.call('HSET', meta, 'epoch', ARGV[11], 'rev', 0, 'snapRev', 0, 'logBytes', 0, 'idFloor', 1)
    return {'epoch', ARGV[11]}
  end
  -- The first op of a document that was never written: reading it stored nothing, now it begins, in the genesis
  -- epoch its readers were given.
  epoch = ARGV[12]
  created = true
  state = {epoch, '0', '0', '0', '1'}
end
if epoch ~= ARGV[1] then
  return {'epoch', epoch}
end
local duplicate = redis.call('HGET', ids, ARGV[3])
if duplicate then
  return {'duplicate', string.match(duplicate, '^(%d+)')}
end
local head = tonumber(state[2] or '0')
if head ~= tonumber(ARGV[2]) then
  return {'moved', tostring(head)}
end
local rev = head + 1
local snapRev = tonumber(state[3] or '0')
local retained = tonumber(ARGV[5])
local maxBytes = tonumber(ARGV[13])

-- The log keeps at most `retained` entries and `maxBytes` bytes (the new entry is always kept). Entries leaving it
-- that the head is rebuilt from (revisions after snapRev) make a compaction at this revision due.
local count = redis.call('XLEN', log) + 1
local bytes = tonumber(state[4] or '0') + string.len(ARGV[4])
local trimmedTo = 0
local from = 0
while (count > retained or bytes > maxBytes) and count > 1 do
  local batch = redis.call('XRANGE', log, from .. '-0', '+', 'COUNT', 32)
  if #batch == 0 then
    break
  end
  for _, entry in ipairs(batch) do
    if not ((count > retained or bytes > maxBytes) and count > 1) then
      break
    end
    bytes = bytes - string.len(entry[2][2])
    count = count - 1
    trimmedTo = tonumber(string.match(entry[1], '^(%d+)'))
  end
  from = trimmedTo + 1
end
local compact = rev - snapRev >= math.min(tonumber(ARGV[6]), retained) or trimmedTo > snapRev
if compact and ARGV[7] == '' then
  return {'content'}
end

if created then
  redis.call('DEL', snap, log, ids, idq)
end
if trimmedTo > 0 then
  redis.call('XTRIM', log, 'MAXLEN', count - 1)
end
redis.call('XADD', log, rev .. '-0', 'e', ARGV[4], 'c', ARGV[3])
if compact then
  redis.call('SET', snap, ARGV[7])
  snapRev = rev
end

-- The op id index outlives the log: ids maps a key to '<rev>:<ms>', idq orders the keys by revision. A key is
-- kept for the window, and the newest `max` at most; idFloor is the lowest revision whose key is surely kept.
local idFloor = tonumber(state[5] or '1')
redis.call('HSET', ids, ARGV[3], rev .. ':' .. ARGV[14])
redis.call('ZADD', idq, rev, ARGV[3])
local cutoff = tonumber(ARGV[14]) - tonumber(ARGV[15])
local excess = redis.call('ZCARD', idq) - tonumber(ARGV[16])
local forgotten = 0
while forgotten < 100 do
  local oldest = redis.call('ZRANGE', idq, 0, 15, 'WITHSCORES')
  local progressed = false
  for i = 1, #oldest, 2 do
    local key, indexedRev = oldest[i], tonumber(oldest[i + 1])
    local value = redis.call('HGET', ids, key)
    local at = value and tonumber(string.match(value, ':(%d+)$')) or 0
    if excess <= 0 and at >= cutoff then
      break
    end
    redis.call('HDEL', ids, key)
    redis.call('ZREM', idq, key)
    excess = excess - 1
    forgotten = forgotten + 1
    progressed = true
    if indexedRev + 1 > idFloor then
      idFloor = indexedRev + 1
    end
  end
  if not progressed or #oldest < 32 then
    break
  end
end

redis.call('HSET', meta, 'epoch', epoch, 'rev', rev, 'snapRev', snapRev, 'logBytes', bytes, 'idFloor', idFloor)
-- Publish only after the entry is stored: a subscriber that sees rev n can always read revs up to n.
local payload = '{"origin":' .. cjson.encode(ARGV[9]) .. ',"doc":' .. cjson.encode(ARGV[10])
    .. ',"epoch":' .. cjson.encode(epoch) .. ',' .. string.sub(ARGV[4], 2)
redis.call('PUBLISH', ARGV[8], payload)
return {'appended', tostring(snapRev)}

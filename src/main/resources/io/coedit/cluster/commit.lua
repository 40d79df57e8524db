-- Commits one operation, all or nothing (RedisDocumentStore#append, docs/redis-store.md).
-- KEYS: 1 meta, 2 snap, 3 log, 4 ids (one hash slot)
-- ARGV: 1 epoch, 2 expected head rev, 3 client op id (JSON string literal), 4 entry JSON,
--       5 retained ops, 6 compaction interval, 7 content at the new rev (JSON string literal) or '',
--       8 channel, 9 origin (instance id), 10 document id, 11 a fresh epoch for a document whose meta is gone
-- Returns {'appended', snapRev} | {'duplicate', entry JSON} | {'moved', head rev} | {'epoch', epoch}
--       | {'content'}: compaction is due, call again with ARGV[7]
-- Every check comes before the first write: Redis does not roll a script back, so an error must leave nothing.
local meta, snap, log, ids = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local state = redis.call('HMGET', meta, 'epoch', 'rev', 'snapRev')
local epoch = state[1]
if not epoch then
  -- The history is gone (flushed or evicted). Numbering on from 0 under the caller's epoch would give old
  -- revision numbers new meanings, so start a new epoch and drop leftovers (old client op ids included).
  redis.call('DEL', snap, log, ids)
  redis.call('HSET', meta, 'epoch', ARGV[11], 'rev', 0, 'snapRev', 0)
  return {'epoch', ARGV[11]}
end
if epoch ~= ARGV[1] then
  return {'epoch', epoch}
end
local duplicateRev = redis.call('HGET', ids, ARGV[3])
if duplicateRev then
  local found = redis.call('XRANGE', log, duplicateRev .. '-0', duplicateRev .. '-0')
  if #found == 0 then
    return redis.error_reply('coedit: client op id ' .. ARGV[3] .. ' maps to rev ' .. duplicateRev
        .. ', which is not in the log')
  end
  return {'duplicate', found[1][2][2]}
end
local head = tonumber(state[2] or '0')
if head ~= tonumber(ARGV[2]) then
  return {'moved', tostring(head)}
end
local rev = head + 1
local snapRev = tonumber(state[3] or '0')
local retained = tonumber(ARGV[5])
local compact = rev - snapRev >= math.min(tonumber(ARGV[6]), retained)
if compact and ARGV[7] == '' then
  return {'content'}
end

-- Entries leaving the window take their client op ids with them: a duplicate must find its original entry.
local excess = redis.call('XLEN', log) + 1 - retained
if excess > 0 then
  for _, old in ipairs(redis.call('XRANGE', log, '-', '+', 'COUNT', excess)) do
    redis.call('HDEL', ids, old[2][4])
  end
end
redis.call('XADD', log, 'MAXLEN', retained, rev .. '-0', 'e', ARGV[4], 'c', ARGV[3])
redis.call('HSET', ids, ARGV[3], rev)
if compact then
  redis.call('SET', snap, ARGV[7])
  snapRev = rev
end
redis.call('HSET', meta, 'rev', rev, 'snapRev', snapRev)
-- Publish only after the entry is stored: a subscriber that sees rev n can always read revs up to n.
local payload = '{"origin":' .. cjson.encode(ARGV[9]) .. ',"doc":' .. cjson.encode(ARGV[10])
    .. ',"epoch":' .. cjson.encode(epoch) .. ',' .. string.sub(ARGV[4], 2)
redis.call('PUBLISH', ARGV[8], payload)
return {'appended', tostring(snapRev)}

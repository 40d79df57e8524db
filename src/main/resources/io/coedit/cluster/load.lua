-- Reads a document's head in one atomic step (RedisDocumentStore#snapshot), creating it if it has no meta.
-- KEYS: 1 meta, 2 snap, 3 log, 4 ids
-- ARGV: 1 a fresh epoch, 2 the caller's cached epoch or '', 3 the caller's cached rev
-- Returns {'delta', epoch, rev, snapRev, entry...}: the entries after the cached rev (none when it is current)
--       | {'full', epoch, rev, snapRev, snapshot JSON or '', entry...}: the snapshot and the entries after it
local meta, snap, log, ids = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local state = redis.call('HMGET', meta, 'epoch', 'rev', 'snapRev')
local epoch = state[1]
if not epoch then
  -- Like HSETNX, the first instance to get here picks the epoch for all; leftovers of a lost history
  -- (a log or client op ids without meta) must not leak into the new epoch.
  redis.call('DEL', snap, log, ids)
  redis.call('HSET', meta, 'epoch', ARGV[1], 'rev', 0, 'snapRev', 0)
  return {'full', ARGV[1], '0', '0', ''}
end
local head = tonumber(state[2] or '0')
local snapRev = tonumber(state[3] or '0')

local function addEntries(result, since)
  local found = redis.call('XRANGE', log, (since + 1) .. '-0', head .. '-0')
  for _, entry in ipairs(found) do
    result[#result + 1] = entry[2][2]
  end
  return #found
end

if ARGV[2] == epoch then
  local known = tonumber(ARGV[3])
  if known <= head then
    local result = {'delta', epoch, tostring(head), tostring(snapRev)}
    if addEntries(result, known) == head - known then
      return result
    end
  end
end
local content = ''
if snapRev > 0 then
  content = redis.call('GET', snap)
  if not content then
    return redis.error_reply('coedit: ' .. meta .. ' names snapshot rev ' .. snapRev .. ' but there is none')
  end
end
local result = {'full', epoch, tostring(head), tostring(snapRev), content}
if addEntries(result, snapRev) ~= head - snapRev then
  return redis.error_reply('coedit: the op log of ' .. meta .. ' does not reach back to its snapshot')
end
return result

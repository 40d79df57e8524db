-- Reads a document's head in one atomic step (RedisDocumentStore#snapshot). Reading never creates a document.
-- KEYS: 1 meta, 2 snap, 3 log, 4 ids, 5 idq, 6 idl (the op id index, docs/redis-store.md)
-- ARGV: 1 a fresh epoch, 2 the caller's cached epoch or '', 3 the caller's cached rev
-- Returns {'none'}: never written (or gone, and the caller knew nothing of it)
--       | {'delta', epoch, rev, snapRev, entry...}: the entries after the cached rev (none when it is current)
--       | {'full', epoch, rev, snapRev, snapshot JSON or '', entry...}: the snapshot and the entries after it
local meta, snap, log = KEYS[1], KEYS[2], KEYS[3]
local state = redis.call('HMGET', meta, 'epoch', 'rev', 'snapRev')
local epoch = state[1]
local known = tonumber(ARGV[3])
if not epoch then
  local leftovers = redis.call('EXISTS', snap, log, KEYS[4], KEYS[5], KEYS[6]) > 0
  if not leftovers and (ARGV[2] == '' or known == 0) then
    return {'none'}
  end
  -- The caller had revisions of this document that Redis no longer has, or parts of it are left without their
  -- meta: its history was lost. A new epoch tells every client so, instead of letting new revisions reuse the old
  -- numbers.
  redis.call('DEL', snap, log, KEYS[4], KEYS[5], KEYS[6])
  redis.call('HSET', meta, 'epoch', ARGV[1], 'rev', 0, 'snapRev', 0, 'logBytes', 0, 'idFloor', 1, 'listRev', 0)
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
  if known > head then
    -- Redis is back at an older state under the same epoch (a restore from an older dump, a failover to a
    -- lagging replica): the revisions after head are lost. Go on from what Redis has, under a new epoch, so no
    -- client or instance keeps the lost content or mistakes new revisions for the lost ones.
    epoch = ARGV[1]
    redis.call('HSET', meta, 'epoch', epoch)
  else
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

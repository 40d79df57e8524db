-- The entries after a revision, if the log still holds every one of them (RedisDocumentStore#opsSince).
-- KEYS: 1 meta, 2 log
-- ARGV: 1 epoch, 2 rev
-- Returns {'ops', entry...} | {'gone'}: other epoch, rev ahead of the head, or history trimmed
--       | {'none'}: the document was never written (or is gone)
local state = redis.call('HMGET', KEYS[1], 'epoch', 'rev')
if not state[1] then
  return {'none'}
end
if state[1] ~= ARGV[1] then
  return {'gone'}
end
local head = tonumber(state[2] or '0')
local since = tonumber(ARGV[2])
if since < 0 or since > head then
  return {'gone'}
end
local result = {'ops'}
local found = redis.call('XRANGE', KEYS[2], (since + 1) .. '-0', head .. '-0')
-- a partial history is worse than none: the caller would transform against too few operations
if #found ~= head - since then
  return {'gone'}
end
for _, entry in ipairs(found) do
  result[#result + 1] = entry[2][2]
end
return result

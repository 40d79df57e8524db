-- The entry stored under a client op id in the current epoch (RedisDocumentStore#findByClientOpId).
-- KEYS: 1 meta, 2 log, 3 ids
-- ARGV: 1 epoch, 2 client op id (JSON string literal)
-- Returns {'found', entry} | {'none'}
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then
  return {'none'}
end
local rev = redis.call('HGET', KEYS[3], ARGV[2])
if not rev then
  return {'none'}
end
local found = redis.call('XRANGE', KEYS[2], rev .. '-0', rev .. '-0')
if #found == 0 then
  return redis.error_reply('coedit: client op id ' .. ARGV[2] .. ' maps to rev ' .. rev .. ', which is not in the log')
end
return {'found', found[1][2][2]}

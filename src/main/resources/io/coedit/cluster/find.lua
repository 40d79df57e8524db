-- Whether an op key (author and client op id) was accepted (RedisDocumentStore#lookUp).
-- KEYS: 1 meta, 2 ids
-- ARGV: 1 epoch, 2 op key (JSON string literal), 3 the op's base revision, 4 the genesis epoch
-- Returns {'found', rev} | {'absent'}: never accepted | {'unknown'}: the index no longer reaches back to the base
local state = redis.call('HMGET', KEYS[1], 'epoch', 'idFloor')
if not state[1] then
  return {ARGV[1] == ARGV[4] and 'absent' or 'unknown'}
end
if state[1] ~= ARGV[1] then
  return {'unknown'}
end
local value = redis.call('HGET', KEYS[2], ARGV[2])
if value then
  return {'found', string.match(value, '^(%d+)')}
end
if tonumber(ARGV[3]) + 1 >= tonumber(state[2] or '1') then
  return {'absent'}
end
return {'unknown'}

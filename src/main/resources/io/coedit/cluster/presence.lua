-- Records a local session's join or leave in its document's members hash and announces it, in one step and one
-- round trip (RedisMembers#announce, docs/redis-store.md). A cursor move is only published (the hash gets it with
-- the instance's next round), through this script too, so it is never published before the join it follows.
-- KEYS: 1 members hash
-- ARGV: 1 'join' | 'leave' | 'cursor', 2 the session's client id, 3 the presence message (JSON), 4 the hash's
--       expiry (ms), 5 the document's presence channel
-- Returns {'ok'}
if ARGV[1] == 'join' then
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
elseif ARGV[1] == 'leave' then
  redis.call('HDEL', KEYS[1], ARGV[2])
end
redis.call('PUBLISH', ARGV[5], ARGV[3])
return {'ok'}

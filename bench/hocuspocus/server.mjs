// One Hocuspocus instance with its Redis extension: the peer the benchmark runs beside Coedit.
// Usage: node server.mjs <port> <redis port> <instance name>
import { Server } from '@hocuspocus/server';
import { Redis } from '@hocuspocus/extension-redis';

const [port, redisPort, name] = process.argv.slice(2);
const server = new Server({
  name,
  port: Number(port),
  address: '127.0.0.1',
  quiet: true,
  extensions: [new Redis({ host: '127.0.0.1', port: Number(redisPort), identifier: name })],
});
await server.listen();
// the benchmark waits for this line
console.log(`listening on ${port}`);

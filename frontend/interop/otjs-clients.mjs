// Drives unmodified ot.js clients (npm "ot" 0.0.15, lib/client.js) against a running Coedit server: the
// interoperability check a team with an existing ot.js editor would make. Only the transport is written here
// (Coedit's JSON frames over the "ws" package); the state machine and the transform are ot.js's own.
//
//   node interop/otjs-clients.mjs '<config json>'
//
// config: {clients: [{name, url, token}], edits, seed, quietMs, timeoutMs}
// Prints one JSON line: {clients: [{name, text, revision, acked, sent, resent}], errors, timedOut}. Exits 1 on a
// timeout or a protocol error (an unexpected revision or ack, an error frame other than `unavailable`), 0 otherwise;
// the caller compares the texts. An op answered `unavailable` is sent again 50 ms later with the same id, as the
// protocol asks (docs/protocol.md), and counted in `resent`.
import { createRequire } from 'node:module';
import WebSocket from 'ws';

const require = createRequire(import.meta.url);
const ot = require('ot');

const config = JSON.parse(process.argv[2]);
const edits = config.edits ?? 60;
const quietMs = config.quietMs ?? 1500;
const timeoutMs = config.timeoutMs ?? 90000;

let seed = (config.seed ?? 1) >>> 0;
function random() { // mulberry32, so a failing run can be replayed with its seed
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randomInt = (n) => Math.floor(random() * n);
// ASCII, accents, CJK, a combining mark and astral characters (two UTF-16 code units each)
const ALPHABET = [...'abcdefgh XYZ.\n', 'é', 'ß', '中', '\u0301', '😀', '🎉', '👍', '🚀', '𝔸', '🇩', '🇪', '𠜎'];
const randomText = (n) => Array.from({ length: n }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** A random insert or delete on `doc`, cut only between code points, as an editor would make it. */
function randomEdit(doc) {
  const points = Array.from(doc);
  const offset = (i) => points.slice(0, i).join('').length;
  const op = new ot.TextOperation();
  if (points.length > 0 && random() < 0.4) {
    const from = randomInt(points.length);
    const to = Math.min(points.length, from + 1 + randomInt(4));
    const start = offset(from);
    const end = offset(to);
    return op.retain(start).delete(end - start).retain(doc.length - end);
  }
  const at = offset(randomInt(points.length + 1));
  return op.retain(at).insert(randomText(1 + randomInt(4))).retain(doc.length - at);
}

/** ot.Client with Coedit's transport: only sendOperation and applyOperation, as ot.js asks of a subclass. */
class CoeditOtJsClient extends ot.Client {
  constructor(spec, snapshot, ws, fail) {
    super(snapshot.rev);
    this.name = spec.name;
    this.ws = ws;
    this.fail = fail;
    this.doc = snapshot.content;
    this.seq = 0;
    this.outstandingId = null;
    this.sent = 0;
    this.acked = 0;
    this.resent = 0;
  }

  sendOperation(revision, operation) {
    this.outstandingId = `${this.name}:${++this.seq}`;
    this.sent++;
    this.ws.send(JSON.stringify({ type: 'op', rev: revision, op: operation.toJSON(), id: this.outstandingId }));
  }

  applyOperation(operation) {
    this.doc = operation.apply(this.doc);
  }

  edit() {
    const op = randomEdit(this.doc);
    this.doc = op.apply(this.doc);
    this.applyClient(op);
  }

  receive(msg) {
    if (msg.type === 'ack') {
      if (msg.id !== this.outstandingId || msg.rev !== this.revision + 1) {
        this.fail(`${this.name}: ack ${JSON.stringify(msg)} while waiting for ${this.outstandingId} at ${this.revision}`);
        return;
      }
      this.acked++;
      this.outstandingId = null;
      this.serverAck();
    }
    else if (msg.type === 'op') {
      if (msg.rev !== this.revision + 1) {
        this.fail(`${this.name}: op for revision ${msg.rev} at revision ${this.revision}`);
        return;
      }
      this.applyServer(ot.TextOperation.fromJSON(msg.op));
    }
    else if (msg.type === 'error' && msg.code === 'unavailable' && msg.id === this.outstandingId) {
      this.resent++;
      setTimeout(() => this.resend(msg.id), 50);
    }
    else if (msg.type === 'error') {
      this.fail(`${this.name}: server error ${JSON.stringify(msg)}`);
    }
  }

  /** The outstanding op again, as ot.js has transformed it meanwhile, on the revision the client is at now. */
  resend(id) {
    if (this.outstandingId !== id) return;
    this.ws.send(JSON.stringify({ type: 'op', rev: this.revision, op: this.state.outstanding.toJSON(), id }));
  }

  get synchronized() {
    return this.state instanceof ot.Client.Synchronized;
  }
}

const errors = [];
const fail = (message) => errors.push(message);
const clients = [];
let lastMessageAt = Date.now();

function open(spec) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(spec.url, ['coedit.v1', 'bearer.' + spec.token]);
    let client = null;
    ws.on('message', (data) => {
      lastMessageAt = Date.now();
      const msg = JSON.parse(data.toString());
      if (msg.type === 'snapshot' && !client) {
        client = new CoeditOtJsClient(spec, msg, ws, fail);
        resolve(client);
        return;
      }
      if (client) client.receive(msg);
    });
    ws.on('error', reject);
    ws.on('close', (code, reason) => {
      if (!finished) fail(`${spec.name}: closed ${code} ${reason}`);
      reject(new Error(`${spec.name}: closed ${code}`));
    });
  });
}

let finished = false;
const started = Date.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function report(timedOut) {
  finished = true;
  const out = clients.map((c) => ({
    name: c.name, text: c.doc, revision: c.revision, acked: c.acked, sent: c.sent, resent: c.resent,
  }));
  process.stdout.write(JSON.stringify({ clients: out, errors, timedOut }) + '\n');
  for (const c of clients) c.ws.close(1000);
  setTimeout(() => process.exit(timedOut || errors.length ? 1 : 0), 200);
}

for (const spec of config.clients) clients.push(await open(spec));

// every client edits at random moments, so ops cross each other on the wire and ot.js buffers and transforms
await Promise.all(clients.map(async (client) => {
  for (let n = 0; n < edits && !errors.length; n++) {
    await sleep(randomInt(25));
    client.edit();
  }
}));

while (Date.now() - started < timeoutMs) {
  await sleep(100);
  const revisions = new Set(clients.map((c) => c.revision));
  if (errors.length || (clients.every((c) => c.synchronized) && revisions.size === 1
      && Date.now() - lastMessageAt >= quietMs)) {
    report(false);
    break;
  }
}
if (!finished) report(true);

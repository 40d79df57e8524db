// Randomized concurrent editing against the in-memory OT server (sim-server.mjs).
// Seed: SEED=<n> node --test frontend/test/  (the seed used is printed).
import test from 'node:test';
import assert from 'node:assert/strict';
import { OTClient } from '../ot-client.js';
import { TextOperation } from '../text-operation.js';
import { SimServer, rng } from './sim-server.mjs';

const BASE_SEED = process.env.SEED ? Number(process.env.SEED) : Date.now() % 1e9;
console.log(`ot-random: SEED=${BASE_SEED}`);

class SimClient {
  /** @param {string} name @param {SimServer} server */
  constructor(name, server) {
    this.name = name;
    this.server = server;
    this.view = '';
    /** @type {import('./sim-server.mjs').SimConn | null} */
    this.conn = null;
    this.needsRetry = false;
    this.needsReconnect = false;
    this.ot = new OTClient({
      send: (msg) => (this.conn && this.conn.open ? (this.conn.toServer.push(msg), true) : false),
      onApply: (op) => { this.view = op.apply(this.view); },
      onRetryLater: () => { this.needsRetry = true; },
      onNeedReconnect: () => { this.needsReconnect = true; },
      onRejected: (info) => { throw new Error(`unexpected rejection ${info.code}`); },
    });
  }

  get loaded() { return this.ot.epoch !== null; }

  connect() {
    this.conn = this.server.connect(this.name);
    this.ot.connectionOpened();
    this.needsReconnect = false;
  }

  /** @param {number} arrived */
  disconnect(arrived) {
    if (this.conn) this.server.disconnect(this.conn, arrived);
    this.conn = null;
    this.ot.connectionClosed();
  }

  receiveOne() {
    const msg = this.conn?.toClient.shift();
    if (msg) this.ot.handleMessage(msg);
  }

  /** @param {TextOperation} op */
  edit(op) {
    this.view = op.apply(this.view);
    this.ot.applyClient(op);
  }
}

const ALPHABET = ['a', 'b', 'c', ' ', '\n', 'é', '😀', 'xyz'];

/** @param {ReturnType<typeof rng>} r @param {string} text @param {{tokens: boolean, next: () => string}} mode */
function randomOp(r, text, mode) {
  const op = new TextOperation();
  const pos = r.int(text.length + 1);
  op.retain(pos);
  let consumed = pos;
  if (!mode.tokens && r.chance(0.4) && pos < text.length) {
    const n = 1 + r.int(Math.min(4, text.length - pos));
    op.delete(n);
    consumed += n;
  }
  if (mode.tokens) {
    const n = 1 + r.int(3);
    for (let i = 0; i < n; i++) op.insert(mode.next());
  } else if (r.chance(0.8)) {
    op.insert(r.pick(ALPHABET) + (r.chance(0.3) ? r.pick(ALPHABET) : ''));
  }
  return op.retain(text.length - consumed);
}

/**
 * @param {number} seed
 * @param {{tokens: boolean, disconnects: boolean, unavailable: number, restarts?: boolean, retained?: number}} cfg
 */
function runScenario(seed, cfg) {
  const r = rng(seed);
  const server = new SimServer({
    content: cfg.tokens ? '' : 'hello world', random: r.next,
    unavailableRate: cfg.unavailable, rateLimitRate: cfg.unavailable / 2, retained: cfg.retained,
  });
  const n = 2 + r.int(3);
  const clients = Array.from({ length: n }, (_, i) => new SimClient(`u${i}`, server));
  for (const c of clients) c.connect();
  let tokenSeq = 0;
  /** @type {string[]} */
  const tokens = [];
  const mode = { tokens: cfg.tokens, next: () => { const t = String.fromCharCode(0x4e00 + tokenSeq++); tokens.push(t); return t; } };

  const step = (/** @type {boolean} */ editing) => {
    const c = r.pick(clients);
    const roll = r.next();
    if (c.needsReconnect && c.conn) { c.disconnect(r.int(2)); c.connect(); return; }
    if (c.needsRetry && roll < 0.3) { c.needsRetry = false; c.ot.retry(); return; }
    if (editing && roll < 0.3) { if (c.loaded) c.edit(randomOp(r, c.view, mode)); return; }
    if (roll < 0.6) { if (c.conn) server.deliverOne(c.conn); return; }
    if (roll < 0.93) { if (c.conn) c.receiveOne(); return; }
    if (editing && cfg.disconnects && c.conn && roll < 0.97) { c.disconnect(r.int(3)); return; }
    if (editing && cfg.restarts && roll > 0.995) { server.restart(); for (const x of clients) { x.conn = null; x.ot.connectionClosed(); } return; }
    if (!c.conn) c.connect();
  };

  const steps = 100 + r.int(300);
  for (let i = 0; i < steps; i++) step(true);
  for (const c of clients) if (!c.conn) c.connect();
  const busy = () => clients.some((c) => c.needsRetry || c.needsReconnect || c.ot.hasPending() || !c.conn
    || (c.conn && (c.conn.toClient.length || c.conn.toServer.length)));
  let guard = 0;
  server.unavailableRate = 0;
  server.rateLimitRate = 0;
  while (busy()) {
    if (++guard > 200000) throw new Error('did not quiesce');
    for (const c of clients) if (!c.conn) c.connect();
    step(false);
  }

  for (const c of clients) {
    assert.equal(c.ot.text, server.text, `${c.name} text`);
    assert.equal(c.view, c.ot.text, `${c.name} view matches client text`);
    assert.equal(c.ot.serverText, server.text);
    assert.equal(c.ot.rev, server.rev, `${c.name} rev`);
    assert.equal(c.ot.state, 'synchronized');
  }
  for (const [id, count] of server.applyCount) assert.equal(count, 1, `op ${id} applied once`);
  if (cfg.tokens && cfg.restarts) {
    // After a restart the server forgot which ops it applied: a rebased op may repeat
    // text whose ack was lost, but nothing typed may be lost.
    for (const t of tokens) assert.ok(server.text.includes(t), `token ${t.charCodeAt(0).toString(16)} kept`);
  } else if (cfg.tokens) {
    const counts = new Map();
    for (const ch of server.text) counts.set(ch, (counts.get(ch) || 0) + 1);
    for (const t of tokens) assert.equal(counts.get(t), 1, `token ${t.charCodeAt(0).toString(16)} exactly once`);
    assert.equal(server.text.length, tokens.length);
  }
  return { steps, clients: n, revs: server.rev };
}

/** @param {string} name @param {number} runs @param {Parameters<typeof runScenario>[1]} cfg */
function scenarioTest(name, runs, cfg) {
  test(name, () => {
    let revs = 0;
    for (let i = 0; i < runs; i++) {
      const seed = BASE_SEED + i;
      try {
        revs += runScenario(seed, cfg).revs;
      } catch (e) {
        throw new Error(`${name}: failed with SEED=${seed} (${/** @type {Error} */ (e).message})`, { cause: e });
      }
    }
    assert.ok(revs > runs, 'scenarios produced edits');
  });
}

scenarioTest('random: 2-4 clients converge (mixed edits, emoji)', 150, { tokens: false, disconnects: false, unavailable: 0 });
scenarioTest('random: every insert applied exactly once across disconnects/resends', 150, { tokens: true, disconnects: true, unavailable: 0 });
scenarioTest('random: disconnects + unavailable retries (mixed edits)', 150, { tokens: false, disconnects: true, unavailable: 0.1 });
scenarioTest('random: exactly once with unavailable retries', 100, { tokens: true, disconnects: true, unavailable: 0.1 });
scenarioTest('random: exactly once when history is short (sync answers with snapshots, probe by id)', 150, { tokens: true, disconnects: true, unavailable: 0.05, retained: 3 });
scenarioTest('random: mixed edits with short history', 100, { tokens: false, disconnects: true, unavailable: 0.05, retained: 2 });
scenarioTest('random: server restarts (new epoch): converge, nothing typed lost', 100, { tokens: true, disconnects: true, unavailable: 0, restarts: true });

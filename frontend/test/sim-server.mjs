// @ts-check
/**
 * Test helpers: a seeded PRNG, a small in-memory OT server speaking the Coedit
 * protocol, and simulated connections with per-direction FIFO queues.
 */
import { TextOperation } from '../text-operation.js';

/** mulberry32 PRNG. @param {number} seed */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** @param {number} n */ int: (n) => Math.floor(next() * n),
    /** @param {number} p */ chance: (p) => next() < p,
    /** @template T @param {T[]} arr @returns {T} */ pick: (arr) => arr[Math.floor(next() * arr.length)],
  };
}

export class SimConn {
  /** @param {SimServer} server @param {string} clientId @param {string} owner */
  constructor(server, clientId, owner) {
    this.server = server;
    this.clientId = clientId;
    this.owner = owner; // which test client is behind this connection
    /** @type {any[]} */ this.toServer = [];
    /** @type {any[]} */ this.toClient = [];
    this.open = true;
  }
}

export class SimServer {
  /**
   * @param {{content?: string, epoch?: string, random?: () => number,
   *   unavailableRate?: number, rateLimitRate?: number, retained?: number, maxMessageBytes?: number}} [opts]
   */
  constructor(opts = {}) {
    this.text = opts.content ?? '';
    this.epoch = opts.epoch ?? 'epoch-1';
    this.random = opts.random ?? Math.random;
    this.unavailableRate = opts.unavailableRate ?? 0;
    /** chance that a message is dropped with a rate_limited error that carries no id */
    this.rateLimitRate = opts.rateLimitRate ?? 0;
    /** how many recent ops are kept for transforms and sync (like coedit.documents.retained-ops) */
    this.retained = opts.retained ?? Infinity;
    this.maxMessageBytes = opts.maxMessageBytes ?? 1 << 20;
    /** @type {{op: TextOperation, id: string, owner: string, rev: number}[]} */
    this.history = [];
    this.rev = 0;
    /** @type {Map<string, number>} op id -> rev at which it was applied */
    this.applied = new Map();
    this.applyCount = new Map();
    /** @type {Set<SimConn>} */
    this.conns = new Set();
    this.nextClient = 1;
  }

  /** @param {string} owner */
  connect(owner) {
    const conn = new SimConn(this, `c${this.nextClient++}`, owner);
    this.conns.add(conn);
    conn.toClient.push({
      type: 'snapshot', docId: 'doc', epoch: this.epoch, rev: this.rev, content: this.text,
      clientId: conn.clientId, user: { id: owner, name: owner }, canEdit: true,
      limits: { maxMessageBytes: this.maxMessageBytes },
    });
    return conn;
  }

  /** Cuts a connection; `arrived` messages already on the wire still reach the server. @param {SimConn} conn @param {number} arrived */
  disconnect(conn, arrived = 0) {
    for (let i = 0; i < arrived && conn.toServer.length; i++) this.handle(conn, conn.toServer.shift());
    conn.open = false;
    conn.toServer.length = 0;
    conn.toClient.length = 0;
    this.conns.delete(conn);
  }

  /** @param {SimConn} conn */
  deliverOne(conn) {
    if (conn.toServer.length) this.handle(conn, conn.toServer.shift());
  }

  /** @param {SimConn} conn @param {any} msg */
  handle(conn, msg) {
    if (this.rateLimitRate && this.random() < this.rateLimitRate) {
      conn.toClient.push({ type: 'error', code: 'rate_limited', message: 'slow down' });
      return;
    }
    if (msg.type === 'op') this.receiveOp(conn, msg);
    else if (msg.type === 'sync') this.sync(conn, msg);
    else if (msg.type === 'cursor') {
      for (const c of this.conns) if (c !== conn) c.toClient.push({ ...msg, clientId: conn.clientId, user: { id: conn.owner, name: conn.owner } });
    }
  }

  /** @param {SimConn} conn @param {any} msg */
  receiveOp(conn, msg) {
    if (this.applied.has(msg.id)) {
      conn.toClient.push({ type: 'ack', rev: this.applied.get(msg.id), id: msg.id });
      return;
    }
    if (this.unavailableRate && this.random() < this.unavailableRate) {
      conn.toClient.push({ type: 'error', code: 'unavailable', message: 'try later', id: msg.id });
      return;
    }
    if (!(msg.rev >= 0 && msg.rev <= this.rev)) {
      conn.toClient.push({ type: 'error', code: 'stale_revision', message: 'bad rev', id: msg.id });
      return;
    }
    if (msg.rev < this.oldestRetained()) {
      conn.toClient.push({ type: 'error', code: 'resync_required', message: 'not retained', id: msg.id });
      return;
    }
    let op = TextOperation.fromJSON(msg.op);
    for (const h of this.history.slice(msg.rev)) {
      op = TextOperation.transform(op, h.op)[0]; // ot.js Server.receiveOperation: the incoming op first
    }
    if (op.baseLength !== this.text.length) throw new Error(`server: op does not fit (${msg.id})`);
    this.text = op.apply(this.text);
    this.rev++;
    this.history.push({ op, id: msg.id, owner: conn.owner, rev: this.rev });
    this.applied.set(msg.id, this.rev);
    this.applyCount.set(msg.id, (this.applyCount.get(msg.id) || 0) + 1);
    conn.toClient.push({ type: 'ack', rev: this.rev, id: msg.id });
    for (const c of this.conns) {
      if (c !== conn) c.toClient.push({ type: 'op', rev: this.rev, op: op.toJSON(), id: msg.id, user: { id: conn.owner, name: conn.owner } });
    }
  }

  /** @param {SimConn} conn @param {any} msg */
  sync(conn, msg) {
    if (msg.epoch !== this.epoch || msg.rev > this.rev || msg.rev < this.oldestRetained()) {
      conn.toClient.push({ type: 'snapshot', docId: 'doc', epoch: this.epoch, rev: this.rev, content: this.text, clientId: conn.clientId, user: { id: conn.owner, name: conn.owner }, canEdit: true });
      return;
    }
    for (const h of this.history.slice(msg.rev)) {
      // The author's own ops come back either as acks or as plain ops: clients must handle both.
      if (h.owner === conn.owner && this.random() < 0.5) conn.toClient.push({ type: 'ack', rev: h.rev, id: h.id });
      else conn.toClient.push({ type: 'op', rev: h.rev, op: h.op.toJSON(), id: h.id, user: { id: h.owner, name: h.owner } });
    }
  }

  oldestRetained() {
    return Math.max(0, this.rev - this.retained);
  }

  /** Restart with a new epoch: history and dedupe memory are gone, the text is kept. */
  restart(newEpoch = `epoch-${this.nextClient}`) {
    for (const c of [...this.conns]) this.disconnect(c, 0);
    this.epoch = newEpoch;
    this.history = [];
    this.rev = 0;
    this.applied.clear();
  }
}

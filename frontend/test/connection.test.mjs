import test from 'node:test';
import assert from 'node:assert/strict';
import { Connection, backoffDelay } from '../connection.js';
import { FakeTimers, FakeWebSocket } from './fakes.mjs';

/** @param {Partial<import('../connection.js').ConnectionOptions>} [extra] */
function make(extra = {}) {
  FakeWebSocket.instances = [];
  const timers = new FakeTimers();
  /** @type {any[]} */
  const statuses = [];
  /** @type {any[]} */
  const messages = [];
  let token = 'tok.en.1';
  const conn = new Connection({
    url: 'ws://h/ws/documents/d1', getToken: () => token, WebSocketImpl: FakeWebSocket, timers, random: () => 0.5, ...extra,
  });
  conn.on('status', (s) => statuses.push(s));
  conn.on('message', (m) => messages.push(m));
  return { conn, timers, statuses, messages, setToken: (/** @type {string} */ t) => { token = t; } };
}

test('full-jitter backoff is capped', () => {
  assert.equal(backoffDelay(0, 250, 10000, () => 0.999), 249);
  assert.equal(backoffDelay(3, 250, 10000, () => 0.5), 1000);
  assert.equal(backoffDelay(20, 250, 10000, () => 0.999), 9990);
  assert.equal(backoffDelay(5, 250, 10000, () => 0), 0);
});

test('opens with the coedit.v1 and bearer subprotocols, token never in the URL', () => {
  const { conn, statuses } = make();
  conn.start();
  const ws = FakeWebSocket.last();
  assert.deepEqual(ws.protocols, ['coedit.v1', 'bearer.tok.en.1']);
  assert.ok(!ws.url.includes('tok'));
  assert.equal(statuses.at(-1).status, 'connecting');
  ws.serverOpen();
  assert.equal(conn.status, 'connected');
  assert.ok(conn.send({ type: 'cursor', pos: 1 }));
  assert.deepEqual(ws.sentMessages(), [{ type: 'cursor', pos: 1 }]);
});

test('parses JSON messages and ignores binary or broken frames', () => {
  const { conn, messages } = make();
  conn.start();
  const ws = FakeWebSocket.last();
  ws.serverOpen();
  ws.serverSend({ type: 'snapshot', rev: 1 });
  ws.serverSend('not json');
  ws.onmessage({ data: new ArrayBuffer(2) });
  assert.deepEqual(messages, [{ type: 'snapshot', rev: 1 }]);
});

test('reconnects with growing, capped backoff after abnormal closes', () => {
  const { conn, timers, statuses } = make();
  conn.start();
  FakeWebSocket.last().serverOpen();
  const delays = [];
  for (let i = 0; i < 8; i++) {
    FakeWebSocket.last().serverClose(i % 2 ? 1006 : 4500);
    assert.equal(conn.status, 'reconnecting');
    delays.push(statuses.at(-1).delay);
    timers.advance(statuses.at(-1).delay);
    FakeWebSocket.last().serverOpen();
  }
  assert.deepEqual(delays, [125, 250, 500, 1000, 2000, 4000, 5000, 5000]);
  assert.equal(FakeWebSocket.instances.length, 9);
});

test('a message received resets the backoff', () => {
  const { conn, timers, statuses } = make();
  conn.start();
  for (let i = 0; i < 3; i++) { FakeWebSocket.last().serverClose(1006); timers.advance(statuses.at(-1).delay); }
  const ws = FakeWebSocket.last();
  ws.serverOpen();
  ws.serverSend({ type: 'snapshot' });
  ws.serverClose(1001);
  assert.equal(statuses.at(-1).delay, 125);
});

test('4403 is final: no more retries, reason kept', () => {
  const { conn, timers } = make();
  conn.start();
  FakeWebSocket.last().serverOpen();
  FakeWebSocket.last().serverClose(4403, 'forbidden');
  assert.equal(conn.status, 'stopped');
  assert.equal(conn.stopReason?.code, 'forbidden');
  timers.advance(60000);
  assert.equal(FakeWebSocket.instances.length, 1);
});

test('4403 "access revoked" stops as revoked, not as a document refusal', () => {
  const { conn, timers } = make();
  conn.start();
  FakeWebSocket.last().serverOpen();
  FakeWebSocket.last().serverClose(4403, 'access revoked');
  assert.equal(conn.stopReason?.code, 'revoked');
  timers.advance(60000);
  assert.equal(FakeWebSocket.instances.length, 1);
});

test('4401: gets a new token first, then reconnects with it', async () => {
  const ctx = make({ refreshToken: async () => { ctx.setToken('new.tok.2'); return 'new.tok.2'; } });
  const { conn, timers } = ctx;
  conn.start();
  FakeWebSocket.last().serverOpen();
  FakeWebSocket.last().serverClose(4401, 'token expired');
  await Promise.resolve();
  timers.advance(20000);
  assert.deepEqual(FakeWebSocket.last().protocols, ['coedit.v1', 'bearer.new.tok.2']);
});

test('4401 without a way to refresh stops with an auth reason', () => {
  const { conn } = make();
  conn.start();
  FakeWebSocket.last().serverOpen();
  FakeWebSocket.last().serverClose(4401, 'token expired');
  assert.equal(conn.stopReason?.code, 'auth');
});

test('4429 waits at least the rate-limit delay', () => {
  const { conn, statuses } = make();
  conn.start();
  FakeWebSocket.last().serverOpen();
  FakeWebSocket.last().serverClose(4429, 'rate limited');
  assert.ok(statuses.at(-1).delay >= 5000);
});

test('failed handshake is probed: 401 -> refresh, 403 -> stop', async () => {
  let verdict = 'forbidden';
  const { conn } = make({ probe: async () => verdict });
  conn.start();
  FakeWebSocket.last().serverClose(1006);
  await new Promise((r) => setImmediate(r));
  assert.equal(conn.stopReason?.code, 'forbidden');
  verdict = 'auth';
  const c2 = make({ probe: async () => verdict });
  c2.conn.start();
  FakeWebSocket.last().serverClose(1006);
  await new Promise((r) => setImmediate(r));
  assert.equal(c2.conn.stopReason?.code, 'auth', 'no refresh available -> sign in again');
});

test('drop() simulates a cut and reconnects; offline pauses retries', () => {
  const { conn, timers } = make();
  conn.start();
  FakeWebSocket.last().serverOpen();
  conn.drop();
  assert.equal(conn.status, 'reconnecting');
  timers.advance(1000);
  assert.equal(FakeWebSocket.instances.length, 2);
  FakeWebSocket.last().serverOpen();
  conn.setOnline(false);
  FakeWebSocket.last().serverClose(1006);
  assert.equal(conn.status, 'offline');
  timers.advance(60000);
  assert.equal(FakeWebSocket.instances.length, 2);
  conn.setOnline(true);
  assert.equal(FakeWebSocket.instances.length, 3);
});

test('connect timeout closes a hanging attempt and retries', () => {
  const c = make({ connectTimeout: 1000 });
  c.conn.start();
  c.timers.advance(1000);
  assert.equal(c.conn.status, 'reconnecting');
  assert.equal(FakeWebSocket.last().closedWith, 1000);
});

test('setOnline before start() does not open a socket; start() opens exactly one', () => {
  const { conn } = make();
  conn.setOnline(true);
  assert.equal(FakeWebSocket.instances.length, 0);
  conn.start();
  assert.equal(FakeWebSocket.instances.length, 1);
});

test('1003 is a client bug: stop; 1009 retries (after a smaller split) but not forever', () => {
  const { conn } = make();
  conn.start();
  FakeWebSocket.last().serverOpen();
  FakeWebSocket.last().serverClose(1003);
  assert.equal(conn.stopReason?.code, 'protocol');
  const c2 = make();
  c2.conn.start();
  for (let i = 0; i < 3; i++) {
    FakeWebSocket.last().serverOpen();
    FakeWebSocket.last().serverClose(1009);
    assert.equal(c2.conn.status, i < 2 ? 'reconnecting' : 'stopped');
    c2.timers.advance(20000);
  }
});

// DocSession (connection + OT client + presence) against the in-memory server through fake sockets.
import test from 'node:test';
import assert from 'node:assert/strict';
import { DocSession } from '../session.js';
import { diffToOp } from '../editor-diff.js';
import { SimServer } from './sim-server.mjs';
import { FakeTimers, FakeWebSocket } from './fakes.mjs';

function world() {
  FakeWebSocket.instances = [];
  const timers = new FakeTimers();
  const server = new SimServer({ content: 'hello' });
  /** @type {Map<FakeWebSocket, import('./sim-server.mjs').SimConn>} */
  const links = new Map();
  /** @param {string} name */
  function open(name) {
    const view = { value: '', events: /** @type {any[]} */ ([]), errors: /** @type {any[]} */ ([]) };
    const s = new DocSession({ docId: 'doc', url: 'ws://x/ws/documents/doc', getToken: () => `t-${name}`, WebSocketImpl: FakeWebSocket, timers, random: () => 0.5 });
    s.on('apply', ({ op }) => { view.value = op.apply(view.value); });
    s.on('event', (e) => view.events.push(e));
    s.on('error', (e) => view.errors.push(e));
    s.start();
    const ws = FakeWebSocket.last();
    ws.serverOpen();
    links.set(ws, server.connect(name));
    const type = (/** @type {string} */ next) => {
      const op = diffToOp(view.value, next);
      view.value = next;
      s.localEdit(op);
    };
    return { s, view, type, name };
  }
  /** Delivers everything in both directions until quiet. */
  function pump() {
    for (let moved = true; moved;) {
      moved = false;
      for (const [ws, conn] of links) {
        if (ws.readyState !== 1 || !conn.open) { if (ws.readyState !== 1) server.disconnect(conn); links.delete(ws); continue; }
        while (ws.sent.length) { server.handle(conn, JSON.parse(/** @type {string} */ (ws.sent.shift()))); moved = true; }
        while (conn.toClient.length) { ws.serverSend(conn.toClient.shift()); moved = true; }
      }
    }
  }
  /** Accepts sockets the sessions opened since (reconnects). @param {string} name */
  function acceptNew(name) {
    for (const ws of FakeWebSocket.instances) {
      if (ws.readyState === 0) { ws.serverOpen(); links.set(ws, server.connect(name)); }
    }
  }
  return { timers, server, open, pump, acceptNew };
}

test('two sessions edit concurrently and converge', () => {
  const w = world();
  const a = w.open('alice'), b = w.open('bob');
  w.pump();
  assert.equal(a.view.value, 'hello');
  assert.equal(a.s.status().status, 'connected');
  a.type('hello world');
  b.type('oh hello');
  a.type('hello world!');
  w.pump();
  assert.equal(a.view.value, w.server.text);
  assert.equal(b.view.value, w.server.text);
  assert.equal(w.server.text, 'oh hello world!');
  assert.equal(a.s.state().rev, w.server.rev);
  assert.equal(a.s.state().pending, false);
});

test('typing offline, dropped connection: kept, re-sent with the same id, applied once', () => {
  const w = world();
  const a = w.open('alice'), b = w.open('bob');
  w.pump();
  a.type('hello!');
  a.s.conn.drop(); // the op may or may not have reached the server: here it did not
  a.type('hello!?');
  b.type('>hello');
  w.pump();
  assert.equal(a.s.state().status, 'reconnecting');
  w.timers.advance(1000);
  w.acceptNew('alice');
  w.pump();
  assert.equal(a.view.value, '>hello!?');
  assert.equal(b.view.value, '>hello!?');
  for (const n of w.server.applyCount.values()) assert.equal(n, 1);
});

test('while holding (IME composition) remote edits wait, then apply in order', () => {
  const w = world();
  const a = w.open('alice'), b = w.open('bob');
  w.pump();
  a.s.hold(true);
  b.type('hello there');
  w.pump();
  assert.equal(a.view.value, 'hello');
  a.type('ni hello');
  a.s.hold(false);
  w.pump();
  assert.equal(a.view.value, 'ni hello there');
  assert.equal(b.view.value, 'ni hello there');
});

test('remote cursors are relayed and moved by local edits; presence list', () => {
  const w = world();
  const a = w.open('alice'), b = w.open('bob');
  w.pump();
  b.s.setSelection(5, 5);
  w.timers.advance(100);
  w.pump();
  const bob = a.s.state().members.find((m) => m.name === 'bob');
  assert.equal(bob?.pos, 5);
  a.type('>>hello');
  assert.equal(a.s.state().members.find((m) => m.name === 'bob')?.pos, 7);
  a.s.route({ type: 'presence', members: [{ clientId: 'z', user: { id: 'u9', name: 'Zed' } }] });
  assert.deepEqual(a.s.state().members.map((m) => m.name), ['Zed']);
  a.s.route({ type: 'leave', clientId: 'z', user: { id: 'u9', name: 'Zed' } });
  assert.equal(a.s.state().members.length, 0);
});

test('a remote caret where a pending local insert is typed stays before it, as in that person\'s editor', () => {
  const w = world();
  const a = w.open('alice'), b = w.open('bob');
  w.pump();
  a.type('hello!!'); // sent, not yet acknowledged
  a.s.route({ type: 'cursor', clientId: b.s.clientId, user: { id: 'bob', name: 'bob' }, pos: 5, sel: [5, 5] });
  const bobOn = (/** @type {any} */ side) => side.s.state().members.find((/** @type {any} */ m) => m.name === 'bob');
  assert.equal(bobOn(a)?.pos, 5);
  w.pump();
  assert.equal(b.view.value, 'hello!!');
  assert.equal(bobOn(a)?.pos, 5);
});

test('server events are passed on; errors are reported; read-only status', () => {
  const w = world();
  const a = w.open('alice');
  w.pump();
  a.s.route({ type: 'event', name: 'document.renamed', data: { title: 'x' } });
  assert.deepEqual(a.view.events, [{ name: 'document.renamed', data: { title: 'x' }, docId: 'doc' }]);
  a.s.route({ type: 'error', code: 'bad_message', message: 'nope' });
  assert.equal(a.view.errors[0].code, 'bad_message');
  a.s.route({ type: 'snapshot', epoch: w.server.epoch, rev: w.server.rev, content: w.server.text, clientId: 'c9', canEdit: false });
  assert.equal(a.s.status().status, 'read-only');
});

test('unavailable: the op is retried after a backoff with the same id', () => {
  const w = world();
  const a = w.open('alice');
  w.pump();
  w.server.unavailableRate = 1;
  a.type('hello.');
  w.pump();
  w.server.unavailableRate = 0;
  assert.equal(a.s.state().pending, true);
  w.timers.advance(15000);
  w.pump();
  assert.equal(a.s.state().pending, false);
  assert.equal(w.server.text, 'hello.');
});

test('auth refresh refused (token for another user): reconnect with the new token, stay editable', () => {
  const w = world();
  const a = w.open('alice');
  w.pump();
  assert.ok(a.s.sendAuth('new-token'));
  a.s.route({ type: 'error', code: 'forbidden', message: 'A token refresh must be for the same user' });
  assert.equal(a.s.canEdit, true);
  assert.equal(a.view.errors.length, 0);
  assert.equal(a.s.status().status, 'reconnecting');
});

test('a cursor that crossed an edit is corrected once the text is quiet', () => {
  const w = world();
  const a = w.open('alice'), b = w.open('bob');
  w.pump();
  b.s.setSelection(5, 5);
  w.timers.advance(100);
  w.pump();
  const bobOn = (/** @type {any} */ side) => side.s.state().members.find((/** @type {any} */ m) => m.name === 'bob');
  assert.equal(bobOn(a)?.pos, 5);
  // a stale cursor message arrives: bob's caret seen against a text it was not meant for
  a.s.route({ type: 'cursor', clientId: b.s.clientId, user: { id: 'bob', name: 'bob' }, pos: 2, sel: [2, 2] });
  assert.equal(bobOn(a)?.pos, 2);
  a.type('hello!');
  w.pump();
  // bob's caret did not move, but after the edit settles he says where it is again
  w.timers.advance(400);
  w.pump();
  assert.equal(bobOn(a)?.pos, 5);
});

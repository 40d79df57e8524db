import test from 'node:test';
import assert from 'node:assert/strict';
import { CLOSE, Connection, ERROR } from '../connection.js';
import { DocSession } from '../session.js';
import { Emitter } from '../emitter.js';
import { OTClient } from '../ot-client.js';
import { Presence } from '../presence.js';
import { UndoManager } from '../undo-manager.js';
import { FakeWebSocket, FakeTimers } from './fakes.mjs';

test('the OT client, presence and undo history keep their state private: no field can be set from outside', () => {
  const client = new OTClient({ send: () => true });
  for (const object of [client, new Presence(), new UndoManager()]) {
    assert.deepEqual(Object.keys(object), [], object.constructor.name);
  }
  // the getters are read-only views: assigning to one changes nothing
  assert.throws(() => { /** @type {any} */ (client).rev = 5; }, TypeError);
  assert.equal(client.rev, 0);
});

test('the connection and the session share the one emitter', () => {
  const timers = new FakeTimers();
  const conn = new Connection({ url: 'ws://x/ws/documents/d', getToken: () => 't', WebSocketImpl: FakeWebSocket, timers });
  const session = new DocSession({ docId: 'd', url: 'ws://x/ws/documents/d', getToken: () => 't',
    WebSocketImpl: FakeWebSocket, timers });
  assert.ok(conn instanceof Emitter);
  assert.ok(session instanceof Emitter);
  const heard = [];
  const off = session.on('x', (data) => heard.push(data));
  session.emit('x', 1);
  off();
  session.emit('x', 2);
  assert.deepEqual(heard, [1]);
});

test('error codes sit beside close codes, as the protocol names them', () => {
  assert.equal(CLOSE.TOKEN, 4401);
  assert.deepEqual(Object.values(ERROR).sort(), ['bad_message', 'forbidden', 'invalid_op', 'outcome_unknown',
    'rate_limited', 'resync_required', 'stale_revision', 'too_large', 'unavailable']);
  for (const [name, value] of Object.entries(ERROR)) assert.equal(value, name.toLowerCase());
  assert.ok(Object.isFrozen(ERROR));
});

import test from 'node:test';
import assert from 'node:assert/strict';
import { OTClient } from '../ot-client.js';
import { TextOperation, transformIndex } from '../text-operation.js';

const ins = (/** @type {string} */ text, /** @type {number} */ pos, /** @type {string} */ s) =>
  new TextOperation().retain(pos).insert(s).retain(text.length - pos);
const del = (/** @type {string} */ text, /** @type {number} */ pos, /** @type {number} */ n) =>
  new TextOperation().retain(pos).delete(n).retain(text.length - pos - n);

function setup(content = 'abc', { rev = 5, epoch = 'e1', clientId = 'c1', online = true, limits = undefined } = {}) {
  /** @type {any[]} */ const sent = [];
  /** @type {any[]} */ const applied = [];
  const log = { saved: 0, retry: 0, reconnect: 0, /** @type {any[]} */ rejected: [] };
  let connected = online;
  let view = '';
  const c = new OTClient({
    send: (m) => (connected ? (sent.push(m), true) : false),
    onApply: (op, info) => { view = op.apply(view); applied.push({ op: op.toJSON(), ...info }); },
    onSaved: () => log.saved++,
    onRetryLater: () => log.retry++,
    onNeedReconnect: () => log.reconnect++,
    onRejected: (i) => log.rejected.push(i),
  });
  c.connectionOpened();
  c.handleMessage({ type: 'snapshot', docId: 'd', epoch, rev, content, clientId, user: { id: 'u', name: 'U' }, canEdit: true, limits });
  /** local edit helper */
  const edit = (/** @type {TextOperation} */ op) => { view = op.apply(view); c.applyClient(op); };
  return {
    c, sent, applied, log, edit, view: () => view,
    setOnline(/** @type {boolean} */ v) { connected = v; if (v) c.connectionOpened(); else c.connectionClosed(); },
  };
}

test('initial snapshot loads text, rev, epoch and id prefix', () => {
  const { c, applied, view } = setup('hello');
  assert.equal(c.text, 'hello');
  assert.equal(c.rev, 5);
  assert.equal(c.epoch, 'e1');
  assert.equal(c.state, 'synchronized');
  assert.equal(view(), 'hello');
  assert.equal(applied[0].reset, true);
});

test('synchronized -> awaitingConfirm: sends op with id clientId:seq at current rev', () => {
  const { c, sent, edit } = setup();
  edit(ins('abc', 3, 'd'));
  assert.equal(c.state, 'awaitingConfirm');
  assert.deepEqual(sent, [{ type: 'op', rev: 5, op: [3, 'd'], id: 'c1:1' }]);
  assert.equal(c.text, 'abcd');
});

test('awaitingConfirm -> awaitingWithBuffer: edits are buffered and composed, not sent', () => {
  const { c, sent, edit } = setup();
  edit(ins('abc', 3, 'd'));
  edit(ins('abcd', 4, 'e'));
  assert.equal(c.state, 'awaitingWithBuffer');
  edit(del('abcde', 0, 1));
  assert.equal(sent.length, 1);
  assert.deepEqual(c.buffer?.toJSON(), [-1, 3, 'e']);
  assert.equal(c.text, 'bcde');
});

test('awaitingWithBuffer --ack--> awaitingConfirm: sends the buffer with the next id at the ack rev', () => {
  const { c, sent, edit, log } = setup();
  edit(ins('abc', 3, 'd'));
  edit(ins('abcd', 4, 'e'));
  c.handleMessage({ type: 'ack', rev: 6, id: 'c1:1' });
  assert.equal(c.state, 'awaitingConfirm');
  assert.equal(c.rev, 6);
  assert.equal(c.serverText, 'abcd');
  assert.deepEqual(sent[1], { type: 'op', rev: 6, op: [4, 'e'], id: 'c1:2' });
  assert.equal(log.saved, 0);
  c.handleMessage({ type: 'ack', rev: 7, id: 'c1:2' });
  assert.equal(c.state, 'synchronized');
  assert.equal(log.saved, 1);
  assert.equal(c.serverText, 'abcde');
});

test('synchronized: remote op applied; duplicates ignored; a gap asks for sync', () => {
  const { c, sent, view } = setup();
  c.handleMessage({ type: 'op', rev: 6, op: ['x', 3], id: 'c9:1', user: { id: 'v', name: 'V' } });
  assert.equal(c.text, 'xabc');
  assert.equal(view(), 'xabc');
  c.handleMessage({ type: 'op', rev: 6, op: ['x', 3], id: 'c9:1' });
  assert.equal(c.text, 'xabc');
  c.handleMessage({ type: 'op', rev: 8, op: ['y', 5], id: 'c9:3' });
  assert.equal(c.rev, 6);
  assert.deepEqual(sent, [{ type: 'sync', rev: 6, epoch: 'e1' }]);
});

test('awaitingConfirm: remote op transformed; our own op goes first on equal inserts, as ot.js', () => {
  const { c, sent, edit, view } = setup('abc');
  edit(ins('abc', 1, 'L'));
  c.handleMessage({ type: 'op', rev: 6, op: [1, 'R', 2], id: 'c9:1' });
  assert.equal(c.text, 'aLRbc');
  assert.equal(view(), 'aLRbc');
  assert.equal(c.serverText, 'aRbc');
  assert.deepEqual(c.outstanding?.op.toJSON(), [1, 'L', 3]);
  c.handleMessage({ type: 'ack', rev: 7, id: 'c1:1' });
  assert.equal(c.serverText, 'aLRbc');
  assert.equal(sent.length, 1);
});

test('awaitingWithBuffer: remote op transformed through outstanding and buffer', () => {
  const { c, edit } = setup('abc');
  edit(ins('abc', 0, 'X'));
  edit(del('Xabc', 3, 1)); // delete "c"
  c.handleMessage({ type: 'op', rev: 6, op: [2, -1], id: 'c9:1' }); // delete "c" remotely too
  assert.equal(c.text, 'Xab');
  c.handleMessage({ type: 'op', rev: 7, op: [2, '!'], id: 'c9:2' });
  assert.equal(c.text, 'Xab!');
  assert.deepEqual(c.buffer?.toJSON(), [4]);
  c.handleMessage({ type: 'ack', rev: 8, id: 'c1:1' });
  assert.equal(c.serverText, 'Xab!');
});

test('own op echoed as an op message with our id counts as the ack', () => {
  const { c, edit } = setup();
  edit(ins('abc', 0, 'Z'));
  c.handleMessage({ type: 'op', rev: 6, op: ['Z', 3], id: 'c1:1' });
  assert.equal(c.state, 'synchronized');
  assert.equal(c.text, 'Zabc');
});

test('offline edits are kept and sent after reconnect', () => {
  const s = setup('abc');
  s.setOnline(false);
  s.edit(ins('abc', 3, '1'));
  s.edit(ins('abc1', 4, '2'));
  assert.equal(s.sent.length, 0);
  s.setOnline(true);
  s.c.handleMessage({ type: 'snapshot', epoch: 'e1', rev: 5, content: 'abc', clientId: 'c7' });
  assert.deepEqual(s.sent, [{ type: 'op', rev: 5, op: [3, '1'], id: 'c1:1' }]);
  assert.equal(s.c.state, 'awaitingWithBuffer');
});

test('reconnect at the same rev re-sends the outstanding op with the same id', () => {
  const s = setup('abc');
  s.edit(ins('abc', 0, 'A'));
  s.setOnline(false);
  s.setOnline(true);
  s.c.handleMessage({ type: 'snapshot', epoch: 'e1', rev: 5, content: 'abc', clientId: 'c2' });
  assert.deepEqual(s.sent.map((m) => m.id), ['c1:1', 'c1:1']);
  assert.deepEqual(s.sent[1], s.sent[0]);
});

test('reconnect behind: sync first, replayed ack moves on, nothing re-sent twice', () => {
  const s = setup('abc');
  s.edit(ins('abc', 0, 'A'));
  s.edit(ins('Aabc', 1, 'B'));
  s.setOnline(false);
  s.setOnline(true);
  s.c.handleMessage({ type: 'snapshot', epoch: 'e1', rev: 7, content: 'Aabc!', clientId: 'c2' });
  assert.deepEqual(s.sent.at(-1), { type: 'sync', rev: 5, epoch: 'e1' });
  s.c.handleMessage({ type: 'ack', rev: 6, id: 'c1:1' });
  assert.equal(s.sent.length, 2, 'buffer waits until caught up');
  s.c.handleMessage({ type: 'op', rev: 7, op: [4, '!'], id: 'c3:1' });
  assert.deepEqual(s.sent.at(-1), { type: 'op', rev: 7, op: [1, 'B', 4], id: 'c1:2' });
  assert.equal(s.c.text, 'ABabc!');
});

test('reconnect behind: op not applied by the server is re-sent (same id) after catching up', () => {
  const s = setup('abc');
  s.edit(ins('abc', 3, 'Z'));
  s.setOnline(false);
  s.setOnline(true);
  s.c.handleMessage({ type: 'snapshot', epoch: 'e1', rev: 6, content: 'Xabc', clientId: 'c2' });
  s.c.handleMessage({ type: 'op', rev: 6, op: ['X', 3], id: 'c3:1' });
  assert.deepEqual(s.sent.at(-1), { type: 'op', rev: 6, op: [4, 'Z'], id: 'c1:1' });
  assert.equal(s.c.text, 'XabcZ');
});

test('new epoch: pending edits are rebased on the snapshot with a new id', () => {
  const s = setup('hello world');
  s.edit(ins('hello world', 5, ','));
  s.edit(ins('hello, world', 12, '!'));
  s.setOnline(false);
  s.setOnline(true);
  s.c.handleMessage({ type: 'snapshot', epoch: 'e2', rev: 0, content: 'hello big world', clientId: 'c8' });
  assert.equal(s.c.text, 'hello, big world!');
  assert.equal(s.view(), 'hello, big world!');
  assert.equal(s.c.epoch, 'e2');
  assert.deepEqual(s.sent.at(-1), { type: 'op', rev: 0, op: [5, ',', 10, '!'], id: 'c8:1' });
  assert.equal(s.applied.at(-1).reset, true);
});

test('snapshot that already contains the local text drops the pending edits', () => {
  const s = setup('abc');
  s.edit(ins('abc', 3, 'd'));
  s.setOnline(false);
  s.setOnline(true);
  s.c.handleMessage({ type: 'snapshot', epoch: 'e2', rev: 1, content: 'abcd', clientId: 'c8' });
  assert.equal(s.c.state, 'synchronized');
  assert.equal(s.c.text, 'abcd');
});

test('unavailable keeps the op and retries with the same id', () => {
  const s = setup();
  s.edit(ins('abc', 0, 'q'));
  s.c.handleMessage({ type: 'error', code: 'unavailable', message: 'busy', id: 'c1:1' });
  assert.equal(s.log.retry, 1);
  s.c.flush();
  assert.deepEqual(s.sent.map((m) => m.id), ['c1:1', 'c1:1']);
});

test('forbidden rolls back refused edits and reports the lost text', () => {
  const s = setup('abc');
  s.edit(ins('abc', 3, 'd'));
  s.c.handleMessage({ type: 'error', code: 'forbidden', message: 'read only', id: 'c1:1' });
  assert.equal(s.c.text, 'abc');
  assert.equal(s.view(), 'abc');
  assert.equal(s.log.rejected[0].text, 'abcd');
});

test('invalid_op / stale_revision: reconnect and rebase on the next snapshot', () => {
  const s = setup('abc');
  s.edit(ins('abc', 3, 'd'));
  s.c.handleMessage({ type: 'error', code: 'stale_revision', message: 'old', id: 'c1:1' });
  assert.equal(s.log.reconnect, 1);
  s.setOnline(false);
  s.setOnline(true);
  s.c.handleMessage({ type: 'snapshot', epoch: 'e1', rev: 9, content: 'xabc', clientId: 'c2' });
  assert.equal(s.c.text, 'xabcd');
  assert.deepEqual(s.sent.at(-1), { type: 'op', rev: 9, op: [4, 'd'], id: 'c1:2' });
});

test('resync_required sends sync', () => {
  const s = setup();
  s.c.handleMessage({ type: 'error', code: 'resync_required', message: '' });
  assert.deepEqual(s.sent.at(-1), { type: 'sync', rev: 5, epoch: 'e1' });
});

test('ops larger than limits.maxMessageBytes are split into consecutive ops', () => {
  const s = setup('abc', { limits: { maxMessageBytes: 600 } });
  const big = 'x'.repeat(2000) + '😀'.repeat(300);
  s.edit(ins('abc', 1, big));
  const first = s.sent[0];
  assert.ok(JSON.stringify(first).length <= 600, 'first part fits');
  let rev = 5;
  while (s.c.outstanding) {
    const m = s.sent.at(-1);
    assert.ok(new TextEncoder().encode(JSON.stringify(m)).length <= 600);
    s.c.handleMessage({ type: 'ack', rev: ++rev, id: m.id });
  }
  assert.equal(s.c.serverText, 'a' + big + 'bc');
});

test('too_large (document would exceed its maximum) rolls the edit back and reports it', () => {
  const s = setup('abc');
  s.edit(ins('abc', 3, 'y'.repeat(50)));
  s.c.handleMessage({ type: 'error', code: 'too_large', message: 'too long', id: 'c1:1' });
  assert.equal(s.c.text, 'abc');
  assert.equal(s.log.rejected[0].code, 'too_large');
});

test('close 1009: the op is split smaller and re-sent under a new id', () => {
  const s = setup('abc');
  s.edit(ins('abc', 3, 'y'.repeat(5000)));
  s.c.frameTooBig();
  s.setOnline(false);
  s.setOnline(true);
  s.c.handleMessage({ type: 'snapshot', epoch: 'e1', rev: 5, content: 'abc', clientId: 'c2' });
  const m = s.sent.at(-1);
  assert.equal(m.id, 'c1:2');
  assert.ok(JSON.stringify(m).length < 3000);
});

test('history gone, ack lost: the probe (same id, same base) finds the op applied; no duplicate', () => {
  const s = setup('abc');
  s.edit(ins('abc', 3, 'D'));
  s.edit(ins('abcD', 0, '>'));
  s.setOnline(false);
  s.setOnline(true);
  s.c.handleMessage({ type: 'snapshot', epoch: 'e1', rev: 900, content: 'xabcD', clientId: 'c2' });
  assert.deepEqual(s.sent.at(-1), { type: 'sync', rev: 5, epoch: 'e1' });
  s.c.handleMessage({ type: 'snapshot', epoch: 'e1', rev: 901, content: 'xabcDy', clientId: 'c2' });
  assert.deepEqual(s.sent.at(-1), { type: 'op', rev: 5, op: [3, 'D'], id: 'c1:1' });
  s.c.handleMessage({ type: 'op', rev: 902, op: [6, 'z'], id: 'c5:1' }); // queued until the answer
  assert.equal(s.c.rev, 5);
  s.c.handleMessage({ type: 'ack', rev: 6, id: 'c1:1' });
  assert.equal(s.c.text, '>xabcDyz'); // our own pending text first on a tie, as ot.js
  assert.equal(s.view(), '>xabcDyz');
  assert.equal(s.c.rev, 902);
  assert.deepEqual(s.sent.at(-1), { type: 'op', rev: 901, op: ['>', 6], id: 'c1:2' });
});

test('history gone: the probe finds the op not applied and rebases it on the snapshot', () => {
  const s = setup('abc');
  s.edit(ins('abc', 3, 'D'));
  s.setOnline(false);
  s.setOnline(true);
  s.c.handleMessage({ type: 'snapshot', epoch: 'e1', rev: 900, content: 'xabc', clientId: 'c2' });
  s.c.handleMessage({ type: 'snapshot', epoch: 'e1', rev: 900, content: 'xabc', clientId: 'c2' });
  s.c.handleMessage({ type: 'error', code: 'resync_required', message: 'gone', id: 'c1:1' });
  assert.equal(s.c.text, 'xabcD');
  assert.deepEqual(s.sent.at(-1), { type: 'op', rev: 900, op: [4, 'D'], id: 'c1:2' });
});

test('resync_required for our op after newer ops arrived: re-sent from the newer rev, same id', () => {
  const s = setup('abc');
  s.edit(ins('abc', 3, 'D'));
  s.c.handleMessage({ type: 'op', rev: 6, op: ['x', 3], id: 'c5:1' });
  s.c.handleMessage({ type: 'error', code: 'resync_required', message: 'gone', id: 'c1:1' });
  assert.deepEqual(s.sent.at(-1), { type: 'op', rev: 6, op: [4, 'D'], id: 'c1:1' });
});

test('rate_limited without an id: the op in flight is retried later with the same id', () => {
  const s = setup('abc');
  s.edit(ins('abc', 3, 'D'));
  s.c.handleMessage({ type: 'error', code: 'rate_limited', message: 'slow down' });
  assert.equal(s.log.retry, 1);
  s.c.retry();
  assert.deepEqual(s.sent.map((m) => m.id), ['c1:1', 'c1:1']);
});

test('transformPosition maps server positions through pending edits', () => {
  const s = setup('abc');
  s.edit(ins('abc', 0, 'XY'));
  assert.equal(s.c.transformPosition(2, transformIndex), 4);
});

test('outcome_unknown for our op: never sent again; the text the user had goes to the rejected panel', () => {
  const s = setup('abc');
  s.edit(ins('abc', 3, 'D'));
  assert.equal(s.sent.length, 1);
  s.c.handleMessage({ type: 'error', code: 'outcome_unknown', message: 'unknown', id: 'c1:1' });
  assert.equal(s.log.rejected.length, 1);
  assert.equal(s.log.rejected[0].text, 'abcD');
  assert.equal(s.c.hasPending(), false);
  assert.equal(s.c.text, 'abc');
  s.c.retry();
  assert.equal(s.sent.length, 1, 'not re-sent');
});

test('a probe answered outcome_unknown adopts the snapshot and shows the user their text, never re-applying it', () => {
  const s = setup('abc');
  s.edit(ins('abc', 3, 'D'));
  s.setOnline(false);
  s.setOnline(true);
  s.c.handleMessage({ type: 'snapshot', epoch: 'e1', rev: 900, content: 'xabc', clientId: 'c2' });
  s.c.handleMessage({ type: 'snapshot', epoch: 'e1', rev: 901, content: 'xabcD?', clientId: 'c2' });
  assert.deepEqual(s.sent.at(-1), { type: 'op', rev: 5, op: [3, 'D'], id: 'c1:1' }); // the probe
  const sentBefore = s.sent.length;
  s.c.handleMessage({ type: 'error', code: 'outcome_unknown', message: 'unknown', id: 'c1:1' });
  assert.equal(s.c.text, 'xabcD?');
  assert.equal(s.view(), 'xabcD?');
  assert.equal(s.c.rev, 901);
  assert.equal(s.c.hasPending(), false);
  assert.equal(s.log.rejected.at(-1)?.text, 'abcD');
  assert.equal(s.sent.length, sentBefore, 'nothing re-sent');
});

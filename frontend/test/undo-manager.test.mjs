// The undo manager: grouping, undo among other people's edits (randomized and on the shared OT vectors), redo,
// steps whose text others deleted, and its life in a DocSession (kept across reconnects, cleared on a new history).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { UndoManager, MAX_STEPS } from '../undo-manager.js';
import { TextOperation } from '../text-operation.js';
import { diffToOp } from '../editor-diff.js';
import { DocSession } from '../session.js';
import { SimServer, rng } from './sim-server.mjs';
import { FakeTimers, FakeWebSocket } from './fakes.mjs';

const BASE_SEED = process.env.SEED ? Number(process.env.SEED) : Date.now() % 1e9;
console.log(`undo-manager: SEED=${BASE_SEED}`);

/** One person's editor: their edits go through the manager, other people's arrive as already applied ops. */
class Editor {
  constructor(text = '', opts = {}) {
    this.text = text;
    this.now = 0;
    this.undo = new UndoManager(opts);
  }

  /** @param {TextOperation} op @param {number} [pause] ms since the last edit @param {any} [meta] */
  own(op, pause = 10, meta = {}) {
    this.now += pause;
    this.undo.record(op, this.text, this.now, meta);
    this.text = op.apply(this.text);
  }

  /** Types one character after another, 10 ms apart. @param {number} at @param {string} s @param {number} [pause] before the first */
  type(at, s, pause = 10) {
    for (const ch of s) {
      this.own(new TextOperation().retain(at).insert(ch).retain(this.text.length - at), pause);
      pause = 10;
      at++;
    }
  }

  /** @param {number} at @param {number} [pause] */
  backspace(at, pause = 10) {
    this.own(new TextOperation().retain(at - 1).delete(1).retain(this.text.length - at), pause);
  }

  /** @param {TextOperation} op */
  remote(op) {
    this.undo.transform(op);
    this.text = op.apply(this.text);
  }

  /** @param {number} at @param {string} s */
  remoteInsert(at, s) { this.remote(new TextOperation().retain(at).insert(s).retain(this.text.length - at)); }

  /** @param {number} at @param {number} n */
  remoteDelete(at, n) { this.remote(new TextOperation().retain(at).delete(n).retain(this.text.length - at - n)); }

  doUndo() { return this.apply(this.undo.undo(this.text)); }

  doRedo() { return this.apply(this.undo.redo(this.text)); }

  /** @param {{op: TextOperation, caret: number} | null} step */
  apply(step) {
    if (step) this.text = step.op.apply(this.text);
    return step;
  }
}

test('typing without a pause is one step; a pause of more than 500 ms starts another', () => {
  const e = new Editor();
  e.type(0, 'abc');
  e.type(3, 'def', 600);
  assert.equal(e.text, 'abcdef');
  e.doUndo();
  assert.equal(e.text, 'abc');
  e.doUndo();
  assert.equal(e.text, '');
  assert.equal(e.doUndo(), null);
});

test('a caret jump starts a new step', () => {
  const e = new Editor('0123456789');
  e.type(10, 'ab');
  e.type(2, 'XY');
  assert.equal(e.text, '01XY23456789ab');
  e.doUndo();
  assert.equal(e.text, '0123456789ab');
  e.doUndo();
  assert.equal(e.text, '0123456789');
});

test('switching between inserting and deleting starts a new step; consecutive backspaces are one', () => {
  const e = new Editor();
  e.type(0, 'hello');
  e.backspace(5);
  e.backspace(4);
  e.type(3, 'p!');
  assert.equal(e.text, 'help!');
  e.doUndo();
  assert.equal(e.text, 'hel');
  e.doUndo();
  assert.equal(e.text, 'hello');
  e.doUndo();
  assert.equal(e.text, '');
});

test('a paste or a cut is a step of its own, and typing after it starts another', () => {
  const e = new Editor();
  e.type(0, 'ab');
  e.own(new TextOperation().retain(2).insert('PASTED'), 10, { boundary: true });
  e.type(8, 'cd');
  assert.equal(e.text, 'abPASTEDcd');
  e.doUndo();
  assert.equal(e.text, 'abPASTED');
  e.doUndo();
  assert.equal(e.text, 'ab');
  e.own(new TextOperation().delete(2), 10, { boundary: true }); // cut
  assert.equal(e.text, '');
  e.doUndo();
  assert.equal(e.text, 'ab');
});

test('undo keeps the other person\'s text before, inside and after one\'s own step; the caret lands at the step', () => {
  const e = new Editor('start ');
  e.type(6, 'mine');
  e.remoteInsert(0, '<');
  e.remoteInsert(9, '|'); // inside "mine": "<start mi|ne"
  e.remoteInsert(12, '>');
  assert.equal(e.text, '<start mi|ne>');
  const step = e.doUndo();
  assert.equal(e.text, '<start |>');
  assert.equal(step?.caret, 8, 'where the last of the undone text was');
  e.doRedo();
  assert.equal(e.text, '<start mi|ne>');
});

test('redo after undo restores the text; a new edit clears the redo stack', () => {
  const e = new Editor('x');
  e.type(1, 'abc');
  e.backspace(1, 1000);
  assert.equal(e.text, 'abc');
  e.doUndo();
  e.doUndo();
  assert.equal(e.text, 'x');
  e.doRedo();
  assert.equal(e.text, 'xabc');
  e.doRedo();
  assert.equal(e.text, 'abc');
  e.doUndo();
  e.type(0, 'new', 1000);
  assert.equal(e.undo.canRedo(), false);
  assert.equal(e.doRedo(), null);
});

test('an undo whose text others already deleted changes nothing and does not fail', () => {
  const e = new Editor('keep ');
  e.type(5, 'gone');
  e.remoteDelete(3, 6); // someone deletes "p gone"
  assert.equal(e.text, 'kee');
  const step = e.doUndo();
  assert.ok(step && step.op.isNoop());
  assert.equal(e.text, 'kee');
  assert.equal(e.undo.canUndo(), false);
  assert.ok(e.doRedo()?.op.isNoop(), 'its redo does nothing either');
  assert.equal(e.text, 'kee');
});

test('the stack holds at most 500 steps, the oldest go first', () => {
  const e = new Editor();
  for (let i = 0; i < MAX_STEPS + 20; i++) e.type(i, 'x', 1000);
  let undone = 0;
  while (e.doUndo()) undone++;
  assert.equal(undone, MAX_STEPS);
  assert.equal(e.text, 'x'.repeat(20));
});

/** Unique characters, so every character's origin is known. */
function* uniqueChars() {
  for (let cp = 0x4e00; ; cp++) yield String.fromCodePoint(cp);
}

test('random interleavings: each undo removes exactly its own step and keeps every other character', () => {
  for (let round = 0; round < 300; round++) {
    const seed = BASE_SEED + round;
    const random = rng(seed).next;
    const chars = uniqueChars();
    const fresh = (/** @type {number} */ n) => Array.from({ length: n }, () => chars.next().value).join('');
    const e = new Editor(fresh(1 + Math.floor(random() * 8)));
    /** @type {{inserted: Set<string>, deleted: Set<string>}[]} */
    const steps = [];
    const remoteInserted = new Set();
    for (let i = 0, n = 1 + Math.floor(random() * 12); i < n; i++) {
      const len = e.text.length;
      const at = Math.floor(random() * (len + 1));
      const own = random() < 0.5;
      if (random() < 0.6 || len === 0) {
        const s = fresh(1 + Math.floor(random() * 3));
        const op = new TextOperation().retain(at).insert(s).retain(len - at);
        if (own) { e.own(op, 1000); steps.push({ inserted: new Set(s), deleted: new Set() }); }
        else { e.remote(op); for (const c of s) remoteInserted.add(c); }
      } else {
        const from = Math.min(at, len - 1);
        const count = 1 + Math.floor(random() * Math.min(3, len - from));
        const op = new TextOperation().retain(from).delete(count).retain(len - from - count);
        if (own) { steps.push({ inserted: new Set(), deleted: new Set(e.text.slice(from, from + count)) }); e.own(op, 1000); }
        else e.remote(op);
      }
    }
    while (steps.length) {
      const step = /** @type {{inserted: Set<string>, deleted: Set<string>}} */ (steps.pop());
      const before = e.text;
      assert.ok(e.doUndo(), `seed ${seed}: a step to undo`);
      const after = e.text;
      const expected = new Set([...before].filter((c) => !step.inserted.has(c)).concat([...step.deleted]));
      assert.deepEqual(new Set(after), expected, `seed ${seed}: undo changes exactly its own step`);
      assert.equal(after.length, expected.size, `seed ${seed}: nothing doubled`);
      const kept = [...after].filter((c) => before.includes(c)).join('');
      assert.equal(kept, [...before].filter((c) => after.includes(c)).join(''), `seed ${seed}: order kept`);
      for (const c of remoteInserted) if (before.includes(c)) assert.ok(after.includes(c), `seed ${seed}: ${c} kept`);
      if (random() < 0.3) {
        e.doRedo();
        assert.equal(e.text, before, `seed ${seed}: redo restores`);
        e.doUndo();
        assert.equal(e.text, after, `seed ${seed}: undo again`);
      }
    }
    assert.equal(e.doUndo(), null);
  }
});

test('shared OT vectors: undoing one\'s edit after a concurrent one leaves the text as if only the other was made', () => {
  const url = new URL('../../src/test/resources/ot/vectors.json', import.meta.url);
  const vectors = JSON.parse(readFileSync(url, 'utf8'));
  let checked = 0;
  for (const [i, v] of vectors.transform.entries()) {
    const a = TextOperation.fromJSON(v.a);
    const b = TextOperation.fromJSON(v.b);
    const e = new Editor(v.doc);
    e.own(a, 1000);
    e.remote(TextOperation.fromJSON(v.bPrime)); // b as it arrives after a
    assert.equal(e.text, v.result, `transform[${i}]`);
    e.doUndo();
    if (bothDeleteSomethingOf(a, b)) continue; // text both removed: the undo restores it (it was one's own delete)
    const expected = b.apply(v.doc);
    if (a.ops.some((c) => typeof c === 'number' && c < 0)) {
      // restored text goes back whole: where the other typed inside it, their text ends up beside it, not inside
      assert.deepEqual([...e.text].sort(), [...expected].sort(), `transform[${i}] ${JSON.stringify(v)}`);
    } else {
      assert.equal(e.text, expected, `transform[${i}] ${JSON.stringify(v)}`);
    }
    checked++;
  }
  assert.ok(checked > 100, `${checked} vectors checked`);
});

/** @param {TextOperation} a @param {TextOperation} b */
function bothDeleteSomethingOf(a, b) {
  const deleted = (/** @type {TextOperation} */ op) => {
    const set = new Set();
    let i = 0;
    for (const c of op.ops) {
      if (typeof c === 'number' && c > 0) i += c;
      else if (typeof c === 'number') for (let k = 0; k < -c; k++) set.add(i++);
    }
    return set;
  };
  const da = deleted(a);
  return [...deleted(b)].some((i) => da.has(i));
}

function sessionWorld() {
  FakeWebSocket.instances = [];
  const timers = new FakeTimers();
  const server = new SimServer({ content: '' });
  let now = 0;
  const view = { value: '' };
  const s = new DocSession({ docId: 'doc', url: 'ws://x/ws/documents/doc', getToken: () => 't', WebSocketImpl: FakeWebSocket,
    timers, random: () => 0.5, now: () => now });
  s.on('apply', ({ op }) => { view.value = op.apply(view.value); });
  const cleared = [];
  s.on('history-cleared', () => cleared.push(now));
  s.start();
  /** @type {Map<FakeWebSocket, any>} */
  const links = new Map();
  const accept = () => {
    for (const ws of FakeWebSocket.instances) if (ws.readyState === 0) { ws.serverOpen(); links.set(ws, server.connect('ada')); }
  };
  const pump = () => {
    for (let moved = true; moved;) {
      moved = false;
      for (const [ws, conn] of links) {
        if (ws.readyState !== 1 || !conn.open) { links.delete(ws); continue; }
        while (ws.sent.length) { server.handle(conn, JSON.parse(ws.sent.shift())); moved = true; }
        while (conn.toClient.length) { ws.serverSend(conn.toClient.shift()); moved = true; }
      }
    }
  };
  const type = (/** @type {string} */ next) => { now += 1000; const op = diffToOp(view.value, next); view.value = next; s.localEdit(op); };
  const undo = () => { const step = s.undo(); if (step) view.value = step.op.apply(view.value); return step; };
  accept();
  pump();
  return { s, server, view, type, undo, pump, accept, timers, cleared };
}

test('in a session: an undo is sent as an ordinary op, and the history survives a reconnect', () => {
  const w = sessionWorld();
  w.type('one');
  w.type('one two');
  w.pump();
  FakeWebSocket.last().serverClose(1001);
  w.timers.advance(60000);
  w.accept();
  w.pump();
  w.undo();
  w.pump();
  assert.equal(w.view.value, 'one');
  assert.equal(w.server.text, 'one');
  assert.equal(w.s.status().pending, false);
});

test('in a session: a new history (epoch) clears the stack and says so', () => {
  const w = sessionWorld();
  w.type('draft');
  w.pump();
  assert.equal(w.s.history.canUndo(), true);
  w.server.restart();
  FakeWebSocket.last().serverClose(1001);
  w.timers.advance(60000);
  w.accept();
  w.pump();
  assert.equal(w.s.history.canUndo(), false);
  assert.equal(w.cleared.length, 1);
  assert.equal(w.undo(), null);
  assert.equal(w.server.text, 'draft');
});

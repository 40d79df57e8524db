// Two people typing at one spot at the same time: each one's caret stays before text the other inserts exactly
// there (CodeMirror's mapPos with assoc -1), so each person's words stay together, and the carets drawn for others
// follow the same rule.
import test from 'node:test';
import assert from 'node:assert/strict';
import { OTClient } from '../ot-client.js';
import { TextOperation, transformIndex as transformThrough } from '../text-operation.js';
import { applyToEditorState } from '../editor-diff.js';
import { Presence } from '../presence.js';
import { SimServer, rng } from './sim-server.mjs';

const SEED = process.env.SEED ? Number(process.env.SEED) : Date.now() % 1e9;
console.log(`same-spot: SEED=${SEED}`);

/** An editor (value + caret) over the editor's OT client, typing one character at a time at its caret. */
class TypingEditor {
  /** @param {SimServer} server @param {string} name */
  constructor(server, name) {
    this.state = { value: '', start: 0, end: 0 };
    this.client = new OTClient({
      send: (msg) => (this.conn.toServer.push(msg), true),
      onApply: (op, info) => {
        this.state = info.reset ? { value: op.apply(''), start: 0, end: 0 } : applyToEditorState(op, this.state);
      },
    });
    this.conn = server.connect(name);
    this.client.connectionOpened();
  }

  /** @param {number} pos */
  placeCaret(pos) { this.state = { ...this.state, start: pos, end: pos }; }

  /** @param {string} ch */
  type(ch) {
    const { value, start } = this.state;
    const op = new TextOperation().retain(start).insert(ch).retain(value.length - start);
    this.state = { value: op.apply(value), start: start + ch.length, end: start + ch.length };
    this.client.applyClient(op);
  }

  receiveOne() {
    const msg = this.conn.toClient.shift();
    if (msg) this.client.handleMessage(msg);
    return msg !== undefined;
  }
}

/** Delivers every queued message in both directions, in a random order between the queues. */
function settle(/** @type {SimServer} */ server, /** @type {TypingEditor[]} */ editors, /** @type {ReturnType<typeof rng>} */ r) {
  for (let guard = 0; guard < 100000; guard++) {
    const busy = editors.filter((e) => e.conn.toServer.length || e.conn.toClient.length);
    if (!busy.length) return;
    const e = r.pick(busy);
    if (e.conn.toServer.length && (!e.conn.toClient.length || r.chance(0.5))) server.deliverOne(e.conn);
    else e.receiveOne();
  }
  throw new Error('did not settle');
}

test('two people typing at one spot at the same time keep their sentences whole', () => {
  const ada = 'Ada types here. ';
  const bob = 'Bob writes 😀 too. ';
  for (let run = 0; run < 300; run++) {
    const r = rng(SEED + run);
    const server = new SimServer({ content: 'Start: end.' });
    const editors = [new TypingEditor(server, 'ada'), new TypingEditor(server, 'bob')];
    settle(server, editors, r);
    const spot = 'Start: '.length;
    editors.forEach((e) => e.placeCaret(spot));
    const sentences = [Array.from(ada), Array.from(bob)];
    // both type at once: keystrokes and message deliveries interleave at random
    while (sentences.some((s) => s.length)) {
      const i = r.int(2);
      if (sentences[i].length && r.chance(0.5)) editors[i].type(/** @type {string} */ (sentences[i].shift()));
      else {
        const e = editors[r.int(2)];
        if (e.conn.toServer.length && r.chance(0.5)) server.deliverOne(e.conn);
        else e.receiveOne();
      }
    }
    settle(server, editors, r);
    const text = server.text;
    for (const e of editors) assert.equal(e.state.value, text, `converged (SEED=${SEED + run})`);
    assert.ok(text.includes(ada), `Ada's sentence whole in ${JSON.stringify(text)} (SEED=${SEED + run})`);
    assert.ok(text.includes(bob), `Bob's sentence whole in ${JSON.stringify(text)} (SEED=${SEED + run})`);
    assert.ok(text.startsWith('Start: ') && text.endsWith('end.'), text);
  }
});

test('a remote insert exactly at the local caret leaves the caret before it', () => {
  const state = { value: 'abcd', start: 2, end: 2 };
  const after = applyToEditorState(new TextOperation().retain(2).insert('XY').retain(2), state);
  assert.deepEqual(after, { value: 'abXYcd', start: 2, end: 2 });
});

test('a remote insert before the caret moves it, one after it does not', () => {
  const state = { value: 'abcd', start: 2, end: 2 };
  assert.equal(applyToEditorState(new TextOperation().retain(1).insert('X').retain(3), state).start, 3);
  assert.equal(applyToEditorState(new TextOperation().retain(3).insert('X').retain(1), state).start, 2);
});

test('a selection does not grow to take in text inserted at its edges (CodeMirror range mapping)', () => {
  const state = { value: 'abcdef', start: 2, end: 4 };
  const atStart = applyToEditorState(new TextOperation().retain(2).insert('X').retain(4), state);
  assert.deepEqual([atStart.start, atStart.end], [3, 5]);
  const atEnd = applyToEditorState(new TextOperation().retain(4).insert('X').retain(2), state);
  assert.deepEqual([atEnd.start, atEnd.end], [2, 4]);
});

test('the caret drawn for another person stays before text inserted at it, as in their own editor', () => {
  // Bob's caret is at 2 in our text; we type "XY" at 2: Bob's own editor keeps his caret before our text
  const presence = new Presence();
  presence.cursor({ clientId: 'bob', user: { id: 'bob', name: 'Bob' }, pos: 2, sel: [2, 2] });
  presence.transform(new TextOperation().retain(2).insert('XY').retain(2));
  const bob = presence.list().find((m) => m.clientId === 'bob');
  assert.equal(bob?.pos, 2);
  assert.deepEqual(bob?.sel, [2, 2]);
});

test('the caret drawn for someone typing at our spot follows their words, as their editor shows it', () => {
  // Both at 2 in "abcd". We type "A" (pending); Bob types "B" at 2 and his cursor says 3 in the server's text
  const r = rng(SEED);
  const server = new SimServer({ content: 'abcd' });
  const me = new TypingEditor(server, 'me');
  const bob = new TypingEditor(server, 'bob');
  settle(server, [me, bob], r);
  me.placeCaret(2);
  bob.placeCaret(2);
  bob.type('B');
  server.deliverOne(bob.conn); // Bob's op is accepted first
  me.type('A'); // ours is still pending when Bob's arrives
  while (me.receiveOne()) { /* Bob's op */ }
  // the server will put our pending "A" before Bob's "B" (incoming op first): "abABcd"
  assert.equal(me.state.value, 'abABcd');
  assert.equal(me.state.start, 3, 'our caret stays after our own A, before his B');
  // Bob's caret (after his B: 3 in the server text "abBcd") maps through our pending op to 4, after his B
  const presence = new Presence();
  presence.cursor({ clientId: 'bob', user: { id: 'bob', name: 'Bob' }, pos: 3, sel: [3, 3] },
    (p, pushOnTie) => me.client.transformPosition(p, (index, op) => transformThrough(index, op, pushOnTie)));
  assert.equal(presence.list()[0].pos, 4);
  settle(server, [me, bob], r);
  assert.equal(server.text, 'abABcd');
  assert.equal(bob.state.value, 'abABcd');
  assert.equal(bob.state.start, 4, 'Bob\'s caret stays after his B');
});

import test from 'node:test';
import assert from 'node:assert/strict';
import { Presence, colorFor, contrastWithWhite, moveCaret } from '../presence.js';
import { applyToEditorState } from '../editor-diff.js';
import { decodeJwtExp, tokenExpiry, refreshDelay, sessionFromToken, fetchDevToken, TokenStore } from '../auth.js';
import { splitOp, jsonBytes } from '../op-size.js';
import { TextOperation, transformIndex } from '../text-operation.js';

const b64url = (/** @type {object} */ o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (/** @type {object} */ payload) => `${b64url({ alg: 'HS256' })}.${b64url(payload)}.sig`;

test('colours are stable per id and give white text at least 4.5:1 contrast', () => {
  assert.equal(colorFor('u1'), colorFor('u1'));
  assert.notEqual(colorFor('u1'), colorFor('u2'));
  for (let i = 0; i < 500; i++) {
    const m = /hsl\((\d+) 70% (\d+)%\)/.exec(colorFor(`user-${i}`));
    assert.ok(m);
    assert.ok(contrastWithWhite(Number(m[1]), 70, Number(m[2])) >= 4.5, String(m[0]));
  }
  assert.ok(Math.abs(contrastWithWhite(0, 0, 0) - 21) < 0.01);
  assert.ok(Math.abs(contrastWithWhite(0, 0, 100) - 1) < 0.01);
});

test('presence: members, cursors transformed, self excluded, bad input ignored', () => {
  const p = new Presence();
  p.setSelf('me');
  p.setMembers([{ clientId: 'me', user: { id: 'a', name: 'A' }, pos: 1 }, { clientId: 'x', user: { id: 'b', name: 'B' }, pos: 3, sel: [1, 3] }, null, { clientId: 7 }]);
  assert.equal(p.list().length, 2);
  p.transform(new TextOperation().insert('ZZ').retain(5));
  assert.deepEqual(p.cursors(10).map((c) => c.clientId), ['x'], 'our own caret is not drawn as a remote one');
  const [x] = p.cursors(10);
  assert.equal(x.clientId, 'x');
  assert.equal(x.pos, 5);
  assert.deepEqual(x.sel, [3, 5]);
  p.cursor({ clientId: 'x', pos: -4, sel: 'no' });
  assert.equal(p.cursors(10).length, 0);
  p.cursor({ clientId: 'x', pos: 50 });
  assert.equal(p.cursors(7)[0].pos, 7, 'clamped to the text');
});

test('presence: a remote caret moves exactly like that person\'s own editor moves it', () => {
  const text = 'abcdefgh';
  /** @type {TextOperation[]} */
  const ops = [];
  for (let at = 0; at <= text.length; at++) ops.push(new TextOperation().retain(at).insert('XY').retain(text.length - at));
  for (let at = 0; at < text.length; at++) {
    for (let n = 1; at + n <= text.length; n++) ops.push(new TextOperation().retain(at).delete(n).retain(text.length - at - n));
  }
  for (const op of ops) {
    for (let start = 0; start <= text.length; start++) {
      for (let end = start; end <= text.length; end++) {
        const editor = applyToEditorState(op, { value: text, start, end });
        const drawn = moveCaret(end, [start, end], (index, pushOnTie) => transformIndex(index, op, pushOnTie));
        assert.deepEqual(drawn, { pos: editor.end, sel: [editor.start, editor.end] }, `${JSON.stringify(op.toJSON())} on [${start}, ${end}]`);
      }
    }
  }
  const p = new Presence();
  p.setMembers([{ clientId: 'x', user: { id: 'b', name: 'B' }, pos: 5, sel: [5, 5] }]);
  p.transform(new TextOperation().retain(5).insert('typed at the caret').retain(3));
  assert.equal(p.cursors(30)[0].pos, 5, 'text typed at a collapsed caret lands after it');
});

test('JWT exp decoding and expiry selection', () => {
  const t = jwt({ sub: 'u', name: 'Ann', exp: 2000000000 });
  assert.equal(decodeJwtExp(t), 2000000000000);
  assert.equal(decodeJwtExp('opaque'), null);
  assert.equal(tokenExpiry(t, '2030-01-01T00:00:00Z'), Date.parse('2030-01-01T00:00:00Z'));
  assert.equal(tokenExpiry(t, 'garbage'), 2000000000000);
  assert.equal(refreshDelay(100000, 0), 40000);
  assert.equal(refreshDelay(1000, 0), 5000);
  assert.equal(refreshDelay(null, 0), null);
  const s = sessionFromToken(` ${t} `);
  assert.equal(s.name, 'Ann');
  assert.equal(s.refreshable, false);
});

test('dev token sign-in posts the name and reads token + expiresAt', async () => {
  /** @type {any[]} */
  const calls = [];
  const fetchImpl = /** @type {any} */ (async (/** @type {string} */ url, /** @type {any} */ init) => {
    calls.push([url, init]);
    return { ok: true, status: 200, json: async () => ({ token: 'a.b.c', expiresAt: '2030-01-01T00:00:00Z' }) };
  });
  const s = await fetchDevToken('Ann', fetchImpl);
  assert.equal(calls[0][0], '/api/auth/dev-token');
  assert.deepEqual(JSON.parse(calls[0][1].body), { name: 'Ann' });
  assert.equal(s.token, 'a.b.c');
  assert.equal(s.refreshable, true);
  const failing = /** @type {any} */ (async () => ({ ok: false, status: 404, json: async () => ({}) }));
  await assert.rejects(fetchDevToken('Ann', failing), /Paste a token/);
});

test('token store round-trips and survives broken storage', () => {
  const data = new Map();
  const storage = /** @type {any} */ ({ getItem: (k) => data.get(k) ?? null, setItem: (k, v) => data.set(k, v), removeItem: (k) => data.delete(k) });
  const store = new TokenStore(storage);
  store.set({ token: 't', name: 'n', expiresAt: null, refreshable: true });
  assert.equal(store.get()?.token, 't');
  store.clear();
  assert.equal(store.get(), null);
  data.set('coedit.session', '{broken');
  assert.equal(store.get(), null);
});

test('splitOp: parts compose to the original and fit the budget', () => {
  const doc = 'abcdef';
  const op = new TextOperation().retain(2).insert('x'.repeat(300) + '😀'.repeat(100)).delete(2).retain(2);
  const parts = splitOp(op, 200);
  assert.ok(parts);
  const [a, b] = /** @type {[TextOperation, TextOperation]} */ (parts);
  assert.ok(jsonBytes(a.ops) <= 200);
  assert.equal(b.apply(a.apply(doc)), op.apply(doc));
  a.check(doc);
  b.check(a.apply(doc));
  assert.equal(splitOp(new TextOperation().retain(3).insert('hi'), 200), null);
});

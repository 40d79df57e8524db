// Runs every case of the OT test vectors shared with the Java server
// (src/test/resources/ot/vectors.json, generated from ot.js by generate-vectors.mjs).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TextOperation } from '../text-operation.js';

const url = new URL('../../src/test/resources/ot/vectors.json', import.meta.url);
const vectors = JSON.parse(readFileSync(url, 'utf8'));
const op = (/** @type {unknown} */ json) => TextOperation.fromJSON(json);
const label = (/** @type {string} */ kind, /** @type {number} */ i, /** @type {unknown} */ c) => `${kind}[${i}] ${JSON.stringify(c)}`;

test('shared vectors file has the expected sections', () => {
  for (const key of ['apply', 'compose', 'transform', 'invalid', 'server', 'client']) {
    assert.ok(Array.isArray(vectors[key]) && vectors[key].length > 0, `section ${key}`);
  }
});

test('apply', () => {
  vectors.apply.forEach((c, i) => {
    const o = op(c.op);
    o.check(c.doc);
    assert.equal(o.apply(c.doc), c.result, label('apply', i, c));
  });
});

test('canonical', () => {
  (vectors.canonical || []).forEach((c, i) => {
    assert.deepEqual(op(c.op).toJSON(), c.canonical, label('canonical', i, c));
  });
});

test('compose', () => {
  vectors.compose.forEach((c, i) => {
    const a = op(c.a), b = op(c.b);
    const composed = a.compose(b);
    assert.deepEqual(composed.toJSON(), c.result, label('compose', i, c));
    assert.equal(composed.apply(c.doc), b.apply(a.apply(c.doc)), label('compose/apply', i, c));
  });
});

test('transform', () => {
  vectors.transform.forEach((c, i) => {
    const a = op(c.a), b = op(c.b);
    const [aPrime, bPrime] = TextOperation.transform(a, b);
    assert.deepEqual(aPrime.toJSON(), c.aPrime, label('transform aPrime', i, c));
    assert.deepEqual(bPrime.toJSON(), c.bPrime, label('transform bPrime', i, c));
    if ('result' in c) {
      assert.equal(bPrime.apply(a.apply(c.doc)), c.result, label('transform result a;b\'', i, c));
      assert.equal(aPrime.apply(b.apply(c.doc)), c.result, label('transform result b;a\'', i, c));
    }
  });
});

test('invert', () => {
  (vectors.invert || []).forEach((c, i) => {
    const o = op(c.op);
    const inverse = o.invert(c.doc);
    assert.deepEqual(inverse.toJSON(), c.inverse, label('invert', i, c));
    assert.equal(inverse.apply(o.apply(c.doc)), c.doc, label('invert roundtrip', i, c));
  });
});

test('invalid: fails with the Coedit error code', () => {
  vectors.invalid.forEach((c, i) => {
    assert.throws(() => { const o = op(c.op); o.check(c.doc); o.apply(c.doc); },
      (/** @type {any} */ e) => e.code === c.code, label('invalid', i, c));
  });
});

test('server: the in-memory test server transforms as ot.js Server does (incoming op first)', async () => {
  const { SimServer } = await import('./sim-server.mjs');
  assert.ok(vectors.server.length > 0);
  vectors.server.forEach((c, i) => {
    const server = new SimServer({ content: c.doc });
    const conn = server.connect('vectors');
    c.submissions.forEach((/** @type {any} */ s, /** @type {number} */ k) => {
      server.handle(conn, { type: 'op', rev: s.rev, op: s.op, id: `v:${k}` });
    });
    assert.deepEqual(server.history.map((h) => h.op.toJSON()), c.applied, label('server applied', i, c));
    assert.equal(server.text, c.result, label('server result', i, c));
  });
});

test('client: a server op reaching pending edits is transformed as ot.js Client does (own op first)', async () => {
  const { OTClient } = await import('../ot-client.js');
  assert.ok(vectors.client.length > 0);
  vectors.client.forEach((c, i) => {
    /** @type {TextOperation[]} */ const applied = [];
    const client = new OTClient({ send: () => true, onApply: (o, info) => { if (!info.reset) applied.push(o); } });
    client.connectionOpened();
    client.handleMessage({ type: 'snapshot', docId: 'd', epoch: 'e', rev: 0, content: c.doc, clientId: 'v' });
    client.applyClient(op(c.outstanding));
    if (c.buffer) client.applyClient(op(c.buffer));
    client.handleMessage({ type: 'op', rev: 1, op: c.serverOp, id: 'other:1' });
    assert.deepEqual(applied.map((o) => o.toJSON()), [c.applied], label('client applied', i, c));
    assert.equal(client.text, c.result, label('client result', i, c));
    assert.deepEqual(client.outstanding?.op.toJSON(), c.outstandingPrime, label('client outstanding', i, c));
    assert.deepEqual(client.buffer ? client.buffer.toJSON() : null, c.bufferPrime, label('client buffer', i, c));
  });
});

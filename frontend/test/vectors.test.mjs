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
  for (const key of ['apply', 'compose', 'transform', 'invalid']) {
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

import test from 'node:test';
import assert from 'node:assert/strict';
import { TextOperation, transformIndex } from '../text-operation.js';
import { rng } from './sim-server.mjs';

const J = (/** @type {unknown} */ x) => TextOperation.fromJSON(x);

test('builders merge components and put inserts before deletes', () => {
  const o = new TextOperation().retain(1).retain(2).delete(1).insert('a').insert('b').delete('xy');
  assert.deepEqual(o.toJSON(), [3, 'ab', -3]);
  assert.equal(o.baseLength, 6);
  assert.equal(o.targetLength, 5);
  assert.ok(new TextOperation().retain(4).isNoop());
  assert.ok(!o.isNoop());
  assert.ok(o.equals(J([3, 'ab', -3])));
});

test('apply, including UTF-16 lengths', () => {
  assert.equal(J([1, 'X', -1, 1]).apply('abc'), 'aXc');
  assert.equal(J(['😀', 2]).apply('hi'), '😀hi');
  assert.equal(J([1, -2]).apply('a😀'), 'a');
  assert.throws(() => J([2]).apply('abc'), { code: 'BASE_LENGTH_MISMATCH' });
});

test('fromJSON validation codes', () => {
  assert.throws(() => J('x'), { code: 'WRONG_COMPONENT_TYPE' });
  assert.throws(() => J([1.5]), { code: 'WRONG_COMPONENT_TYPE' });
  assert.throws(() => J([null]), { code: 'WRONG_COMPONENT_TYPE' });
  assert.throws(() => J([0]), { code: 'ZERO_LENGTH_COMPONENT' });
  assert.throws(() => J(['']), { code: 'ZERO_LENGTH_COMPONENT' });
  assert.throws(() => J([2 ** 40]), { code: 'LENGTH_OUT_OF_RANGE' });
  assert.deepEqual(J([-1, 'a', -1, 'b']).toJSON(), ['ab', -2]);
});

test('check refuses to split surrogate pairs', () => {
  assert.throws(() => J([2, -1, 1]).check('a😀b'), { code: 'SPLITS_SURROGATE_PAIR' });
  assert.throws(() => J([1, '\ud83d', 1]).check('ab'), { code: 'SPLITS_SURROGATE_PAIR' });
  J([1, -2, 1]).check('a😀b');
});

test('compose', () => {
  const a = J([3, 'd']), b = J([-4, 'x']);
  assert.deepEqual(a.compose(b).toJSON(), ['x', -3]);
  assert.throws(() => a.compose(J([3])), { code: 'BASE_LENGTH_MISMATCH' });
});

test('transform: first argument wins ties', () => {
  const [a1, b1] = TextOperation.transform(J(['a']), J(['b']));
  assert.deepEqual(a1.toJSON(), ['a', 1]);
  assert.deepEqual(b1.toJSON(), [1, 'b']);
  const [d1, d2] = TextOperation.transform(J([-2, 1]), J([1, -2]));
  assert.deepEqual(d1.toJSON(), [-1]);
  assert.deepEqual(d2.toJSON(), [-1]);
});

test('invert', () => {
  const o = J([1, 'X', -1, 1]);
  assert.equal(o.invert('abc').apply(o.apply('abc')), 'abc');
});

test('transformIndex', () => {
  const o = J([2, 'xy', -1, 3]);
  assert.equal(transformIndex(1, o), 1);
  assert.equal(transformIndex(2, o), 4);
  assert.equal(transformIndex(2, o, false), 2);
  assert.equal(transformIndex(3, o), 4);
  assert.equal(transformIndex(6, o), 7);
});

/** @param {ReturnType<typeof rng>} r @param {string} doc */
function randomOp(r, doc) {
  const o = new TextOperation();
  let i = 0;
  while (i < doc.length) {
    const n = 1 + r.int(Math.min(5, doc.length - i));
    const roll = r.next();
    if (roll < 0.4) o.retain(n);
    else if (roll < 0.6) o.delete(n);
    else { o.insert(r.pick(['a', 'bc', 'é', '\n'])); continue; }
    i += n;
  }
  if (r.chance(0.3)) o.insert('z');
  return o;
}

test('randomized: compose and transform agree with apply', () => {
  const seed = 4242;
  const r = rng(seed);
  for (let t = 0; t < 2000; t++) {
    const doc = 'abcdefghij'.slice(0, r.int(11));
    const a = randomOp(r, doc), b = randomOp(r, doc);
    const afterA = a.apply(doc);
    const c = randomOp(r, afterA);
    assert.equal(a.compose(c).apply(doc), c.apply(afterA), `compose seed ${seed} #${t}`);
    const [a1, b1] = TextOperation.transform(a, b);
    assert.equal(b1.apply(afterA), a1.apply(b.apply(doc)), `transform seed ${seed} #${t}`);
    assert.equal(a.invert(doc).apply(afterA), doc);
    assert.deepEqual(TextOperation.fromJSON(JSON.parse(JSON.stringify(a))).toJSON(), a.toJSON());
  }
});

import test from 'node:test';
import assert from 'node:assert/strict';
import { diffToOp, diffTexts, applyToEditorState } from '../editor-diff.js';
import { TextOperation } from '../text-operation.js';

const sel = (/** @type {number} */ start, /** @type {number} */ end = start) => ({ start, end });
/** @param {string} a @param {string} b @param {any} [hints] */
function diff(a, b, hints) {
  const op = diffToOp(a, b, hints);
  assert.equal(op.apply(a), b, 'op turns old into new');
  op.check(a); // never splits a surrogate pair (the server would refuse it)
  return op.toJSON();
}

test('typing: the insert is placed before the caret, even in repeated text', () => {
  assert.deepEqual(diff('aa', 'aaa', { before: sel(1), after: sel(2) }), [1, 'a', 1]);
  assert.deepEqual(diff('', 'h', { before: sel(0), after: sel(1) }), ['h']);
  assert.deepEqual(diff('hello', 'hello!', { after: sel(6) }), [5, '!']);
});

test('deleting: backspace and delete key in repeated text', () => {
  assert.deepEqual(diff('aaa', 'aa', { before: sel(2), after: sel(1) }), [1, -1, 1]);
  assert.deepEqual(diff('aaa', 'aa', { before: sel(0), after: sel(0) }), [-1, 2]);
  assert.deepEqual(diff('abc', 'ac', { after: sel(1) }), [1, -1, 1]);
  assert.deepEqual(diff('one two', 'one ', { before: sel(4, 7), after: sel(4) }), [4, -3]);
});

test('paste over a selection replaces exactly the selection', () => {
  assert.deepEqual(diff('abab', 'abXab', { before: sel(2), after: sel(3) }), [2, 'X', 2]);
  assert.deepEqual(diff('the cat sat', 'the dog sat', { before: sel(4, 7), after: sel(7) }), [4, 'dog', -3, 4]);
  // replacement sharing letters with the selection is still a whole replace
  assert.deepEqual(diff('xaax', 'xax', { before: sel(1, 3), after: sel(2) }), [1, 'a', -2, 1]);
  assert.deepEqual(diff('hello', 'hello world', { before: sel(5), after: sel(11) }), [5, ' world']);
});

test('emoji are never split', () => {
  assert.deepEqual(diff('a', 'a😀', { after: sel(3) }), [1, '😀']);
  assert.deepEqual(diff('😀😀', '😀', { before: sel(4), after: sel(2) }), [2, -2]);
  assert.deepEqual(diff('😀', '😁'), ['😁', -2]);
  assert.deepEqual(diff('x😀y', 'x😁y', { after: sel(3) }), [1, '😁', -2, 1]);
  assert.deepEqual(diff('👍🏽', '👍🏿'), [2, '🏿', -2]);
});

test('no hints (undo/redo, IME, programmatic): still a correct op', () => {
  assert.deepEqual(diff('abc', 'abc'), [3]);
  assert.deepEqual(diff('hello world', 'hello big world'), [6, 'big ', 5]);
  assert.deepEqual(diff('abc', ''), [-3]);
  // IME composition: "ni" becomes "你" when the composition ends
  assert.deepEqual(diff('x ni', 'x 你', { after: sel(3) }), [2, '你', -2]);
});

test('wrong or stale hints never produce a wrong op', () => {
  diff('abcdef', 'abXYef', { before: sel(0, 1), after: sel(5) });
  diff('aaaa', 'aa', { before: sel(3), after: sel(0) });
  diff('abc', 'xbc', { before: sel(10), after: sel(99) });
});

test('diffTexts keeps separate changes separate', () => {
  const op = diffTexts('abcD', 'xabcDy');
  assert.deepEqual(op.toJSON(), ['x', 4, 'y']);
  assert.equal(diffTexts('kitten', 'sitting').apply('kitten'), 'sitting');
  const big = 'a'.repeat(50000);
  assert.equal(diffTexts(big, 'b' + big + 'c').apply(big), 'b' + big + 'c');
  diffTexts('😀a', '😁a').check('😀a');
});

test('applyToEditorState keeps caret and selection on the same text', () => {
  const remote = new TextOperation().retain(1).insert('XY').retain(4);
  assert.deepEqual(applyToEditorState(remote, { value: 'hello', start: 3, end: 3 }), { value: 'hXYello', start: 5, end: 5 });
  assert.deepEqual(applyToEditorState(remote, { value: 'hello', start: 1, end: 1 }), { value: 'hXYello', start: 1, end: 1 });
  assert.deepEqual(applyToEditorState(remote, { value: 'hello', start: 1, end: 4 }), { value: 'hXYello', start: 3, end: 6 });
  const del = new TextOperation().retain(1).delete(3).retain(1);
  assert.deepEqual(applyToEditorState(del, { value: 'hello', start: 2, end: 5 }), { value: 'ho', start: 1, end: 2 });
});

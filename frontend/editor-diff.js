// @ts-check
/**
 * Pure helpers between a textarea and TextOperations (no DOM access here):
 *  - diffToOp: old value + new value (+ selection hints) -> TextOperation
 *  - applyToEditorState: remote op + value/selection -> new value/selection
 */
import { TextOperation, transformIndex } from './text-operation.js';

/** @typedef {{start: number, end: number}} Range */

/** @param {string} s @param {number} i */
const isHigh = (s, i) => { const c = s.charCodeAt(i); return c >= 0xd800 && c <= 0xdbff; };
/** @param {string} s @param {number} i */
const isLow = (s, i) => { const c = s.charCodeAt(i); return c >= 0xdc00 && c <= 0xdfff; };

/**
 * Builds `retain(prefix) delete(removed) insert(inserted) retain(rest)`.
 * @param {string} oldValue @param {string} newValue @param {number} prefix @param {number} suffix
 */
function replaceOp(oldValue, newValue, prefix, suffix) {
  return new TextOperation()
    .retain(prefix)
    .delete(oldValue.length - prefix - suffix)
    .insert(newValue.slice(prefix, newValue.length - suffix))
    .retain(suffix);
}

/**
 * Does replacing old[start, start+removed) reproduce `newValue`?
 * @param {string} oldValue @param {string} newValue @param {number} start @param {number} removed
 */
function fitsReplace(oldValue, newValue, start, removed) {
  const suffix = oldValue.length - start - removed;
  const inserted = newValue.length - start - suffix;
  if (start < 0 || removed < 0 || suffix < 0 || inserted < 0) return false;
  return newValue.slice(0, start) === oldValue.slice(0, start)
    && oldValue.slice(oldValue.length - suffix) === newValue.slice(newValue.length - suffix);
}

/**
 * Turns a textarea change into an operation.
 *
 * Any common prefix/suffix split yields a correct operation; the selection only
 * chooses the one that matches what the user did, e.g. typing "a" in "a|a"
 * inserts at 1, not at 2. Tried in order:
 *  1. the text that was selected before the change was replaced (typing or pasting over a selection),
 *  2. a pure insertion ending at the caret, or a pure deletion at the caret (backspace / delete),
 *  3. the longest common prefix (not past the caret), then the longest common suffix.
 * Boundaries never split a UTF-16 surrogate pair (emoji).
 *
 * @param {string} oldValue
 * @param {string} newValue
 * @param {{before?: Range, after?: Range}} [hints] selection before and after the change
 * @returns {TextOperation}
 */
export function diffToOp(oldValue, newValue, hints = {}) {
  if (oldValue === newValue) return new TextOperation().retain(oldValue.length);
  const { before, after } = hints;
  const delta = newValue.length - oldValue.length;
  const caret = after ? after.end : undefined;

  if (before && before.start !== before.end && fitsReplace(oldValue, newValue, before.start, before.end - before.start)) {
    return safeSplit(oldValue, newValue, before.start, oldValue.length - before.end);
  }
  if (caret !== undefined && after && after.start === after.end) {
    if (delta > 0 && fitsReplace(oldValue, newValue, caret - delta, 0)) {
      return safeSplit(oldValue, newValue, caret - delta, oldValue.length - (caret - delta));
    }
    if (delta < 0 && fitsReplace(oldValue, newValue, caret, -delta)) {
      return safeSplit(oldValue, newValue, caret, oldValue.length - caret + delta);
    }
  }

  const minLen = Math.min(oldValue.length, newValue.length);
  const prefixMax = caret === undefined ? minLen : Math.min(minLen, caret);
  let prefix = 0;
  while (prefix < prefixMax && oldValue.charCodeAt(prefix) === newValue.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  const suffixMax = minLen - prefix;
  while (suffix < suffixMax && oldValue.charCodeAt(oldValue.length - 1 - suffix) === newValue.charCodeAt(newValue.length - 1 - suffix)) suffix++;
  return safeSplit(oldValue, newValue, prefix, suffix);
}

/**
 * Moves prefix/suffix boundaries off the middle of surrogate pairs.
 * @param {string} oldValue @param {string} newValue @param {number} prefix @param {number} suffix
 */
function safeSplit(oldValue, newValue, prefix, suffix) {
  while (prefix > 0 && (isLow(oldValue, prefix) || isLow(newValue, prefix)) && isHigh(newValue, prefix - 1)) prefix--;
  while (suffix > 0 && (isHigh(oldValue, oldValue.length - suffix - 1) || isHigh(newValue, newValue.length - suffix - 1))
    && isLow(newValue, newValue.length - suffix)) suffix--;
  return replaceOp(oldValue, newValue, prefix, suffix);
}

/**
 * A fine-grained operation turning `a` into `b` (Myers' diff over code points, so no
 * surrogate pair is ever split), used to rebase local edits on a newer snapshot:
 * separate changes stay separate, so local edits between them keep their place.
 * Falls back to one replace of the differing middle when that is large or very different.
 * @param {string} a @param {string} b
 * @param {{maxEdits?: number, maxMiddle?: number}} [limits]
 * @returns {TextOperation}
 */
export function diffTexts(a, b, limits = {}) {
  const coarse = diffToOp(a, b);
  const [head, tail] = [coarse.ops[0], coarse.ops[coarse.ops.length - 1]];
  const prefix = typeof head === 'number' && head > 0 ? head : 0;
  const suffix = coarse.ops.length > 1 && typeof tail === 'number' && tail > 0 ? tail : 0;
  const x = Array.from(a.slice(prefix, a.length - suffix));
  const y = Array.from(b.slice(prefix, b.length - suffix));
  const maxMiddle = limits.maxMiddle ?? 20000;
  if (x.length === 0 || y.length === 0 || x.length + y.length > maxMiddle) return coarse;
  const script = myers(x, y, limits.maxEdits ?? 400);
  if (!script) return coarse;
  const op = new TextOperation().retain(prefix);
  let i = 0, j = 0;
  for (const e of script) {
    if (e === 0) { op.retain(x[i++].length); j++; }
    else if (e < 0) op.delete(x[i++].length);
    else op.insert(y[j++]);
  }
  return op.retain(suffix);
}

/**
 * Shortest edit script (0 keep, -1 delete, 1 insert) or null beyond maxD edits.
 * @param {string[]} x @param {string[]} y @param {number} maxD
 * @returns {number[] | null}
 */
function myers(x, y, maxD) {
  const n = x.length, m = y.length, off = maxD + 1;
  let v = new Int32Array(2 * maxD + 3);
  /** @type {Int32Array[]} */
  const trace = [];
  for (let d = 0; d <= maxD; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let px = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
      let py = px - k;
      while (px < n && py < m && x[px] === y[py]) { px++; py++; }
      v[off + k] = px;
      if (px >= n && py >= m) return backtrack(trace, n, m, d, off);
    }
  }
  return null;
}

/** @param {Int32Array[]} trace @param {number} n @param {number} m @param {number} dEnd @param {number} off */
function backtrack(trace, n, m, dEnd, off) {
  const out = [];
  let px = n, py = m;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d];
    const k = px - py;
    const prevK = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? k + 1 : k - 1;
    const prevX = v[off + prevK], prevY = prevX - prevK;
    while (px > prevX && py > prevY) { out.push(0); px--; py--; }
    out.push(px === prevX ? 1 : -1);
    px = prevX; py = prevY;
  }
  while (px > 0 && py > 0) { out.push(0); px--; py--; }
  return out.reverse();
}

/**
 * Applies an operation that did not come from this editor (remote edit, resync)
 * to the editor's value while keeping the local caret/selection on the same text.
 * An insert exactly at a collapsed caret lands after the caret (it is not pushed);
 * a selection never grows to include text inserted at its edges.
 *
 * @param {TextOperation} op
 * @param {{value: string, start: number, end: number}} state
 * @returns {{value: string, start: number, end: number}}
 */
export function applyToEditorState(op, state) {
  const value = op.apply(state.value);
  if (state.start === state.end) {
    const pos = transformIndex(state.start, op, false);
    return { value, start: pos, end: pos };
  }
  const start = transformIndex(state.start, op, true);
  const end = Math.max(start, transformIndex(state.end, op, false));
  return { value, start, end };
}

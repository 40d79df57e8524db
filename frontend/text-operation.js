// @ts-check
/**
 * Plain-text operations with the semantics of ot.js (lib/text-operation.js).
 *
 * JSON form: an array whose items are
 *   - a positive integer n: retain n characters,
 *   - a non-empty string s: insert s,
 *   - a negative integer -n: delete n characters.
 * Lengths are counted in UTF-16 code units (JavaScript string length).
 * Canonical form (same as ot.js): adjacent components of the same kind are
 * merged and, at the same position, an insert always comes before a delete.
 */

/** @typedef {number | string} Component */

/**
 * Error thrown for malformed operations or operations that do not fit a document.
 * `code` is one of the server's reasons (shared test vectors): WRONG_COMPONENT_TYPE,
 * ZERO_LENGTH_COMPONENT, LENGTH_OUT_OF_RANGE, BASE_LENGTH_MISMATCH, SPLITS_SURROGATE_PAIR.
 */
export class TextOperationError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.name = 'TextOperationError';
    this.code = code;
  }
}

const MAX_LENGTH = 2147483647; // lengths must fit the server's 32-bit int

/** @param {string} s @param {number} i */
const isHighAt = (s, i) => { const c = s.charCodeAt(i); return c >= 0xd800 && c <= 0xdbff; };
/** @param {string} s @param {number} i */
const isLowAt = (s, i) => { const c = s.charCodeAt(i); return c >= 0xdc00 && c <= 0xdfff; };

/** @param {unknown} c @returns {c is number} */
export const isRetain = (c) => typeof c === 'number' && c > 0;
/** @param {unknown} c @returns {c is string} */
export const isInsert = (c) => typeof c === 'string';
/** @param {unknown} c @returns {c is number} */
export const isDelete = (c) => typeof c === 'number' && c < 0;

export class TextOperation {
  constructor() {
    /** @type {Component[]} */
    this.ops = [];
    /** Length of every document this operation can be applied to. */
    this.baseLength = 0;
    /** Length of the document after applying this operation. */
    this.targetLength = 0;
  }

  /** @param {number} n @returns {this} */
  retain(n) {
    if (!Number.isSafeInteger(n) || n < 0) throw new TextOperationError('WRONG_COMPONENT_TYPE', 'retain expects a non-negative integer');
    if (n === 0) return this;
    this.baseLength += n;
    this.targetLength += n;
    const ops = this.ops;
    if (isRetain(ops[ops.length - 1])) ops[ops.length - 1] = /** @type {number} */ (ops[ops.length - 1]) + n;
    else ops.push(n);
    return this;
  }

  /** @param {string} str @returns {this} */
  insert(str) {
    if (typeof str !== 'string') throw new TextOperationError('WRONG_COMPONENT_TYPE', 'insert expects a string');
    if (str === '') return this;
    this.targetLength += str.length;
    const ops = this.ops;
    const last = ops[ops.length - 1];
    if (isInsert(last)) {
      ops[ops.length - 1] = last + str;
    } else if (isDelete(last)) {
      // Canonical form: insert before delete at the same position.
      const prev = ops[ops.length - 2];
      if (isInsert(prev)) ops[ops.length - 2] = prev + str;
      else { ops[ops.length - 1] = str; ops.push(last); }
    } else {
      ops.push(str);
    }
    return this;
  }

  /** @param {number | string} n count (sign ignored) or the deleted string @returns {this} */
  delete(n) {
    if (typeof n === 'string') n = n.length;
    if (!Number.isSafeInteger(n)) throw new TextOperationError('WRONG_COMPONENT_TYPE', 'delete expects an integer or a string');
    if (n === 0) return this;
    if (n > 0) n = -n;
    this.baseLength -= n;
    const ops = this.ops;
    if (isDelete(ops[ops.length - 1])) ops[ops.length - 1] = /** @type {number} */ (ops[ops.length - 1]) + n;
    else ops.push(n);
    return this;
  }

  /** True when applying this operation changes nothing. */
  isNoop() {
    return this.ops.length === 0 || (this.ops.length === 1 && isRetain(this.ops[0]));
  }

  /** @param {TextOperation} other */
  equals(other) {
    if (this.baseLength !== other.baseLength || this.targetLength !== other.targetLength) return false;
    if (this.ops.length !== other.ops.length) return false;
    return this.ops.every((c, i) => c === other.ops[i]);
  }

  /** @returns {Component[]} */
  toJSON() {
    return this.ops.slice();
  }

  toString() {
    return this.ops.map((c) => (isRetain(c) ? `retain ${c}` : isInsert(c) ? `insert ${JSON.stringify(c)}` : `delete ${-c}`)).join(', ');
  }

  /**
   * Builds (and canonicalises) an operation from its JSON form, validating every item.
   * @param {unknown} json
   * @returns {TextOperation}
   */
  static fromJSON(json) {
    if (!Array.isArray(json)) throw new TextOperationError('WRONG_COMPONENT_TYPE', 'an operation is a JSON array');
    const o = new TextOperation();
    json.forEach((c, i) => {
      if (typeof c === 'string') {
        if (c === '') throw new TextOperationError('ZERO_LENGTH_COMPONENT', `component ${i} is an empty insert`);
        o.insert(c);
      } else if (typeof c === 'number' && Number.isInteger(c)) {
        if (c === 0) throw new TextOperationError('ZERO_LENGTH_COMPONENT', `component ${i} is 0`);
        if (Math.abs(c) > MAX_LENGTH) throw new TextOperationError('LENGTH_OUT_OF_RANGE', `component ${i} is too long`);
        if (c > 0) o.retain(c); else o.delete(c);
      } else {
        throw new TextOperationError('WRONG_COMPONENT_TYPE', `component ${i} is neither a non-zero integer nor a string`);
      }
    });
    if (o.baseLength > MAX_LENGTH || o.targetLength > MAX_LENGTH) throw new TextOperationError('LENGTH_OUT_OF_RANGE', 'operation too long');
    return o;
  }

  /**
   * Checks that the operation can be applied to `str` as the server checks it: base
   * length, then no component boundary or insert end inside a UTF-16 surrogate pair.
   * @param {string} str
   */
  check(str) {
    if (str.length !== this.baseLength) {
      throw new TextOperationError('BASE_LENGTH_MISMATCH', `operation base length ${this.baseLength} differs from the document length ${str.length}`);
    }
    let pos = 0;
    this.ops.forEach((c, i) => {
      if (pos > 0 && pos < str.length && isHighAt(str, pos - 1) && isLowAt(str, pos)) {
        throw new TextOperationError('SPLITS_SURROGATE_PAIR', `component ${i} starts inside a surrogate pair`);
      }
      if (isInsert(c)) {
        if (isLowAt(c, 0) || isHighAt(c, c.length - 1)) throw new TextOperationError('SPLITS_SURROGATE_PAIR', `component ${i} inserts half a surrogate pair`);
      } else {
        pos += Math.abs(c);
      }
    });
  }

  /**
   * Applies the operation to a document.
   * @param {string} str
   * @returns {string}
   */
  apply(str) {
    if (str.length !== this.baseLength) {
      throw new TextOperationError('BASE_LENGTH_MISMATCH', `operation base length ${this.baseLength} does not match document length ${str.length}`);
    }
    const out = [];
    let index = 0;
    for (const c of this.ops) {
      if (isRetain(c)) { out.push(str.slice(index, index + c)); index += c; }
      else if (isInsert(c)) out.push(c);
      else index -= c;
    }
    return out.join('');
  }

  /**
   * The operation that undoes this one when applied to its result.
   * @param {string} str the document this operation was applied to
   */
  invert(str) {
    const inverse = new TextOperation();
    let index = 0;
    for (const c of this.ops) {
      if (isRetain(c)) { inverse.retain(c); index += c; }
      else if (isInsert(c)) inverse.delete(c.length);
      else { inverse.insert(str.slice(index, index - c)); index -= c; }
    }
    return inverse;
  }

  /**
   * apply(apply(S, this), other) === apply(S, this.compose(other)).
   * @param {TextOperation} other
   */
  compose(other) {
    if (this.targetLength !== other.baseLength) {
      throw new TextOperationError('BASE_LENGTH_MISMATCH', 'the base length of the second operation must be the target length of the first');
    }
    const result = new TextOperation();
    const ops1 = this.ops, ops2 = other.ops;
    let i1 = 0, i2 = 0;
    let a = ops1[i1++], b = ops2[i2++];
    for (;;) {
      if (a === undefined && b === undefined) break;
      if (isDelete(a)) { result.delete(a); a = ops1[i1++]; continue; }
      if (isInsert(b)) { result.insert(b); b = ops2[i2++]; continue; }
      if (a === undefined || b === undefined) throw new TextOperationError('BASE_LENGTH_MISMATCH', 'cannot compose: operations have different lengths');
      if (isRetain(a) && isRetain(b)) {
        const n = Math.min(a, b);
        result.retain(n);
        a = a > n ? a - n : ops1[i1++];
        b = b > n ? b - n : ops2[i2++];
      } else if (isInsert(a) && isDelete(b)) {
        const n = Math.min(a.length, -b);
        a = a.length > n ? a.slice(n) : ops1[i1++];
        b = -b > n ? b + n : ops2[i2++];
      } else if (isInsert(a) && isRetain(b)) {
        const n = Math.min(a.length, b);
        result.insert(a.slice(0, n));
        a = a.length > n ? a.slice(n) : ops1[i1++];
        b = b > n ? b - n : ops2[i2++];
      } else if (isRetain(a) && isDelete(b)) {
        const n = Math.min(a, -b);
        result.delete(n);
        a = a > n ? a - n : ops1[i1++];
        b = -b > n ? b + n : ops2[i2++];
      } else {
        throw new TextOperationError('BASE_LENGTH_MISMATCH', `cannot compose ${JSON.stringify(a)} with ${JSON.stringify(b)}`);
      }
    }
    return result;
  }

  /**
   * Transforms two concurrent operations a and b (same base) into [a', b'] with
   * apply(apply(S, a), b') === apply(apply(S, b), a'). When both insert at the
   * same position, a's insert goes first.
   * @param {TextOperation} op1
   * @param {TextOperation} op2
   * @returns {[TextOperation, TextOperation]}
   */
  static transform(op1, op2) {
    if (op1.baseLength !== op2.baseLength) {
      throw new TextOperationError('BASE_LENGTH_MISMATCH', 'both operations must have the same base length');
    }
    const p1 = new TextOperation(), p2 = new TextOperation();
    const ops1 = op1.ops, ops2 = op2.ops;
    let i1 = 0, i2 = 0;
    let a = ops1[i1++], b = ops2[i2++];
    for (;;) {
      if (a === undefined && b === undefined) break;
      if (isInsert(a)) { p1.insert(a); p2.retain(a.length); a = ops1[i1++]; continue; }
      if (isInsert(b)) { p1.retain(b.length); p2.insert(b); b = ops2[i2++]; continue; }
      if (a === undefined || b === undefined) throw new TextOperationError('BASE_LENGTH_MISMATCH', 'cannot transform: operations have different lengths');
      if (isRetain(a) && isRetain(b)) {
        const n = Math.min(a, b);
        p1.retain(n); p2.retain(n);
        a = a > n ? a - n : ops1[i1++];
        b = b > n ? b - n : ops2[i2++];
      } else if (isDelete(a) && isDelete(b)) {
        const n = Math.min(-a, -b);
        a = -a > n ? a + n : ops1[i1++];
        b = -b > n ? b + n : ops2[i2++];
      } else if (isDelete(a) && isRetain(b)) {
        const n = Math.min(-a, b);
        p1.delete(n);
        a = -a > n ? a + n : ops1[i1++];
        b = b > n ? b - n : ops2[i2++];
      } else if (isRetain(a) && isDelete(b)) {
        const n = Math.min(a, -b);
        p2.delete(n);
        a = a > n ? a - n : ops1[i1++];
        b = -b > n ? b + n : ops2[i2++];
      } else {
        throw new TextOperationError('BASE_LENGTH_MISMATCH', `cannot transform ${JSON.stringify(a)} with ${JSON.stringify(b)}`);
      }
    }
    return [p1, p2];
  }
}

/**
 * Moves a position in the document through an operation (ot.js Selection semantics).
 * @param {number} index position before `op`
 * @param {TextOperation} op
 * @param {boolean} [pushOnTie=true] whether an insert exactly at `index` moves it forward
 * @returns {number} position after `op`
 */
export function transformIndex(index, op, pushOnTie = true) {
  let remaining = index;
  let result = index;
  for (const c of op.ops) {
    if (remaining < 0 || (remaining === 0 && !(pushOnTie && isInsert(c)))) break;
    if (isRetain(c)) remaining -= c;
    else if (isInsert(c)) result += c.length;
    else { result -= Math.min(remaining, -c); remaining += c; }
  }
  return result;
}

// @ts-check
/**
 * Keeps outgoing operations under the server's `limits.maxMessageBytes` by
 * splitting one large operation (e.g. a huge paste) into two that compose to it.
 */
import { TextOperation, isInsert, isRetain } from './text-operation.js';

const encoder = new TextEncoder();

/** UTF-8 size of a value's JSON text. @param {unknown} value */
export function jsonBytes(value) {
  return encoder.encode(JSON.stringify(value)).length;
}

/** Upper bound of the JSON/UTF-8 bytes of one UTF-16 code unit. @param {number} code */
function unitCost(code) {
  if (code < 0x20) return 6;
  if (code === 0x22 || code === 0x5c) return 2;
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code >= 0xd800 && code <= 0xdfff) return 6; // paired: 4 bytes for two units; lone: \uXXXX
  return 3;
}

/**
 * Splits `op` into [a, b] with a.compose(b) equal in effect to op, where a's JSON
 * fits in `budget` bytes, or returns null when op already fits. Never splits a
 * surrogate pair. Always makes progress (a is never a no-op) when budget >= 64.
 * @param {TextOperation} op
 * @param {number} budget
 * @returns {[TextOperation, TextOperation] | null}
 */
export function splitOp(op, budget) {
  if (jsonBytes(op.ops) <= budget) return null;
  const a = new TextOperation();
  let used = 2;
  let i = 0;
  /** @type {string | undefined} */
  let rest;
  for (; i < op.ops.length; i++) {
    const c = op.ops[i];
    if (!isInsert(c)) {
      if (used + 18 > budget) break;
      used += 18;
      if (isRetain(c)) a.retain(c); else a.delete(c);
      continue;
    }
    let n = 0;
    let cost = used + 3;
    while (n < c.length && cost + unitCost(c.charCodeAt(n)) <= budget) cost += unitCost(c.charCodeAt(n++));
    if (n > 0 && n < c.length && c.charCodeAt(n - 1) >= 0xd800 && c.charCodeAt(n - 1) <= 0xdbff) n--;
    if (n === c.length) { a.insert(c); used = cost; continue; }
    a.insert(c.slice(0, n));
    rest = c.slice(n);
    break;
  }
  const consumed = a.baseLength;
  const b = new TextOperation().retain(a.targetLength);
  a.retain(op.baseLength - consumed);
  if (rest !== undefined) { b.insert(rest); i++; }
  for (; i < op.ops.length; i++) {
    const c = op.ops[i];
    if (isRetain(c)) b.retain(c); else if (isInsert(c)) b.insert(c); else b.delete(c);
  }
  return [a, b];
}

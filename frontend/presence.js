// @ts-check
/**
 * Who is in the document, with colours and cursors kept in place as the text changes.
 * Pure data (no DOM).
 */
import { transformIndex } from './text-operation.js';

/** @typedef {{id: string, name: string}} User */
/** @typedef {{clientId: string, user: User, color: string, pos: number | null, sel: [number, number] | null}} Member */

/** 32-bit FNV-1a hash. @param {string} s */
export function hash(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** WCAG contrast of an HSL colour against white. @param {number} h @param {number} sPct @param {number} lPct */
export function contrastWithWhite(h, sPct, lPct) {
  const sat = sPct / 100, l = lPct / 100;
  const k = (/** @type {number} */ n) => (n + h / 30) % 12;
  const a = sat * Math.min(l, 1 - l);
  const channel = (/** @type {number} */ n) => {
    const c = l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const lum = 0.2126 * channel(0) + 0.7152 * channel(8) + 0.0722 * channel(4);
  return 1.05 / (lum + 0.05);
}

/**
 * A stable colour for a user or client id: the hue comes from the id, the lightness is
 * lowered until white text on it (caret labels) has a contrast of at least 4.5:1, which
 * also keeps carets and swatches visible on a white page.
 * @param {string} key
 */
export function colorFor(key) {
  const hue = hash(key) % 360;
  let lightness = 48;
  while (lightness > 20 && contrastWithWhite(hue, 70, lightness) < 4.5) lightness -= 2;
  return `hsl(${hue} 70% ${lightness}%)`;
}

/** @param {unknown} v @returns {number | null} */
const asPos = (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);

/** @param {unknown} v @returns {[number, number] | null} */
function asSel(v) {
  if (!Array.isArray(v) || v.length !== 2) return null;
  const a = asPos(v[0]), b = asPos(v[1]);
  return a === null || b === null ? null : [Math.min(a, b), Math.max(a, b)];
}

/**
 * Moves a caret and selection through a change exactly as the editor moves its own (applyToEditorState in
 * editor-diff.js): text inserted at a collapsed caret lands after it, and a selection does not grow at its edges.
 * A remote caret drawn here then stays where that person's editor really has it.
 * @param {number | null} pos
 * @param {[number, number] | null} sel
 * @param {(index: number, pushOnTie: boolean) => number} move
 * @returns {{pos: number | null, sel: [number, number] | null}}
 */
export function moveCaret(pos, sel, move) {
  if (sel && sel[0] !== sel[1]) {
    const start = move(sel[0], true);
    const end = Math.max(start, move(sel[1], false));
    const p = pos === null ? null : pos === sel[0] ? start : pos === sel[1] ? end : move(pos, false);
    return { pos: p, sel: [start, end] };
  }
  return { pos: pos === null ? null : move(pos, false), sel: sel ? [move(sel[0], false), move(sel[1], false)] : null };
}

/** @param {any} u @returns {User} */
const asUser = (u) => ({ id: String(u?.id ?? ''), name: String(u?.name ?? 'Anonymous') });

export class Presence {
  /** @type {Map<string, Member>} */
  #members = new Map();
  /** Our own connection's client id (not drawn as a remote cursor). */
  #selfClientId = '';

  /** @param {string} clientId this connection's own id */
  setSelf(clientId) {
    this.#selfClientId = clientId;
  }

  /** Forgets everyone (the connection closed: the next one brings a fresh list). */
  clear() {
    this.#members.clear();
  }

  /**
   * Replaces the member list (server `presence` message).
   * @param {any[]} list
   * @param {(pos: number, pushOnTie: boolean) => number} [toLocal] maps server positions into the local text
   */
  setMembers(list, toLocal = (p) => p) {
    this.#members.clear();
    for (const m of Array.isArray(list) ? list : []) {
      if (!m || typeof m.clientId !== 'string') continue;
      this.join(m);
      this.cursor(m, toLocal);
    }
  }

  /** @param {any} msg {clientId, user} */
  join(msg) {
    const user = asUser(msg.user);
    const old = this.#members.get(msg.clientId);
    this.#members.set(msg.clientId, {
      clientId: msg.clientId, user, color: colorFor(user.id || msg.clientId),
      pos: old ? old.pos : null, sel: old ? old.sel : null,
    });
  }

  /** @param {any} msg {clientId} */
  leave(msg) {
    this.#members.delete(msg.clientId);
  }

  /**
   * A cursor update (positions in the server's text, mapped with `toLocal`).
   * @param {any} msg {clientId, user?, pos, sel?}
   * @param {(pos: number, pushOnTie: boolean) => number} [toLocal]
   */
  cursor(msg, toLocal = (p) => p) {
    if (!this.#members.has(msg.clientId)) this.join(msg);
    const m = /** @type {Member} */ (this.#members.get(msg.clientId));
    Object.assign(m, moveCaret(asPos(msg.pos), asSel(msg.sel), toLocal));
  }

  /**
   * Keeps every remote cursor on the same text when `op` is applied locally.
   * @param {import('./text-operation.js').TextOperation} op
   */
  transform(op) {
    for (const m of this.#members.values()) {
      Object.assign(m, moveCaret(m.pos, m.sel, (index, pushOnTie) => transformIndex(index, op, pushOnTie)));
    }
  }

  /** Remote members with a cursor, clamped to the text length. @param {number} length */
  cursors(length) {
    const out = [];
    for (const m of this.#members.values()) {
      if (m.clientId === this.#selfClientId || m.pos === null) continue;
      const clamp = (/** @type {number} */ p) => Math.max(0, Math.min(length, p));
      out.push({ ...m, pos: clamp(m.pos), sel: m.sel ? /** @type {[number, number]} */ ([clamp(m.sel[0]), clamp(m.sel[1])]) : null });
    }
    return out;
  }

  /** @returns {Member[]} */
  list() {
    return [...this.#members.values()];
  }
}

// @ts-check
/**
 * Undo and redo of one's own edits in a shared document (the ot.js UndoManager model, with CodeMirror's grouping).
 * Each step holds the inverse of one's own edits; every operation applied after it, remote or local, transforms
 * it, so undoing removes exactly one's own step and leaves other people's text in place. An undo goes to the
 * server as an ordinary operation. Pure data: no DOM, no clock of its own.
 */
import { TextOperation, isInsert, isDelete, isRetain, transformIndex } from './text-operation.js';

/** Most steps kept per open document; the oldest go first. */
export const MAX_STEPS = 500;
/** A pause longer than this (ms) starts a new step (CodeMirror's default). */
export const GROUP_MS = 500;

/**
 * @typedef {Object} Step
 * @property {TextOperation} op the inverse: applied to the current text, it undoes (or redoes) the step
 * @property {'insert' | 'delete'} kind what the step's edits did (typing over a selection counts as inserting)
 * @property {number} caret where the caret stood after the step's last edit, in the current text
 * @property {number} time when its last edit was made
 * @property {boolean} open whether the next edit may join it
 */

/**
 * Where an operation's changes sit: the first changed index of the old text, the last of the old text, and the
 * caret after it in the new text (after its last insert, or at its last delete).
 * @param {TextOperation} op
 * @returns {{start: number, endOld: number, caret: number} | null} null for an operation that changes nothing
 */
export function extent(op) {
  let oldIndex = 0;
  let newIndex = 0;
  /** @type {number | null} */
  let start = null;
  let endOld = 0;
  let caret = 0;
  for (const c of op.ops) {
    if (isRetain(c)) {
      oldIndex += /** @type {number} */ (c);
      newIndex += /** @type {number} */ (c);
    } else if (isInsert(c)) {
      if (start === null) start = oldIndex;
      newIndex += /** @type {string} */ (c).length;
      endOld = oldIndex;
      caret = newIndex;
    } else if (isDelete(c)) {
      if (start === null) start = oldIndex;
      oldIndex -= /** @type {number} */ (c);
      endOld = oldIndex;
      caret = newIndex;
    }
  }
  return start === null ? null : { start, endOld, caret };
}

/** @param {TextOperation} op @returns {'insert' | 'delete'} */
const kindOf = (op) => (op.ops.some(isInsert) ? 'insert' : 'delete');

export class UndoManager {
  #maxSteps;
  #groupMs;
  /** @type {Step[]} */
  #undoStack = [];
  /** @type {Step[]} */
  #redoStack = [];

  /** @param {{maxSteps?: number, groupMs?: number}} [opts] */
  constructor(opts = {}) {
    this.#maxSteps = opts.maxSteps ?? MAX_STEPS;
    this.#groupMs = opts.groupMs ?? GROUP_MS;
  }

  canUndo() { return this.#undoStack.length > 0; }

  canRedo() { return this.#redoStack.length > 0; }

  /**
   * One's own edit, just applied to `before`. It joins the last step when it continues it: within the pause,
   * at the caret the last edit left, of the same kind, and neither is a paste or a cut. Clears the redo stack.
   * @param {TextOperation} op
   * @param {string} before the text the edit applies to
   * @param {number} now ms
   * @param {{boundary?: boolean}} [meta] boundary: a paste, cut or drop, always a step of its own
   */
  record(op, before, now, meta = {}) {
    const where = extent(op);
    if (!where) return;
    const inverse = op.invert(before);
    const kind = kindOf(op);
    const top = this.#undoStack[this.#undoStack.length - 1];
    const continues = top && top.open && !meta.boundary && kind === top.kind && now - top.time <= this.#groupMs
      && (kind === 'insert' ? where.start === top.caret : where.endOld === top.caret || where.start === top.caret);
    if (continues) {
      top.op = inverse.compose(top.op);
      top.caret = where.caret;
      top.time = now;
    } else {
      this.#undoStack.push({ op: inverse, kind, caret: where.caret, time: now, open: !meta.boundary });
      if (this.#undoStack.length > this.#maxSteps) this.#undoStack.shift();
    }
    this.#redoStack = [];
  }

  /**
   * An operation that was applied to the text and is not one's own edit (someone else's, or a recovery's):
   * every step is moved through it, the most recent first (each deeper step applies to the text with the steps
   * above it undone).
   * @param {TextOperation} op
   */
  transform(op) {
    this.#undoStack = transformStack(this.#undoStack, op);
    this.#redoStack = transformStack(this.#redoStack, op);
  }

  /** Closes the last step: the next edit starts a new one (the caret was moved away, say). */
  breakStep() {
    const top = this.#undoStack[this.#undoStack.length - 1];
    if (top) top.open = false;
  }

  /**
   * Takes the most recent step off the undo stack and returns what applies it to `text`, with the caret after it,
   * or null when there is nothing to undo. A step whose text others already deleted returns an operation that
   * changes nothing.
   * @param {string} text the current text
   * @returns {{op: TextOperation, caret: number} | null}
   */
  undo(text) {
    return this.move(this.#undoStack, this.#redoStack, text);
  }

  /** @param {string} text @returns {{op: TextOperation, caret: number} | null} */
  redo(text) {
    return this.move(this.#redoStack, this.#undoStack, text);
  }

  clear() {
    this.#undoStack = [];
    this.#redoStack = [];
  }

  /** @param {Step[]} from @param {Step[]} to @param {string} text */
  move(from, to, text) {
    const step = from.pop();
    if (!step) return null;
    const op = step.op;
    const where = extent(op);
    // a step that now changes nothing still moves across, so undo and redo stay paired step for step
    to.push({ op: op.invert(text), kind: step.kind === 'insert' ? 'delete' : 'insert', caret: where ? where.caret : -1,
      time: -Infinity, open: false });
    if (to.length > this.#maxSteps) to.shift();
    const top = this.#undoStack[this.#undoStack.length - 1];
    if (top) top.open = false;
    return { op, caret: where ? where.caret : -1 };
  }
}

/**
 * @param {Step[]} stack
 * @param {TextOperation} op applies to the current text
 * @returns {Step[]}
 */
function transformStack(stack, op) {
  const result = new Array(stack.length);
  let through = op;
  for (let i = stack.length - 1; i >= 0; i--) {
    const step = stack[i];
    // the step's own changes go first on a tie, as ot.js does for the operation it transforms
    const [stepOp, rest] = TextOperation.transform(step.op, through);
    // the caret stays in front of text inserted at it, as the editor keeps one's own caret
    result[i] = { ...step, op: stepOp, caret: transformIndex(step.caret, through, false) };
    through = rest;
  }
  return result;
}

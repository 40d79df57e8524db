// @ts-check
/**
 * The textarea and the mirror behind it that draws other people's carets and
 * selections. DOM code only; the diffing and caret maths live in editor-diff.js.
 * All document text and names go into text nodes / dataset, never into HTML.
 */
import { diffToOp, applyToEditorState } from './editor-diff.js';

/** @typedef {{clientId: string, color: string, pos: number, sel: [number, number] | null, user: {name: string}}} RemoteCursor */

/** Inputs that are an undo step of their own, whatever came before or comes after. */
const BOUNDARY_INPUTS = new Set(['insertFromPaste', 'insertFromPasteAsQuotation', 'insertFromDrop', 'deleteByCut',
  'deleteByDrag', 'insertFromYank', 'insertReplacementText']);

/** @param {string} color an hsl() colour @param {number} alpha */
const withAlpha = (color, alpha) => color.replace(/\)$/, ` / ${alpha})`);

export class EditorView {
  /**
   * @param {HTMLTextAreaElement} textarea
   * @param {HTMLElement} mirror
   * @param {{onEdit: (op: import('./text-operation.js').TextOperation, meta: {boundary: boolean}) => void,
   *   onSelection: (start: number, end: number) => void, onCompose: (composing: boolean) => void}} hooks
   */
  constructor(textarea, mirror, hooks) {
    this.ta = textarea;
    this.mirror = mirror;
    this.hooks = hooks;
    this.value = textarea.value;
    this.composing = false;
    /** @type {{start: number, end: number} | null} */
    this.selBefore = null;
    this.lastSel = { start: 0, end: 0 };
    /** @type {() => RemoteCursor[]} */
    this.cursors = () => [];
    this.frame = 0;
    const ta = textarea;
    /** The kind of the input being flushed (a paste or a cut is an undo step of its own). */
    this.inputType = '';
    ta.addEventListener('beforeinput', (e) => {
      this.selBefore = { start: ta.selectionStart, end: ta.selectionEnd };
      this.inputType = e.inputType || '';
    });
    ta.addEventListener('input', () => { if (!this.composing) this.flush(); });
    ta.addEventListener('compositionstart', () => { this.composing = true; this.hooks.onCompose(true); });
    ta.addEventListener('compositionend', () => {
      this.composing = false;
      this.flush();
      this.hooks.onCompose(false);
    });
    ta.addEventListener('scroll', () => { this.mirror.scrollTop = ta.scrollTop; this.mirror.scrollLeft = ta.scrollLeft; });
    const selChanged = () => this.selectionChanged();
    for (const ev of ['select', 'keyup', 'mouseup', 'focus', 'touchend']) ta.addEventListener(ev, selChanged);
    document.addEventListener('selectionchange', () => { if (document.activeElement === ta) selChanged(); });
    if (typeof ResizeObserver === 'function') new ResizeObserver(() => this.render()).observe(ta);
  }

  selectionChanged() {
    const { selectionStart: start, selectionEnd: end } = this.ta;
    if (start === this.lastSel.start && end === this.lastSel.end) return;
    this.lastSel = { start, end };
    if (!this.composing) this.hooks.onSelection(start, end);
  }

  /** Turns whatever changed in the textarea since last time into one operation. */
  flush() {
    const next = this.ta.value;
    if (next === this.value) return;
    const op = diffToOp(this.value, next, {
      before: this.selBefore || this.lastSel,
      after: { start: this.ta.selectionStart, end: this.ta.selectionEnd },
    });
    this.value = next;
    this.selBefore = null;
    const boundary = BOUNDARY_INPUTS.has(this.inputType);
    this.inputType = '';
    this.hooks.onEdit(op, { boundary });
    this.selectionChanged();
    this.render();
  }

  /**
   * Applies an operation from elsewhere, keeping the caret, selection and scroll.
   * @param {import('./text-operation.js').TextOperation} op
   */
  apply(op) {
    const ta = this.ta;
    const focused = document.activeElement === ta;
    const direction = ta.selectionDirection;
    const { selectionStart: before, selectionEnd: beforeEnd } = ta;
    const state = applyToEditorState(op, { value: this.value, start: before, end: beforeEnd });
    const { scrollTop, scrollLeft } = ta;
    ta.value = state.value;
    this.value = state.value;
    if (focused) ta.setSelectionRange(state.start, state.end, direction);
    else { ta.selectionStart = state.start; ta.selectionEnd = state.end; }
    ta.scrollTop = scrollTop;
    ta.scrollLeft = scrollLeft;
    this.lastSel = { start: state.start, end: state.end };
    // The others draw our caret at the positions we last sent. A cursor sent before this edit reached us can
    // reach them after it: announce the moved caret, or they keep drawing it at the old offset.
    if ((state.start !== before || state.end !== beforeEnd) && !this.composing) this.hooks.onSelection(state.start, state.end);
    this.render();
  }

  /**
   * Applies one's own undo or redo and puts the caret where its text was (-1: leave it), keeping the scroll.
   * @param {import('./text-operation.js').TextOperation} op @param {number} caret
   */
  applyOwn(op, caret) {
    const ta = this.ta;
    const { scrollTop, scrollLeft } = ta;
    const keep = { start: ta.selectionStart, end: ta.selectionEnd };
    const state = applyToEditorState(op, { value: this.value, start: keep.start, end: keep.end });
    ta.value = state.value;
    this.value = state.value;
    const at = caret >= 0 ? Math.min(caret, state.value.length) : -1;
    if (at >= 0) ta.setSelectionRange(at, at);
    else ta.setSelectionRange(state.start, state.end);
    ta.scrollTop = scrollTop;
    ta.scrollLeft = scrollLeft;
    this.selectionChanged();
    this.render();
  }

  /** Replaces the whole text (switching documents). @param {string} text */
  reset(text) {
    this.ta.value = text;
    this.value = text;
    this.ta.setSelectionRange(0, 0);
    this.lastSel = { start: 0, end: 0 };
    this.render();
  }

  /** @param {boolean} editable */
  setEditable(editable) {
    this.ta.readOnly = !editable;
  }

  /** Redraws remote carets and selections on the next animation frame. */
  render() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  draw() {
    const text = this.value;
    const cursors = this.cursors();
    if (cursors.length === 0) { this.mirror.replaceChildren(); return; }
    /** @type {Set<number>} */
    const cuts = new Set([0, text.length]);
    for (const c of cursors) {
      cuts.add(c.pos);
      if (c.sel) { cuts.add(c.sel[0]); cuts.add(c.sel[1]); }
    }
    const points = [...cuts].sort((a, b) => a - b);
    const frag = document.createDocumentFragment();
    for (let i = 0; i < points.length; i++) {
      const at = points[i];
      for (const c of cursors) {
        if (c.pos !== at) continue;
        const caret = document.createElement('span');
        caret.className = 'remote-caret';
        caret.style.setProperty('--c', c.color);
        caret.dataset.name = c.user.name;
        frag.append(caret);
      }
      const next = points[i + 1];
      if (next === undefined || next === at) continue;
      const chunk = document.createTextNode(text.slice(at, next));
      const owner = cursors.find((c) => c.sel && c.sel[0] <= at && next <= c.sel[1] && c.sel[0] !== c.sel[1]);
      if (owner) {
        const span = document.createElement('span');
        span.className = 'remote-sel';
        span.style.backgroundColor = withAlpha(owner.color, 0.22);
        span.append(chunk);
        frag.append(span);
      } else {
        frag.append(chunk);
      }
    }
    if (text.endsWith('\n') || text === '') frag.append(document.createTextNode('\u200b'));
    this.mirror.replaceChildren(frag);
    this.mirror.scrollTop = this.ta.scrollTop;
    this.mirror.scrollLeft = this.ta.scrollLeft;
  }
}

// @ts-check
/**
 * One open document: routes protocol messages between the Connection, the OT client
 * and presence, and tells the view what to do through events. No DOM access.
 */
import { CLOSE, Connection, ERROR, backoffDelay } from './connection.js';
import { Emitter } from './emitter.js';
import { OTClient } from './ot-client.js';
import { Presence } from './presence.js';
import { transformIndex } from './text-operation.js';
import { UndoManager } from './undo-manager.js';

/**
 * @typedef {Object} SessionOptions
 * @property {string} docId
 * @property {string} url WebSocket URL
 * @property {() => string | null} getToken
 * @property {() => Promise<string | null>} [refreshToken]
 * @property {() => Promise<string>} [probe] see ConnectionOptions.probe
 * @property {any} [WebSocketImpl]
 * @property {{setTimeout: (fn: () => void, ms: number) => any, clearTimeout: (id: any) => void}} [timers]
 * @property {() => number} [random]
 * @property {number} [cursorInterval] ms between cursor messages, default 80
 * @property {number} [cursorSettle] quiet ms after the last op or ack before the cursor is re-announced, default 300
 * @property {() => number} [now] the clock undo grouping reads (ms)
 */

export class DocSession extends Emitter {
  /** @type {SessionOptions} */
  #opts;
  /** @type {{setTimeout: (fn: () => void, ms: number) => any, clearTimeout: (id: any) => void}} */
  #timers;
  /** @type {() => number} */
  #random;
  #holding = false;
  /** @type {any[]} */
  #held = [];
  #retryAttempt = 0;
  /** @type {any} */
  #retryTimer = null;
  /** @type {any} */
  #cursorTimer = null;
  /** @type {any} */
  #settleTimer = null;
  /** @type {{start: number, end: number}} */
  #selection = { start: 0, end: 0 };
  #lastCursorSent = '';
  #authPending = false;
  /** @type {() => number} */
  #now;

  /** @param {SessionOptions} opts */
  constructor(opts) {
    super();
    this.#opts = opts;
    this.docId = opts.docId;
    this.#timers = opts.timers || { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id) };
    this.#random = opts.random || Math.random;
    this.clientId = '';
    /** @type {{id: string, name: string} | null} */
    this.user = null;
    this.canEdit = false;
    this.loaded = false;
    this.presence = new Presence();
    this.#now = opts.now || (() => Date.now());
    /** One's own undo and redo steps for this document; they outlive reconnects, not the document. */
    this.history = new UndoManager();
    this.client = new OTClient({
      send: (msg) => this.conn.send(msg),
      onApply: (op, info) => {
        this.presence.transform(op);
        if (info.newHistory) {
          if (this.history.canUndo() || this.history.canRedo()) this.emit('history-cleared', null);
          this.history.clear();
        } else {
          this.history.transform(op);
        }
        this.emit('apply', { op, ...info });
        this.emit('history', null);
      },
      onSaved: () => { this.#retryAttempt = 0; this.emit('status', this.status()); this.#lastCursorSent = ''; this.#queueCursor(); },
      onRetryLater: () => this.#scheduleRetry(),
      onNeedReconnect: () => this.conn.reconnectNow(),
      onRejected: (info) => this.emit('rejected', info),
    });
    this.conn = new Connection({
      url: opts.url, getToken: opts.getToken, refreshToken: opts.refreshToken, probe: opts.probe,
      WebSocketImpl: opts.WebSocketImpl, timers: this.#timers, random: this.#random,
    });
    this.conn.on('open', () => { this.client.connectionOpened(); this.#lastCursorSent = ''; this.#authPending = false; });
    this.conn.on('close', (ev) => {
      if (ev.code === CLOSE.TOO_BIG) this.client.frameTooBig();
      this.client.connectionClosed();
      this.presence.clear();
      this.emit('members', []);
    });
    this.conn.on('status', () => this.emit('status', this.status()));
    this.conn.on('message', (msg) => {
      if (this.#holding) this.#held.push(msg); else this.route(msg);
    });
  }

  start() { this.conn.start(); }

  stop() {
    this.#timers.clearTimeout(this.#retryTimer);
    this.#timers.clearTimeout(this.#cursorTimer);
    this.#timers.clearTimeout(this.#settleTimer);
    this.conn.stop('closed', 'Document closed.');
    this.off();
  }

  /** @param {any} msg */
  route(msg) {
    const toLocal = (/** @type {number} */ p, /** @type {boolean} */ pushOnTie) =>
      this.client.transformPosition(p, (index, op) => transformIndex(index, op, pushOnTie));
    switch (msg.type) {
      case 'snapshot': {
        this.clientId = String(msg.clientId || '');
        this.user = msg.user || null;
        this.canEdit = msg.canEdit !== false;
        this.presence.setSelf(this.clientId);
        this.client.handleMessage(msg);
        if (!this.loaded) { this.loaded = true; this.emit('loaded', msg); }
        this.emit('status', this.status());
        this.#queueCursor();
        return;
      }
      case 'op': case 'ack':
        try { this.client.handleMessage(msg); } catch (e) { this.client.desync(); }
        if (msg.type === 'op') this.emit('status', this.status());
        this.#settleCursor();
        return;
      case 'presence': this.presence.setMembers(msg.members, toLocal); break;
      case 'join': this.presence.join(msg); break;
      case 'leave': this.presence.leave(msg); break;
      case 'cursor': this.presence.cursor(msg, toLocal); this.emit('cursors', null); return;
      case 'event': this.emit('event', { name: String(msg.name || ''), data: msg.data ?? null, docId: this.docId }); return;
      case 'error': {
        if (msg.code === ERROR.FORBIDDEN && !msg.id && this.#authPending) {
          // `auth` refused (the new token is for another user, as every dev token is):
          // reconnect with the new token instead.
          this.#authPending = false;
          this.emit('auth-refused', null);
          this.conn.reconnectNow();
          return;
        }
        const handled = this.client.handleMessage(msg);
        if (msg.code === ERROR.FORBIDDEN && msg.id) this.canEdit = false;
        if (!handled || msg.code === ERROR.FORBIDDEN) this.emit('error', { code: String(msg.code || ''), message: String(msg.message || '') });
        this.emit('status', this.status());
        return;
      }
      default: return;
    }
    this.emit('members', this.presence.list());
  }

  #scheduleRetry() {
    this.#timers.clearTimeout(this.#retryTimer);
    const delay = Math.max(200, backoffDelay(this.#retryAttempt++, 500, 10000, this.#random));
    this.#retryTimer = this.#timers.setTimeout(() => { this.#retryTimer = null; this.client.retry(); }, delay);
  }

  /**
   * A local edit (already visible in the editor).
   * @param {import('./text-operation.js').TextOperation} op
   * @param {{boundary?: boolean}} [meta] boundary: a paste, cut or drop (an undo step of its own)
   */
  localEdit(op, meta = {}) {
    if (op.isNoop()) return;
    this.history.record(op, this.client.text, this.#now(), meta);
    this.client.applyClient(op);
    this.presence.transform(op);
    this.emit('status', this.status());
    this.emit('history', null);
  }

  /**
   * Undoes one's own most recent step, as an ordinary local edit. The view applies the returned operation itself
   * and puts the caret at `caret` (-1: the step's text was deleted by others; nothing changed).
   * @returns {{op: import('./text-operation.js').TextOperation, caret: number} | null} null: nothing to undo
   */
  undo() { return this.#historyStep('undo'); }

  /** @returns {{op: import('./text-operation.js').TextOperation, caret: number} | null} */
  redo() { return this.#historyStep('redo'); }

  /** @param {'undo' | 'redo'} which */
  #historyStep(which) {
    if (!this.loaded || !this.canEdit || this.#holding) return null;
    const step = which === 'undo' ? this.history.undo(this.client.text) : this.history.redo(this.client.text);
    if (step && !step.op.isNoop()) {
      this.client.applyClient(step.op);
      this.presence.transform(step.op);
      this.emit('status', this.status());
    }
    this.emit('history', null);
    return step;
  }

  /** @param {number} start @param {number} end */
  setSelection(start, end) {
    this.#selection = { start, end };
    this.#queueCursor();
  }

  /**
   * Cursor messages carry no revision, so one that crossed an edit on its way can leave the others drawing our
   * caret a few characters off. Once the text has been quiet for a moment and nothing of ours is in flight, say
   * where the caret is again, even if the numbers did not change: by then everyone reads them against the same text.
   */
  #settleCursor() {
    this.#timers.clearTimeout(this.#settleTimer);
    this.#settleTimer = this.#timers.setTimeout(() => {
      this.#settleTimer = null;
      if (!this.client.ready || this.client.hasPending()) return;
      this.#lastCursorSent = '';
      this.#queueCursor();
    }, this.#opts.cursorSettle ?? 300);
  }

  #queueCursor() {
    if (this.#cursorTimer) return;
    this.#cursorTimer = this.#timers.setTimeout(() => {
      this.#cursorTimer = null;
      if (!this.client.ready) return;
      const { start, end } = this.#selection;
      const key = `${start}:${end}`;
      if (key === this.#lastCursorSent) return;
      if (this.conn.send({ type: 'cursor', pos: end, sel: [start, end] })) this.#lastCursorSent = key;
    }, this.#opts.cursorInterval ?? 80);
  }

  /**
   * While true (IME composition), incoming messages are queued so the editor's value
   * is not replaced under the input method; they are processed in order on release.
   * @param {boolean} on
   */
  hold(on) {
    this.#holding = on;
    while (!this.#holding && this.#held.length) this.route(this.#held.shift());
  }

  /** Replaces the session token on the open connection. @param {string} token */
  sendAuth(token) {
    this.#authPending = this.conn.send({ type: 'auth', token });
    return this.#authPending;
  }

  /** Status for the UI: connecting | connected | read-only | reconnecting | offline | stopped. */
  status() {
    let status = this.conn.status;
    if (status === 'connected' && !this.client.ready) status = 'connecting';
    if (status === 'connected' && !this.canEdit) status = 'read-only';
    return { status, pending: this.client.hasPending(), stopReason: this.conn.stopReason };
  }

  /** Snapshot of the state for tests and the `window.coedit` hook. */
  state() {
    return {
      docId: this.docId,
      rev: this.client.rev,
      epoch: this.client.epoch,
      status: this.status().status,
      pending: this.client.hasPending(),
      text: this.client.text,
      clientId: this.clientId,
      canEdit: this.canEdit,
      members: this.presence.list().map((m) => ({
        clientId: m.clientId, userId: m.user.id, name: m.user.name, color: m.color, pos: m.pos, sel: m.sel,
      })),
    };
  }
}

// @ts-check
/**
 * Client OT state machine (ot.js lib/client.js) plus the Coedit protocol around it:
 * op ids, revisions, epochs, reconnect/resync and rebasing local edits on a snapshot.
 *
 * States (derived from the outstanding op and the buffer):
 *   synchronized        no op in flight
 *   awaitingConfirm     one op (`outstanding`) sent, waiting for its ack
 *   awaitingWithBuffer  one op in flight plus local edits composed into `buffer`
 *
 * Invariants: `serverText` is the document at `rev`; `text` (what the user sees) is
 * serverText with outstanding then buffer applied. As in ot.js, our own pending op is the
 * FIRST argument of transform against a server op, just as the server will transform it
 * when it arrives there: of two inserts at one position, ours ends up first on both sides.
 *
 * Reconnect (every connection starts with a snapshot):
 *  - same epoch, same rev: re-send the outstanding op (same id) at the current rev;
 *  - same epoch, server ahead, edits pending: `sync`, apply the missing ops (our own op may
 *    come back as an `op` carrying our id: that is its ack), then re-send it if still unacked;
 *  - nothing pending: adopt the snapshot (diffed into the editor, caret kept);
 *  - `sync` answered by a snapshot (history gone) after our op was sent: re-send it unchanged
 *    as a probe: the original ack means the snapshot contains it, resync_required means not;
 *  - new epoch or unclear state: rebase the pending edits on the snapshot under a new id.
 * Op ids are `<prefix>:<seq>`; prefix = clientId of the first snapshot of the current epoch,
 * kept across reconnects (the server treats ids as opaque) and renewed with a new epoch.
 *
 * The state is private: the view reads `text`, the session `rev`, `epoch` and `ready`; only
 * the methods above the private ones change it.
 */
import { TextOperation } from './text-operation.js';
import { diffTexts } from './editor-diff.js';
import { jsonBytes, splitOp } from './op-size.js';
import { ERROR } from './connection.js';

/**
 * @typedef {{id: string, op: TextOperation, sentOn: number, sentRev: number, everSent: boolean, rebased: boolean}} Pending
 * sentOn: connection number it was last sent on (-1: must be (re)sent); sentRev: base rev of that send.
 */
/**
 * @typedef {Object} OTClientHooks
 * @property {(msg: Record<string, unknown>) => boolean} send returns false when not sent (offline)
 * @property {(op: TextOperation, info: {reset?: boolean, msg?: any, newHistory?: boolean}) => void} [onApply]
 *   an op to apply to the view; `text` already includes it. `newHistory`: the document's history was replaced
 *   (a new epoch), so the op replaces the text rather than edits it
 * @property {() => void} [onSaved] all local edits acknowledged
 * @property {() => void} [onRetryLater] the outstanding op was refused for now (unavailable / rate limited)
 * @property {() => void} [onNeedReconnect] state unclear: reconnect to get a fresh snapshot
 * @property {(info: {code: string, message: string, text: string}) => void} [onRejected]
 *   local edits the server refused for good were rolled back; `text` is what the user had
 */

/** Errors that mean "this op was not applied" when they answer a probe. */
const NOT_APPLIED = [ERROR.RESYNC_REQUIRED, ERROR.STALE_REVISION, ERROR.INVALID_OP];

export class OTClient {
  /** @type {OTClientHooks} */
  #hooks;
  #text = '';
  #serverText = '';
  #rev = 0;
  /** @type {string | null} */
  #epoch = null;
  #idPrefix = '';
  #seq = 0;
  /** @type {Pending | null} */
  #outstanding = null;
  /** @type {TextOperation | null} */
  #buffer = null;
  #maxMessageBytes = Infinity;
  #connId = 0;
  #online = false;
  #ready = false; // snapshot received on this connection
  #expectHello = false;
  /** @type {number | null} re-send of the outstanding op waits until rev reaches this */
  #syncTarget = null;
  #forceSnapshot = false;
  /** @type {{snapshot: any, queue: any[]} | null} asking the server whether it applied our op */
  #probe = null;

  /** @param {OTClientHooks} hooks */
  constructor(hooks) {
    this.#hooks = hooks;
  }

  /** What the user sees: the server's text with the pending local edits applied. */
  get text() { return this.#text; }

  /** The document at `rev`, as the server has it. */
  get serverText() { return this.#serverText; }

  get rev() { return this.#rev; }

  /** @returns {string | null} */
  get epoch() { return this.#epoch; }

  /** True once this connection's snapshot arrived. */
  get ready() { return this.#ready; }

  /** @returns {Pending | null} the op in flight */
  get outstanding() { return this.#outstanding; }

  /** @returns {TextOperation | null} local edits waiting for the op in flight */
  get buffer() { return this.#buffer; }

  get state() {
    return !this.#outstanding ? 'synchronized' : this.#buffer ? 'awaitingWithBuffer' : 'awaitingConfirm';
  }

  hasPending() { return this.#outstanding !== null; }

  /** @returns {TextOperation | null} all unacknowledged local edits, from serverText to text */
  pendingOp() {
    if (!this.#outstanding) return null;
    return this.#buffer ? this.#outstanding.op.compose(this.#buffer) : this.#outstanding.op;
  }

  connectionOpened() {
    this.#connId++;
    this.#online = true;
    this.#ready = false;
    this.#expectHello = true;
    this.#syncTarget = null;
  }

  connectionClosed() {
    this.#probe = null;
    this.#online = false;
    this.#ready = false;
  }

  /**
   * A local edit, already visible in the editor.
   * @param {TextOperation} op
   */
  applyClient(op) {
    if (op.isNoop()) return;
    this.#text = op.apply(this.#text);
    if (!this.#outstanding) {
      this.#outstanding = this.#newPending(op, false);
      this.flush();
    } else {
      this.#buffer = this.#buffer ? this.#buffer.compose(op) : op;
    }
  }

  /**
   * Handles document messages (snapshot, op, ack, error). Returns false for others, and for
   * errors the session should show.
   * @param {any} msg
   */
  handleMessage(msg) {
    if (this.#probe && msg && msg.type !== 'snapshot' && this.#probeAnswer(msg)) return true;
    switch (msg && msg.type) {
      case 'snapshot': this.#handleSnapshot(msg); return true;
      case 'op': this.#handleOp(msg); return true;
      case 'ack': this.#handleAck(msg); return true;
      case 'error': return this.#handleError(msg);
      default: return false;
    }
  }

  /** After a backoff: re-sends what the server refused for now (sync and/or the outstanding op). */
  retry() {
    if (this.#probe) { this.#sendProbe(); return; }
    if (this.#syncTarget !== null && this.#online && this.#ready) {
      this.#hooks.send({ type: 'sync', rev: this.#rev, epoch: this.#epoch });
    }
    this.flush();
  }

  /**
   * The server closed the connection with 1009 (message too big): the op was never read,
   * so it is split smaller and sent under a new id after reconnecting.
   */
  frameTooBig() {
    const out = this.#outstanding;
    if (!out) return;
    this.#maxMessageBytes = Math.max(1024, Math.floor(Math.min(this.#maxMessageBytes, jsonBytes(out.op.ops)) / 2));
    Object.assign(out, { id: this.#nextId(), sentOn: -1, everSent: false });
  }

  /** Our state disagrees with the server's: reconnect and rebase on the fresh snapshot. */
  desync() {
    this.#forceSnapshot = true;
    this.#ready = false;
    this.#hooks.onNeedReconnect?.();
  }

  /** Sends (or re-sends, same id) the outstanding op if it was not sent on this connection. */
  flush() {
    const out = this.#outstanding;
    if (!out || !this.#online || !this.#ready || this.#probe || this.#syncTarget !== null
      || out.sentOn === this.#connId) return;
    if (!out.everSent) {
      const budget = Math.max(256, this.#maxMessageBytes - 256 - out.id.length);
      const parts = splitOp(out.op, budget);
      if (parts) {
        out.op = parts[0];
        this.#buffer = this.#buffer ? parts[1].compose(this.#buffer) : parts[1];
      }
    }
    if (this.#hooks.send({ type: 'op', rev: this.#rev, op: out.op.toJSON(), id: out.id })) {
      out.sentOn = this.#connId;
      out.sentRev = this.#rev;
      out.everSent = true;
    }
  }

  /**
   * Maps a position in the server's document (e.g. a remote cursor) into ours.
   * @param {number} pos
   * @param {(pos: number, op: TextOperation) => number} through
   */
  transformPosition(pos, through) {
    if (this.#outstanding) pos = through(pos, this.#outstanding.op);
    if (this.#buffer) pos = through(pos, this.#buffer);
    return pos;
  }

  #nextId() { return `${this.#idPrefix}:${++this.#seq}`; }

  /** @param {TextOperation} op @param {boolean} rebased @returns {Pending} */
  #newPending(op, rebased) {
    return { id: this.#nextId(), op, sentOn: -1, sentRev: -1, everSent: false, rebased };
  }

  /** @param {any} msg */
  #handleOp(msg) {
    if (!this.#ready || msg.rev <= this.#rev) return; // duplicate (e.g. replayed by sync)
    if (msg.rev > this.#rev + 1) { this.#requestSync(msg.rev); return; }
    if (this.#outstanding && msg.id === this.#outstanding.id) { this.#handleAck(msg); return; }
    const op = TextOperation.fromJSON(msg.op);
    if (op.baseLength !== this.#serverText.length) { this.desync(); return; }
    this.#serverText = op.apply(this.#serverText);
    this.#rev = msg.rev;
    let forView = op;
    if (this.#outstanding) {
      const [s1, out] = OTClient.#transformRemote(op, this.#outstanding.op);
      this.#outstanding.op = out;
      forView = s1;
      if (this.#buffer) [forView, this.#buffer] = OTClient.#transformRemote(s1, this.#buffer);
    }
    this.#text = forView.apply(this.#text);
    this.#hooks.onApply?.(forView, { msg });
    this.#caughtUp();
  }

  /** @param {any} msg */
  #handleAck(msg) {
    if (!this.#ready || msg.rev <= this.#rev) return;
    if (msg.rev > this.#rev + 1) { this.#requestSync(msg.rev); return; }
    if (!this.#outstanding || msg.id !== this.#outstanding.id) { this.desync(); return; }
    this.#serverText = this.#outstanding.op.apply(this.#serverText);
    this.#rev = msg.rev;
    this.#outstanding = null;
    if (this.#buffer) {
      this.#outstanding = this.#newPending(this.#buffer, false);
      this.#buffer = null;
    }
    this.#caughtUp();
    this.flush();
    if (!this.#outstanding) this.#hooks.onSaved?.();
  }

  /** @param {number} target */
  #requestSync(target) {
    if (this.#syncTarget !== null && this.#syncTarget >= target) return;
    this.#syncTarget = target;
    this.#hooks.send({ type: 'sync', rev: this.#rev, epoch: this.#epoch });
  }

  #caughtUp() {
    if (this.#syncTarget !== null && this.#rev >= this.#syncTarget) {
      this.#syncTarget = null;
      this.flush();
    }
  }

  /**
   * Transforms a server op against a local one: returns [server', local'].
   * @param {TextOperation} serverOp @param {TextOperation} localOp
   * @returns {[TextOperation, TextOperation]}
   */
  static #transformRemote(serverOp, localOp) {
    const [l, s] = TextOperation.transform(localOp, serverOp);
    return [s, l];
  }

  // Recovery: snapshots after a reconnect or a sync, the probe that asks the server whether it
  // applied an op whose ack was lost, rebasing local edits on a snapshot, and error replies.

  /** @param {any} msg */
  #handleSnapshot(msg) {
    const hello = this.#expectHello;
    this.#expectHello = false;
    this.#probe = null;
    if (msg.limits && typeof msg.limits.maxMessageBytes === 'number') this.#maxMessageBytes = msg.limits.maxMessageBytes;
    this.#ready = true;
    const out = this.#outstanding;
    if (this.#epoch !== null && msg.epoch === this.#epoch && !this.#forceSnapshot) {
      if (msg.rev === this.#rev && msg.content === this.#serverText) { this.flush(); return; }
      if (out && msg.rev > this.#rev && hello) {
        this.#syncTarget = msg.rev;
        this.#hooks.send({ type: 'sync', rev: this.#rev, epoch: this.#epoch });
        return;
      }
      if (out && out.everSent && msg.rev > this.#rev) {
        // History since our rev is gone: did the server apply our op before we lost its ack?
        // Re-sending it (same id, same base) gets the original ack if so, resync_required if not.
        this.#probe = { snapshot: msg, queue: [] };
        this.#sendProbe();
        return;
      }
    }
    this.#rebase(msg, this.pendingOp());
  }

  /** Re-sends the outstanding op unchanged (same id, same base rev). */
  #sendProbe() {
    const out = this.#outstanding;
    if (out && this.#hooks.send({ type: 'op', rev: this.#rev, op: out.op.toJSON(), id: out.id })) out.sentOn = this.#connId;
  }

  /**
   * While probing: resolves the probe or queues messages that follow the snapshot.
   * @param {any} msg @returns {boolean} true when consumed
   */
  #probeAnswer(msg) {
    const probe = /** @type {{snapshot: any, queue: any[]}} */ (this.#probe);
    const out = /** @type {Pending} */ (this.#outstanding);
    const mine = msg.id === out.id;
    if ((msg.type === 'ack' || msg.type === 'op') && mine) {
      this.#probe = null;
      if (msg.rev > probe.snapshot.rev) { this.desync(); return true; }
      this.#serverText = out.op.apply(this.#serverText); // the snapshot includes our op
      this.#rebase(probe.snapshot, this.#buffer);
    } else if (msg.type === 'error' && mine && NOT_APPLIED.includes(msg.code)) {
      this.#probe = null;
      this.#rebase(probe.snapshot, this.pendingOp()); // not applied: re-apply it on the snapshot
    } else if (msg.type === 'error' && mine && msg.code === ERROR.OUTCOME_UNKNOWN) {
      // Nobody can tell whether the server applied it: applying it again could double it. The snapshot is the
      // truth; what the user had goes to the "could not be saved" panel for them to decide.
      this.#probe = null;
      const lost = this.#text;
      this.#outstanding = null;
      this.#buffer = null;
      this.#serverText = this.#text; // the view shows text: the snapshot replaces it, with nothing pending on top
      this.#rebase(probe.snapshot, null);
      this.#hooks.onRejected?.({ code: String(msg.code), message: String(msg.message || ''), text: lost });
    } else if (msg.type === 'error' && (mine || !msg.id)
      && (msg.code === ERROR.UNAVAILABLE || msg.code === ERROR.RATE_LIMITED)) {
      this.#hooks.onRetryLater?.();
      return true;
    } else if (msg.type === 'op' || msg.type === 'ack') {
      probe.queue.push(msg);
      return true;
    } else {
      return false;
    }
    for (const m of probe.queue) this.handleMessage(m);
    return true;
  }

  /**
   * Takes the snapshot as the new server state and re-applies unacknowledged local
   * edits on top: the change from our last known server text to the snapshot is
   * computed with a character diff (diffTexts) and transformed against the pending
   * edits. Inserted text always survives a transform, so nothing typed is lost; deletions
   * inside a region the server replaced are dropped. The result is sent under a NEW op id.
   * If the snapshot already equals the local text, the pending edits are dropped.
   * @param {any} msg
   * @param {TextOperation | null} pending local edits from `serverText` to `text`
   */
  #rebase(msg, pending) {
    const content = String(msg.content ?? '');
    const serverChange = diffTexts(this.#serverText, content);
    /** @type {TextOperation} */
    let viewOp;
    /** @type {TextOperation | null} */
    let rebased = null;
    if (!pending) viewOp = serverChange;
    else if (content === this.#text) viewOp = new TextOperation().retain(this.#text.length);
    else [viewOp, rebased] = OTClient.#transformRemote(serverChange, pending);
    // a new epoch is another history: what the view had is replaced, not edited (undo steps no longer apply)
    const newHistory = this.#epoch !== null && msg.epoch !== this.#epoch;
    if (msg.epoch !== this.#epoch) {
      this.#epoch = msg.epoch;
      this.#idPrefix = msg.clientId || this.#idPrefix || Math.random().toString(36).slice(2, 10);
      this.#seq = 0;
    }
    this.#text = viewOp.apply(this.#text);
    this.#serverText = content;
    this.#rev = msg.rev;
    this.#buffer = null;
    this.#outstanding = rebased && !rebased.isNoop() ? this.#newPending(rebased, true) : null;
    this.#syncTarget = null;
    this.#forceSnapshot = false;
    this.#hooks.onApply?.(viewOp, { reset: true, msg, newHistory });
    this.flush();
  }

  /**
   * Error replies that concern the document state.
   * @param {any} msg
   * @returns {boolean} true when handled here (false: the session shows it)
   */
  #handleError(msg) {
    const out = this.#outstanding;
    const mine = !!out && msg.id === out.id;
    switch (msg.code) {
      case ERROR.RESYNC_REQUIRED: // history replaced (new epoch) or our base rev is no longer retained
        if (out && mine) {
          out.sentOn = -1;
          if (out.sentRev < this.#rev) { this.flush(); return true; } // retry from our newer rev
          this.#syncTarget = this.#rev + 1; // re-send after the sync answer (a snapshot rebases instead)
        }
        this.#hooks.send({ type: 'sync', rev: this.#rev, epoch: this.#epoch });
        return true;
      case ERROR.UNAVAILABLE:
      case ERROR.RATE_LIMITED: {
        // without an id the refused message may have been our op or our sync: retry both
        const ours = out && (mine || (!msg.id && out.sentOn === this.#connId));
        if (ours && out) out.sentOn = -1;
        if (!ours && !(this.#syncTarget !== null && !msg.id)) return false;
        this.#hooks.onRetryLater?.();
        return true;
      }
      case ERROR.STALE_REVISION:
      case ERROR.INVALID_OP:
      case ERROR.BAD_MESSAGE:
        if (!mine || !out) return false;
        if (out.rebased) { this.#rollback(msg); return true; }
        out.rebased = true;
        this.desync();
        return true;
      case ERROR.TOO_LARGE: // the document would grow past its maximum length
      case ERROR.FORBIDDEN:
      case ERROR.OUTCOME_UNKNOWN: // it may or may not be applied: never send it again, show the user their text
        if (!mine) return false;
        this.#rollback(msg);
        return true;
      default:
        return false;
    }
  }

  /** Drops refused local edits, restoring the server text. @param {any} msg */
  #rollback(msg) {
    const pending = this.pendingOp();
    if (!pending) return;
    const lost = this.#text;
    const undo = pending.invert(this.#serverText);
    this.#outstanding = null;
    this.#buffer = null;
    this.#text = this.#serverText;
    this.#hooks.onApply?.(undo, { reset: true });
    this.#hooks.onRejected?.({ code: String(msg.code), message: String(msg.message || ''), text: lost });
  }
}

// @ts-check
/**
 * Client OT state machine (ot.js lib/client.js) plus the Coedit protocol around it:
 * op ids, revisions, epochs, reconnect/resync and rebasing local edits on a snapshot.
 *
 * States (derived from `outstanding`/`buffer`):
 *   synchronized        no op in flight
 *   awaitingConfirm     one op (`outstanding`) sent, waiting for its ack
 *   awaitingWithBuffer  one op in flight plus local edits composed into `buffer`
 *
 * Invariants: `serverText` is the document at `rev`; `text` (what the user sees) is
 * serverText with outstanding then buffer applied. As in ot.js, our own pending op is the
 * FIRST argument of transform against a server op, just as the server will transform it
 * when it arrives there: of two inserts at one position, ours ends up first on both sides.
 *
 * Reconnect (every connection starts with a snapshot; details in ot-recovery.js):
 *  - same epoch, same rev: re-send the outstanding op (same id) at the current rev;
 *  - same epoch, server ahead, edits pending: `sync`, apply the missing ops (our own op may
 *    come back as an `op` carrying our id: that is its ack), then re-send it if still unacked;
 *  - nothing pending: adopt the snapshot (diffed into the editor, caret kept);
 *  - `sync` answered by a snapshot (history gone) after our op was sent: re-send it unchanged
 *    as a probe: the original ack means the snapshot contains it, resync_required means not;
 *  - new epoch or unclear state: rebase the pending edits on the snapshot under a new id.
 * Op ids are `<prefix>:<seq>`; prefix = clientId of the first snapshot of the current epoch,
 * kept across reconnects (the server treats ids as opaque) and renewed with a new epoch.
 */
import { TextOperation } from './text-operation.js';
import { handleSnapshot, handleError, probeAnswer, sendProbe, rollback } from './ot-recovery.js';
import { jsonBytes, splitOp } from './op-size.js';

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

export class OTClient {
  /** @param {OTClientHooks} hooks */
  constructor(hooks) {
    this.hooks = hooks;
    this.text = '';
    this.serverText = '';
    this.rev = 0;
    /** @type {string | null} */
    this.epoch = null;
    this.idPrefix = '';
    this.seq = 0;
    /** @type {Pending | null} */
    this.outstanding = null;
    /** @type {TextOperation | null} */
    this.buffer = null;
    this.maxMessageBytes = Infinity;
    this.connId = 0;
    this.online = false;
    this.ready = false; // snapshot received on this connection
    this.expectHello = false;
    /** @type {number | null} re-send of the outstanding op waits until rev reaches this */
    this.syncTarget = null;
    this.forceSnapshot = false;
    /** @type {{snapshot: any, queue: any[]} | null} asking the server whether it applied our op */
    this.probe = null;
  }

  get state() {
    return !this.outstanding ? 'synchronized' : this.buffer ? 'awaitingWithBuffer' : 'awaitingConfirm';
  }

  hasPending() { return this.outstanding !== null; }

  /** @returns {TextOperation | null} all unacknowledged local edits, from serverText to text */
  pendingOp() {
    if (!this.outstanding) return null;
    return this.buffer ? this.outstanding.op.compose(this.buffer) : this.outstanding.op;
  }

  nextId() { return `${this.idPrefix}:${++this.seq}`; }

  /** @param {TextOperation} op @param {boolean} rebased @returns {Pending} */
  newPending(op, rebased) {
    return { id: this.nextId(), op, sentOn: -1, sentRev: -1, everSent: false, rebased };
  }

  connectionOpened() {
    this.connId++;
    this.online = true;
    this.ready = false;
    this.expectHello = true;
    this.syncTarget = null;
  }

  connectionClosed() {
    this.probe = null;
    this.online = false;
    this.ready = false;
  }

  /**
   * A local edit, already visible in the editor.
   * @param {TextOperation} op
   */
  applyClient(op) {
    if (op.isNoop()) return;
    this.text = op.apply(this.text);
    if (!this.outstanding) {
      this.outstanding = this.newPending(op, false);
      this.flush();
    } else {
      this.buffer = this.buffer ? this.buffer.compose(op) : op;
    }
  }

  /**
   * Handles document messages (snapshot, op, ack, error). Returns false for others.
   * @param {any} msg
   */
  handleMessage(msg) {
    if (this.probe && msg && msg.type !== 'snapshot' && probeAnswer(this, msg)) return true;
    switch (msg && msg.type) {
      case 'snapshot': this.handleSnapshot(msg); return true;
      case 'op': this.handleOp(msg); return true;
      case 'ack': this.handleAck(msg); return true;
      case 'error': return this.handleError(msg);
      default: return false;
    }
  }

  /** @param {any} msg */
  handleSnapshot(msg) { handleSnapshot(this, msg); }

  /** @param {any} msg @returns {boolean} true when handled here */
  handleError(msg) { return handleError(this, msg); }

  /** @param {any} msg */
  rollback(msg) { rollback(this, msg); }

  /** @param {any} msg */
  handleOp(msg) {
    if (!this.ready || msg.rev <= this.rev) return; // duplicate (e.g. replayed by sync)
    if (msg.rev > this.rev + 1) { this.requestSync(msg.rev); return; }
    if (this.outstanding && msg.id === this.outstanding.id) { this.handleAck(msg); return; }
    const op = TextOperation.fromJSON(msg.op);
    if (op.baseLength !== this.serverText.length) { this.desync(); return; }
    this.serverText = op.apply(this.serverText);
    this.rev = msg.rev;
    let forView = op;
    if (this.outstanding) {
      const [s1, out] = this.transformRemote(op, this.outstanding.op);
      this.outstanding.op = out;
      forView = s1;
      if (this.buffer) [forView, this.buffer] = this.transformRemote(s1, this.buffer);
    }
    this.text = forView.apply(this.text);
    this.hooks.onApply?.(forView, { msg });
    this.caughtUp();
  }

  /** @param {any} msg */
  handleAck(msg) {
    if (!this.ready || msg.rev <= this.rev) return;
    if (msg.rev > this.rev + 1) { this.requestSync(msg.rev); return; }
    if (!this.outstanding || msg.id !== this.outstanding.id) { this.desync(); return; }
    this.serverText = this.outstanding.op.apply(this.serverText);
    this.rev = msg.rev;
    this.outstanding = null;
    if (this.buffer) {
      this.outstanding = this.newPending(this.buffer, false);
      this.buffer = null;
    }
    this.caughtUp();
    this.flush();
    if (!this.outstanding) this.hooks.onSaved?.();
  }

  /** After a backoff: re-sends what the server refused for now (sync and/or the outstanding op). */
  retry() {
    if (this.probe) { sendProbe(this); return; }
    if (this.syncTarget !== null && this.online && this.ready) {
      this.hooks.send({ type: 'sync', rev: this.rev, epoch: this.epoch });
    }
    this.flush();
  }

  /**
   * The server closed the connection with 1009 (message too big): the op was never read,
   * so it is split smaller and sent under a new id after reconnecting.
   */
  frameTooBig() {
    const out = this.outstanding;
    if (!out) return;
    this.maxMessageBytes = Math.max(1024, Math.floor(Math.min(this.maxMessageBytes, jsonBytes(out.op.ops)) / 2));
    Object.assign(out, { id: this.nextId(), sentOn: -1, everSent: false });
  }

  /** @param {number} target */
  requestSync(target) {
    if (this.syncTarget !== null && this.syncTarget >= target) return;
    this.syncTarget = target;
    this.hooks.send({ type: 'sync', rev: this.rev, epoch: this.epoch });
  }

  caughtUp() {
    if (this.syncTarget !== null && this.rev >= this.syncTarget) {
      this.syncTarget = null;
      this.flush();
    }
  }

  /** Our state disagrees with the server's: reconnect and rebase on the fresh snapshot. */
  desync() {
    this.forceSnapshot = true;
    this.ready = false;
    this.hooks.onNeedReconnect?.();
  }

  /** Sends (or re-sends, same id) the outstanding op if it was not sent on this connection. */
  flush() {
    const out = this.outstanding;
    if (!out || !this.online || !this.ready || this.probe || this.syncTarget !== null || out.sentOn === this.connId) return;
    if (!out.everSent) {
      const budget = Math.max(256, this.maxMessageBytes - 256 - out.id.length);
      const parts = splitOp(out.op, budget);
      if (parts) {
        out.op = parts[0];
        this.buffer = this.buffer ? parts[1].compose(this.buffer) : parts[1];
      }
    }
    if (this.hooks.send({ type: 'op', rev: this.rev, op: out.op.toJSON(), id: out.id })) {
      out.sentOn = this.connId;
      out.sentRev = this.rev;
      out.everSent = true;
    }
  }

  /**
   * Transforms a server op against a local one: returns [server', local'].
   * @param {TextOperation} serverOp @param {TextOperation} localOp
   * @returns {[TextOperation, TextOperation]}
   */
  transformRemote(serverOp, localOp) {
    const [l, s] = TextOperation.transform(localOp, serverOp);
    return [s, l];
  }

  /**
   * Maps a position in the server's document (e.g. a remote cursor) into ours.
   * @param {number} pos
   * @param {(pos: number, op: TextOperation) => number} through
   */
  transformPosition(pos, through) {
    if (this.outstanding) pos = through(pos, this.outstanding.op);
    if (this.buffer) pos = through(pos, this.buffer);
    return pos;
  }
}

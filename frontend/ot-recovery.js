// @ts-check
/**
 * Recovery paths of the OT client (see ot-client.js): snapshots after a reconnect or
 * a sync, the probe that asks the server whether it applied an op whose ack was lost,
 * rebasing local edits on a snapshot, and error replies.
 */
import { TextOperation } from './text-operation.js';
import { diffTexts } from './editor-diff.js';

/** @typedef {import('./ot-client.js').OTClient} C */
/** @typedef {import('./ot-client.js').Pending} Pending */

/** @param {C} c @param {any} msg */
export function handleSnapshot(c, msg) {
  const hello = c.expectHello;
  c.expectHello = false;
  c.probe = null;
  if (msg.limits && typeof msg.limits.maxMessageBytes === 'number') c.maxMessageBytes = msg.limits.maxMessageBytes;
  c.ready = true;
  const out = c.outstanding;
  if (c.epoch !== null && msg.epoch === c.epoch && !c.forceSnapshot) {
    if (msg.rev === c.rev && msg.content === c.serverText) { c.flush(); return; }
    if (out && msg.rev > c.rev && hello) {
      c.syncTarget = msg.rev;
      c.hooks.send({ type: 'sync', rev: c.rev, epoch: c.epoch });
      return;
    }
    if (out && out.everSent && msg.rev > c.rev) {
      // History since our rev is gone: did the server apply our op before we lost its ack?
      // Re-sending it (same id, same base) gets the original ack if so, resync_required if not.
      c.probe = { snapshot: msg, queue: [] };
      sendProbe(c);
      return;
    }
  }
  rebase(c, msg, c.pendingOp());
}

/** Re-sends the outstanding op unchanged (same id, same base rev). @param {C} c */
export function sendProbe(c) {
  const out = c.outstanding;
  if (out && c.hooks.send({ type: 'op', rev: c.rev, op: out.op.toJSON(), id: out.id })) out.sentOn = c.connId;
}

/**
 * While probing: resolves the probe or queues messages that follow the snapshot.
 * @param {C} c @param {any} msg @returns {boolean} true when consumed
 */
export function probeAnswer(c, msg) {
  const probe = /** @type {{snapshot: any, queue: any[]}} */ (c.probe);
  const out = /** @type {Pending} */ (c.outstanding);
  const mine = msg.id === out.id;
  if ((msg.type === 'ack' || msg.type === 'op') && mine) {
    c.probe = null;
    if (msg.rev > probe.snapshot.rev) { c.desync(); return true; }
    c.serverText = out.op.apply(c.serverText); // the snapshot includes our op
    rebase(c, probe.snapshot, c.buffer);
  } else if (msg.type === 'error' && mine && ['resync_required', 'stale_revision', 'invalid_op'].includes(msg.code)) {
    c.probe = null;
    rebase(c, probe.snapshot, c.pendingOp()); // not applied: re-apply it on the snapshot
  } else if (msg.type === 'error' && mine && msg.code === 'outcome_unknown') {
    // Nobody can tell whether the server applied it: applying it again could double it. The snapshot is the
    // truth; what the user had goes to the "could not be saved" panel for them to decide.
    c.probe = null;
    const lost = c.text;
    c.outstanding = null;
    c.buffer = null;
    c.serverText = c.text; // the view shows c.text: the snapshot replaces it, with nothing pending on top
    rebase(c, probe.snapshot, null);
    c.hooks.onRejected?.({ code: String(msg.code), message: String(msg.message || ''), text: lost });
  } else if (msg.type === 'error' && (mine || !msg.id) && (msg.code === 'unavailable' || msg.code === 'rate_limited')) {
    c.hooks.onRetryLater?.();
    return true;
  } else if (msg.type === 'op' || msg.type === 'ack') {
    probe.queue.push(msg);
    return true;
  } else {
    return false;
  }
  for (const m of probe.queue) c.handleMessage(m);
  return true;
}

/**
 * Takes the snapshot as the new server state and re-applies unacknowledged local
 * edits on top: the change from our last known server text to the snapshot is
 * computed with a character diff (diffTexts) and transformed against the pending
 * edits. Inserted text always survives a transform, so nothing typed is lost; deletions inside a region the server replaced are dropped. The result is
 * sent under a NEW op id. If the snapshot already equals the local text, the
 * pending edits are dropped.
 * @param {C} c
 * @param {any} msg
 * @param {TextOperation | null} pending local edits from `serverText` to `text`
 */
export function rebase(c, msg, pending) {
  const content = String(msg.content ?? '');
  const serverChange = diffTexts(c.serverText, content);
  /** @type {TextOperation} */
  let viewOp;
  /** @type {TextOperation | null} */
  let rebased = null;
  if (!pending) viewOp = serverChange;
  else if (content === c.text) viewOp = new TextOperation().retain(c.text.length);
  else [viewOp, rebased] = c.transformRemote(serverChange, pending);
  // a new epoch is another history: what the view had is replaced, not edited (undo steps no longer apply)
  const newHistory = c.epoch !== null && msg.epoch !== c.epoch;
  if (msg.epoch !== c.epoch) {
    c.epoch = msg.epoch;
    c.idPrefix = msg.clientId || c.idPrefix || Math.random().toString(36).slice(2, 10);
    c.seq = 0;
  }
  c.text = viewOp.apply(c.text);
  c.serverText = content;
  c.rev = msg.rev;
  c.buffer = null;
  c.outstanding = rebased && !rebased.isNoop() ? c.newPending(rebased, true) : null;
  c.syncTarget = null;
  c.forceSnapshot = false;
  c.hooks.onApply?.(viewOp, { reset: true, msg, newHistory });
  c.flush();
}

/**
 * Error replies that concern the document state.
 * @param {C} c @param {any} msg
 * @returns {boolean} true when handled here (false: the session shows it)
 */
export function handleError(c, msg) {
  const out = c.outstanding;
  const mine = !!out && msg.id === out.id;
  switch (msg.code) {
    case 'resync_required': // history replaced (new epoch) or our base rev is no longer retained
      if (out && mine) {
        out.sentOn = -1;
        if (out.sentRev < c.rev) { c.flush(); return true; } // retry from our newer rev
        c.syncTarget = c.rev + 1; // re-send after the sync answer (a snapshot rebases instead)
      }
      c.hooks.send({ type: 'sync', rev: c.rev, epoch: c.epoch });
      return true;
    case 'unavailable':
    case 'rate_limited': {
      // without an id the refused message may have been our op or our sync: retry both
      const ours = out && (mine || (!msg.id && out.sentOn === c.connId));
      if (ours && out) out.sentOn = -1;
      if (!ours && !(c.syncTarget !== null && !msg.id)) return false;
      c.hooks.onRetryLater?.();
      return true;
    }
    case 'stale_revision':
    case 'invalid_op':
    case 'bad_message':
      if (!mine || !out) return false;
      if (out.rebased) { rollback(c, msg); return true; }
      out.rebased = true;
      c.desync();
      return true;
    case 'too_large': // the document would grow past its maximum length
    case 'forbidden':
    case 'outcome_unknown': // it may or may not be applied: never send it again, show the user their text
      if (!mine) return false;
      rollback(c, msg);
      return true;
    default:
      return false;
  }
}

/** Drops refused local edits, restoring the server text. @param {C} c @param {any} msg */
export function rollback(c, msg) {
  const pending = c.pendingOp();
  if (!pending) return;
  const lost = c.text;
  const undo = pending.invert(c.serverText);
  c.outstanding = null;
  c.buffer = null;
  c.text = c.serverText;
  c.hooks.onApply?.(undo, { reset: true });
  c.hooks.onRejected?.({ code: String(msg.code), message: String(msg.message || ''), text: lost });
}

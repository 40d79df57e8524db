// @ts-check
/**
 * One document's WebSocket with automatic reconnect (capped full-jitter exponential
 * backoff) and status events. The WebSocket constructor and timers are injectable
 * so this runs under Node tests with fakes.
 *
 * Statuses: connecting (first attempt), connected, reconnecting (waiting or retrying),
 * offline (browser offline; retries paused), stopped (final: see `stopReason`).
 * Events: 'status', 'message', 'open', 'close'.
 */

import { Emitter } from './emitter.js';

export const PROTOCOL = 'coedit.v1';

/** Close codes with a meaning in the Coedit protocol. */
export const CLOSE = Object.freeze({
  GOING_AWAY: 1001, UNSUPPORTED: 1003, ABNORMAL: 1006, TOO_BIG: 1009,
  TOKEN: 4401, FORBIDDEN: 4403, RATE_LIMITED: 4429, SLOW_CONSUMER: 4500,
});
/** The codes of `error` messages (docs/protocol.md): clients switch on these, never on the text. */
export const ERROR = Object.freeze({
  BAD_MESSAGE: 'bad_message', INVALID_OP: 'invalid_op', STALE_REVISION: 'stale_revision',
  RESYNC_REQUIRED: 'resync_required', FORBIDDEN: 'forbidden', TOO_LARGE: 'too_large', RATE_LIMITED: 'rate_limited',
  UNAVAILABLE: 'unavailable', OUTCOME_UNKNOWN: 'outcome_unknown',
});
/** The reason of a 4403 close that revokes the user rather than refusing one document. */
const REVOKED_REASON = 'access revoked';

/**
 * Full-jitter backoff: random in [0, min(cap, base * 2^attempt)).
 * @param {number} attempt @param {number} base @param {number} cap @param {() => number} random
 */
export function backoffDelay(attempt, base, cap, random) {
  return Math.floor(random() * Math.min(cap, base * 2 ** Math.min(attempt, 30)));
}

/**
 * @typedef {Object} ConnectionOptions
 * @property {string} url ws:// or wss:// URL (no token in it)
 * @property {() => string | null} getToken current bearer token
 * @property {() => Promise<string | null>} [refreshToken] new token after a 4401 close; null: cannot
 * @property {() => Promise<string>} [probe] after a connection attempt failed before opening (the
 *   handshake's HTTP status is invisible to WebSocket): 'auth' (401), 'forbidden' (403),
 *   'invalid' (bad document id) or anything else (retry)
 * @property {any} [WebSocketImpl] defaults to globalThis.WebSocket
 * @property {{setTimeout: (fn: () => void, ms: number) => any, clearTimeout: (id: any) => void}} [timers]
 * @property {() => number} [random]
 * @property {number} [baseDelay] ms, default 250
 * @property {number} [maxDelay] ms, default 10000
 * @property {number} [rateLimitDelay] minimum wait after a 4429 close, default 5000
 * @property {number} [connectTimeout] ms, default 15000
 */

export class Connection extends Emitter {
  /** @type {ConnectionOptions} */
  #opts;
  /** @type {any} */
  #WebSocketImpl;
  /** @type {{setTimeout: (fn: () => void, ms: number) => any, clearTimeout: (id: any) => void}} */
  #timers;
  /** @type {() => number} */
  #random;
  #base;
  #cap;
  /** @type {any} */
  #ws = null;
  #status = 'idle';
  /** @type {{code: string, message: string} | null} */
  #stopReason = null;
  #attempt = 0;
  #everOpened = false;
  #wasOpen = false;
  #online = true;
  #authFailures = 0;
  #tooBig = 0;
  /** @type {any} */
  #retryTimer = null;
  /** @type {any} */
  #connectTimer = null;

  /** @param {ConnectionOptions} opts */
  constructor(opts) {
    super();
    this.#opts = opts;
    this.#WebSocketImpl = opts.WebSocketImpl || globalThis.WebSocket;
    this.#timers = opts.timers || { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (id) => clearTimeout(id) };
    this.#random = opts.random || Math.random;
    this.#base = opts.baseDelay ?? 250;
    this.#cap = opts.maxDelay ?? 10000;
  }

  /** connecting, connected, reconnecting, offline or stopped */
  get status() { return this.#status; }

  /** @returns {{code: string, message: string} | null} why the connection stopped for good */
  get stopReason() { return this.#stopReason; }

  /** @param {string} status @param {Record<string, unknown>} [info] */
  #setStatus(status, info = {}) {
    this.#status = status;
    this.emit('status', { status, ...info });
  }

  start() {
    this.#stopReason = null;
    this.#attempt = 0;
    this.#authFailures = 0;
    this.#tooBig = 0;
    this.#open();
  }

  /** Stops for good (until start()). @param {string} [code] @param {string} [message] */
  stop(code = 'closed', message = '') {
    this.#stopReason = { code, message };
    this.#clearTimers();
    this.#detach(1000);
    this.#setStatus('stopped', { code, message });
  }

  #open() {
    this.#clearTimers();
    this.#detach(4000); // never leave an earlier socket behind
    const token = this.#opts.getToken();
    if (!token) { this.stop('auth', 'Not signed in.'); return; }
    this.#setStatus(this.#everOpened ? 'reconnecting' : 'connecting');
    let ws;
    try {
      ws = new this.#WebSocketImpl(this.#opts.url, [PROTOCOL, `bearer.${token}`]);
    } catch (e) {
      this.#closed(CLOSE.ABNORMAL, String(e));
      return;
    }
    this.#ws = ws;
    ws.onopen = () => {
      this.#timers.clearTimeout(this.#connectTimer);
      this.#everOpened = true;
      this.#wasOpen = true;
      this.#setStatus('connected', { protocol: ws.protocol });
      this.emit('open', { protocol: ws.protocol });
    };
    ws.onmessage = (/** @type {{data: unknown}} */ ev) => {
      if (typeof ev.data !== 'string') return; // binary is not part of the protocol
      let msg;
      try { msg = JSON.parse(ev.data); } catch { return; }
      this.#attempt = 0; // a working connection resets the backoff
      if (msg && msg.type === 'snapshot') this.#authFailures = 0;
      this.emit('message', msg);
    };
    ws.onerror = () => {};
    ws.onclose = (/** @type {{code: number, reason: string}} */ ev) => {
      if (this.#ws === ws) this.#closed(ev.code, ev.reason);
    };
    this.#connectTimer = this.#timers.setTimeout(() => {
      if (this.#ws === ws && ws.readyState !== 1) { this.#detach(); this.#closed(CLOSE.ABNORMAL, 'connect timeout'); }
    }, this.#opts.connectTimeout ?? 15000);
  }

  /** @param {number} [code] */
  #detach(code) {
    const ws = this.#ws;
    this.#ws = null;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    try { code === undefined ? ws.close() : ws.close(code); } catch { /* already closed */ }
  }

  /** @param {number} code @param {string} reason */
  #closed(code, reason) {
    const opened = this.#wasOpen; // false: the handshake failed (its HTTP status is not visible)
    this.#ws = null;
    this.#wasOpen = false;
    this.#timers.clearTimeout(this.#connectTimer);
    this.emit('close', { code, reason });
    if (this.#stopReason) return;
    if (code === CLOSE.FORBIDDEN) {
      // 4403 'access revoked': an administrator closed this user's sessions (DELETE /api/users/{id}/sessions)
      this.stop(reason === REVOKED_REASON ? 'revoked' : 'forbidden', reason);
      return;
    }
    if (code === CLOSE.UNSUPPORTED || (code === CLOSE.TOO_BIG && ++this.#tooBig > 2)) {
      this.stop('protocol', reason); // a client bug: retrying would fail the same way
      return;
    }
    if (!this.#online) { this.#setStatus('offline'); return; }
    if (!opened && this.#opts.probe && code !== CLOSE.TOKEN) {
      this.#setStatus('reconnecting', { code, reason });
      this.#opts.probe().then((verdict) => {
        if (this.#stopReason || this.#ws) return;
        if (verdict === 'auth') this.#tokenRejected('Your session has expired.');
        else if (verdict === 'forbidden') this.stop('forbidden', 'You do not have access to this document.');
        else if (verdict === 'invalid') this.stop('invalid', 'This document id is not valid.');
        else this.#scheduleRetry(code, reason);
      }, () => { if (!this.#stopReason && !this.#ws) this.#scheduleRetry(code, reason); });
      return;
    }
    if (code === CLOSE.TOKEN) { this.#tokenRejected(reason); return; }
    this.#scheduleRetry(code, reason);
  }

  /** 4401 or a 401 handshake: get a new token, then reconnect. @param {string} reason */
  #tokenRejected(reason) {
    this.#authFailures++;
    const refresh = this.#opts.refreshToken;
    if (!refresh || this.#authFailures > 2) { this.stop('auth', reason); return; }
    this.#setStatus('reconnecting', { code: CLOSE.TOKEN, reason });
    refresh().then(
      (token) => { if (!this.#stopReason) { if (token) this.#scheduleRetry(CLOSE.TOKEN, reason); else this.stop('auth', reason); } },
      () => { if (!this.#stopReason) this.#scheduleRetry(CLOSE.TOKEN, reason); });
  }

  /** @param {number} code @param {string} reason */
  #scheduleRetry(code, reason) {
    let delay = backoffDelay(this.#attempt++, this.#base, this.#cap, this.#random);
    if (code === CLOSE.RATE_LIMITED) delay = Math.max(delay, this.#opts.rateLimitDelay ?? 5000);
    this.#setStatus('reconnecting', { code, reason, delay });
    this.#timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = this.#timers.setTimeout(() => { this.#retryTimer = null; this.#open(); }, delay);
  }

  #clearTimers() {
    this.#timers.clearTimeout(this.#retryTimer);
    this.#timers.clearTimeout(this.#connectTimer);
    this.#retryTimer = this.#connectTimer = null;
  }

  /** @param {Record<string, unknown>} msg @returns {boolean} false when not connected */
  send(msg) {
    if (!this.#ws || this.#ws.readyState !== 1) return false;
    this.#ws.send(JSON.stringify(msg));
    return true;
  }

  get connected() { return !!this.#ws && this.#ws.readyState === 1; }

  /** Simulates a network cut: drops the socket without a close handshake, then reconnects. */
  drop() {
    if (!this.#ws) return;
    this.#detach(4000);
    this.#closed(CLOSE.ABNORMAL, 'connection dropped');
  }

  /** Reconnects now (e.g. when the browser comes back online or state must be refreshed). */
  reconnectNow() {
    if (this.#stopReason) return;
    if (this.#ws) { this.#detach(4000); this.emit('close', { code: CLOSE.ABNORMAL, reason: 'reconnect' }); }
    this.#open();
  }

  /** Browser online/offline notifications. @param {boolean} online */
  setOnline(online) {
    this.#online = online;
    if (this.#status === 'idle') return; // not started yet
    if (online && !this.#ws && !this.#stopReason) { this.#attempt = 0; this.#open(); }
    else if (!online && !this.#ws && !this.#stopReason) { this.#clearTimers(); this.#setStatus('offline'); }
  }
}

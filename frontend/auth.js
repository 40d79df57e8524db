// @ts-check
/**
 * Session token handling: dev-token sign-in, expiry, per-tab storage.
 * The token is only ever sent in a request header or a WebSocket subprotocol, never in a URL.
 */

/** @typedef {{token: string, name: string, expiresAt: number | null, refreshable: boolean}} Session */

const KEY = 'coedit.session';

/**
 * Decodes a JWT payload without verifying anything (the server does that).
 * @param {string} token
 * @returns {Record<string, any> | null}
 */
export function decodeJwtPayload(token) {
  const parts = String(token).split('.');
  if (parts.length < 2) return null;
  try {
    let b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    b64 += '='.repeat((4 - (b64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const payload = JSON.parse(new TextDecoder().decode(bytes));
    return payload && typeof payload === 'object' ? payload : null;
  } catch {
    return null;
  }
}

/** @param {string} token @returns {number | null} `exp` in ms since the epoch */
export function decodeJwtExp(token) {
  const exp = decodeJwtPayload(token)?.exp;
  return typeof exp === 'number' ? exp * 1000 : null;
}

/**
 * Expiry from the server's `expiresAt` (ISO-8601), falling back to the JWT `exp`.
 * @param {string} token @param {unknown} [expiresAt]
 */
export function tokenExpiry(token, expiresAt) {
  if (typeof expiresAt === 'string') {
    const t = Date.parse(expiresAt);
    if (!Number.isNaN(t)) return t;
  }
  return decodeJwtExp(token);
}

/**
 * When to refresh: `lead` ms before expiry (at least `min` ms from now).
 * @param {number | null} expiresAt @param {number} now @param {number} [lead] @param {number} [min]
 * @returns {number | null} delay in ms, null when the expiry is unknown
 */
export function refreshDelay(expiresAt, now, lead = 60000, min = 5000) {
  if (expiresAt === null) return null;
  return Math.max(min, expiresAt - now - lead);
}

/**
 * POST /api/auth/dev-token {name} -> {token, expiresAt}. Sending the current (still valid) dev token renews it
 * for the same user, so a refresh keeps the user's identity (and colour) for the others.
 * @param {string} name
 * @param {typeof fetch} [fetchImpl]
 * @param {string} [currentToken]
 * @returns {Promise<Session>}
 */
export async function fetchDevToken(name, fetchImpl = globalThis.fetch, currentToken) {
  /** @type {Record<string, string>} */
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (currentToken) headers.Authorization = `Bearer ${currentToken}`;
  const res = await fetchImpl('/api/auth/dev-token', {
    method: 'POST',
    headers,
    body: JSON.stringify({ name }),
    credentials: 'same-origin',
  });
  if (!res.ok) {
    const err = new Error(res.status === 404 || res.status === 403
      ? 'Signing in with just a name is not enabled on this server. Paste a token instead.'
      : `Sign-in failed (HTTP ${res.status}).`);
    throw err;
  }
  const body = await res.json();
  if (!body || typeof body.token !== 'string' || !body.token) throw new Error('Sign-in failed: no token received.');
  return { token: body.token, name, expiresAt: tokenExpiry(body.token, body.expiresAt), refreshable: true };
}

/**
 * A pasted token: display name and expiry are read from the JWT when present.
 * @param {string} token
 * @returns {Session}
 */
export function sessionFromToken(token) {
  const t = token.trim();
  const p = decodeJwtPayload(t) || {};
  const name = String(p.name || p.preferred_username || p.sub || '');
  return { token: t, name, expiresAt: decodeJwtExp(t), refreshable: false };
}

/** Per-tab session storage (sessionStorage in the browser). */
export class TokenStore {
  /** @param {Storage | null} storage */
  constructor(storage) {
    this.storage = storage;
  }

  /** @returns {Session | null} */
  get() {
    try {
      const raw = this.storage?.getItem(KEY);
      const s = raw ? JSON.parse(raw) : null;
      return s && typeof s.token === 'string' ? s : null;
    } catch {
      return null;
    }
  }

  /** @param {Session} session */
  set(session) {
    try { this.storage?.setItem(KEY, JSON.stringify(session)); } catch { /* storage full or disabled */ }
  }

  clear() {
    try { this.storage?.removeItem(KEY); } catch { /* ignore */ }
  }
}

// @ts-check
/**
 * Page wiring: sign-in, document list, routing (#/d/{id}), status, people, toasts and
 * the `window.coedit` hooks for browser tests. User data only ever goes into textContent.
 */
import { TokenStore, fetchDevToken, sessionFromToken, refreshDelay } from './auth.js';
import { DocSession } from './session.js';
import { ERROR } from './connection.js';
import { EditorView } from './editor-view.js';
import { colorFor } from './presence.js';

const $ = (/** @type {string} */ id) => /** @type {any} */ (document.getElementById(id));
const store = new TokenStore(window.sessionStorage);
const RECENT_KEY = 'coedit.recent';
const ID_RE = /^[A-Za-z0-9._-]{1,128}$/;
/** @type {DocSession | null} */
let session = null;
/** @type {any} */
let refreshTimer = null;

const ERRORS = /** @type {Record<string, string>} */ ({
  [ERROR.BAD_MESSAGE]: 'The server did not understand a message from this page. Reload the page if this keeps happening.',
  [ERROR.INVALID_OP]: 'An edit did not fit the document; re-syncing your copy.',
  [ERROR.STALE_REVISION]: 'Your copy of the document was out of date; re-syncing.',
  [ERROR.RESYNC_REQUIRED]: 'The document changed on the server; re-syncing your copy.',
  [ERROR.FORBIDDEN]: 'You are not allowed to edit this document.',
  [ERROR.TOO_LARGE]: 'That change would make the document too large, so it was undone.',
  [ERROR.RATE_LIMITED]: 'You are sending changes very fast; they will be retried shortly.',
  [ERROR.UNAVAILABLE]: 'The server is busy; your changes will be retried.',
  [ERROR.OUTCOME_UNKNOWN]: 'The server cannot tell whether your last change was saved, so it was not sent again. '
    + 'Your text is below: compare it with the document and copy back what is missing.',
});
const STOPPED = /** @type {Record<string, string>} */ ({
  auth: 'Signed out: your session expired. Sign in again to keep editing (your text is kept).',
  forbidden: 'No access: you are not allowed to open this document.',
  revoked: 'Your access was revoked by an administrator.',
  invalid: 'This document id is not valid.',
  protocol: 'The server refused a message from this page. Reload the page to continue.',
  closed: 'Disconnected.',
});
const STATUS = /** @type {Record<string, string>} */ ({
  idle: 'Not connected', connecting: 'Connecting…', connected: 'Connected', 'read-only': 'Read-only',
  reconnecting: 'Reconnecting…', offline: 'Offline',
});

// ---------- toasts ----------
/** @param {string} text @param {'info' | 'error'} [kind] @param {number} [ms] */
function toast(text, kind = 'info', ms = kind === 'error' ? 10000 : 6000) {
  const el = document.createElement('div');
  el.className = `toast toast-${kind}`;
  if (kind === 'error') el.setAttribute('role', 'alert');
  const p = document.createElement('p');
  p.textContent = text;
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'toast-close';
  close.textContent = '×';
  close.setAttribute('aria-label', 'Dismiss notification');
  close.addEventListener('click', () => el.remove());
  el.append(p, close);
  $('toasts').append(el);
  setTimeout(() => el.remove(), ms);
}

// ---------- views and routing ----------
/** @param {'signin' | 'home' | 'editor'} name */
function show(name) {
  for (const v of ['signin', 'home', 'editor']) $(`view-${v}`).hidden = v !== name;
  const auth = store.get();
  $('account').hidden = !auth;
  $('who').textContent = auth ? `Signed in as ${auth.name || 'token user'}` : '';
}

function route() {
  const match = /^#\/d\/([^/]+)$/.exec(location.hash);
  const docId = match ? decodeURIComponent(match[1]) : null;
  if (!store.get()) { show('signin'); $('name').focus(); return; }
  if (docId && ID_RE.test(docId)) { openDoc(docId); return; }
  if (session) { session.stop(); session = null; }
  renderRecent();
  show('home');
  setStatus({ status: 'idle', pending: false, stopReason: null });
}

// ---------- sign-in and token refresh ----------
/** @param {import('./auth.js').Session} auth */
function signedIn(auth) {
  store.set(auth);
  scheduleRefresh();
  $('signin-error').textContent = '';
  if (session && session.conn.stopReason?.code === 'auth') session.conn.start();
  route();
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  const auth = store.get();
  const delay = auth ? refreshDelay(auth.expiresAt, Date.now()) : null;
  if (!auth || delay === null) return;
  refreshTimer = setTimeout(async () => {
    if (!auth.refreshable) { toast('Your access token expires in about a minute. Paste a new one to keep editing.', 'error'); return; }
    try {
      const token = await refreshToken();
      if (token) session?.sendAuth(token);
    } catch { /* retried by refreshToken */ }
  }, delay);
}

/** @returns {Promise<string | null>} a fresh dev token, or null when this sign-in cannot be refreshed */
async function refreshToken() {
  const auth = store.get();
  if (!auth || !auth.refreshable) return null;
  try {
    const fresh = await fetchDevToken(auth.name, undefined, auth.token);
    store.set(fresh);
    scheduleRefresh();
    return fresh.token;
  } catch {
    refreshTimer = setTimeout(scheduleRefresh, 30000);
    throw new Error('refresh failed');
  }
}

$('signin-form').addEventListener('submit', async (/** @type {Event} */ e) => {
  e.preventDefault();
  const name = $('name').value.trim();
  if (!name) { $('signin-error').textContent = 'Please type a display name.'; $('name').focus(); return; }
  $('sign-in').disabled = true;
  try { signedIn(await fetchDevToken(name)); } catch (err) { $('signin-error').textContent = /** @type {Error} */ (err).message; }
  $('sign-in').disabled = false;
});

$('token-form').addEventListener('submit', (/** @type {Event} */ e) => {
  e.preventDefault();
  const auth = sessionFromToken($('token').value);
  if (!auth.token) { $('signin-error').textContent = 'Please paste a token.'; return; }
  if (auth.expiresAt !== null && auth.expiresAt <= Date.now()) { $('signin-error').textContent = 'This token has already expired.'; return; }
  $('token').value = '';
  signedIn(auth);
});

$('sign-out').addEventListener('click', () => {
  if (session && session.client.hasPending() && !confirm('Some changes are not saved yet. Sign out anyway?')) return;
  session?.stop();
  session = null;
  store.clear();
  clearTimeout(refreshTimer);
  route();
});

// ---------- documents ----------
/** @returns {string[]} */
function recent() {
  try { const list = JSON.parse(localStorage.getItem(RECENT_KEY) || '[]'); return Array.isArray(list) ? list.filter((x) => typeof x === 'string' && ID_RE.test(x)) : []; } catch { return []; }
}

/** @param {string} id */
function remember(id) {
  try { localStorage.setItem(RECENT_KEY, JSON.stringify([id, ...recent().filter((x) => x !== id)].slice(0, 12))); } catch { /* storage disabled */ }
}

function renderRecent() {
  const items = recent().map((id) => {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = `#/d/${encodeURIComponent(id)}`;
    a.textContent = id;
    li.append(a);
    return li;
  });
  $('recent').replaceChildren(...items);
  $('recent-empty').hidden = items.length > 0;
}

$('open-form').addEventListener('submit', (/** @type {Event} */ e) => {
  e.preventDefault();
  const id = $('doc-id').value.trim();
  if (!ID_RE.test(id) || id === '.' || id === '..') {
    $('open-error').textContent = 'A document id is 1 to 128 letters, digits, ".", "_" or "-".';
    $('doc-id').focus();
    return;
  }
  $('open-error').textContent = '';
  location.hash = `#/d/${encodeURIComponent(id)}`;
});

$('new-doc').addEventListener('click', () => {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  const id = Array.from(bytes, (b) => 'abcdefghijkmnpqrstuvwxyz23456789'[b % 32]).join('');
  location.hash = `#/d/${id}`;
});

$('copy-link').addEventListener('click', async () => {
  try { await navigator.clipboard.writeText(location.href); toast('Link copied.'); } catch { toast('Could not copy the link; copy it from the address bar.', 'error'); }
});

$('copy-rejected').addEventListener('click', async () => {
  try { await navigator.clipboard.writeText($('rejected-text').value); toast('Copied.'); } catch { $('rejected-text').select(); }
});

// ---------- editor ----------
const view = new EditorView($('editor'), $('mirror'), {
  onEdit: (op, meta) => { session?.localEdit(op, meta); $('history-note').textContent = ''; },
  onSelection: (start, end) => session?.setSelection(start, end),
  onCompose: (on) => session?.hold(on),
});
view.cursors = () => (session ? session.presence.cursors(view.value.length) : []);

// ---------- undo and redo (one's own edits only; the browser's own history never acts) ----------
/** @param {'undo' | 'redo'} which */
function historyStep(which) {
  if (!session || view.composing) return;
  view.flush(); // typing not yet turned into an op is the newest step
  const step = which === 'undo' ? session.undo() : session.redo();
  if (step && !step.op.isNoop()) view.applyOwn(step.op, step.caret);
}

function renderHistory() {
  const editable = !!session && session.loaded && session.canEdit;
  $('undo').disabled = !editable || !session?.history.canUndo();
  $('redo').disabled = !editable || !session?.history.canRedo();
}

$('editor').addEventListener('keydown', (/** @type {KeyboardEvent} */ e) => {
  if (!(e.ctrlKey || e.metaKey) || e.altKey || e.isComposing) return;
  // the letter as typed; on a layout without Latin letters, the key in the Z or Y position
  const key = /^[a-z]$/i.test(e.key) ? e.key.toLowerCase() : ({ KeyZ: 'z', KeyY: 'y' })[e.code] ?? '';
  const redo = (key === 'z' && e.shiftKey) || (key === 'y' && e.ctrlKey && !e.metaKey && !e.shiftKey);
  if (key === 'z' || redo) {
    e.preventDefault();
    historyStep(redo ? 'redo' : 'undo');
  }
});
// the Edit menu and the context menu reach the textarea as history inputs: they get our undo, never the browser's
$('editor').addEventListener('beforeinput', (/** @type {InputEvent} */ e) => {
  if (e.inputType === 'historyUndo' || e.inputType === 'historyRedo') {
    e.preventDefault();
    historyStep(e.inputType === 'historyUndo' ? 'undo' : 'redo');
  }
});
for (const which of /** @type {const} */ (['undo', 'redo'])) {
  $(which).addEventListener('click', () => { historyStep(which); $('editor').focus(); });
}

/** @param {string} docId */
function wsUrl(docId) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws/documents/${encodeURIComponent(docId)}`;
}

/** Why a WebSocket handshake failed, from the REST API (same token check). @param {string} docId */
async function probe(docId) {
  const token = store.get()?.token;
  const res = await fetch(`/api/documents/${encodeURIComponent(docId)}`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
  return res.status === 401 ? 'auth' : res.status === 403 ? 'forbidden' : res.status === 400 ? 'invalid' : 'ok';
}

/** @param {string} docId */
function openDoc(docId) {
  show('editor');
  $('doc-name').textContent = docId;
  document.title = `${docId} – Coedit`;
  if (session && session.docId === docId) return;
  session?.stop();
  remember(docId);
  view.reset('');
  view.setEditable(false);
  $('rejected').hidden = true;
  $('history-note').textContent = '';
  const s = new DocSession({ docId, url: wsUrl(docId), getToken: () => store.get()?.token ?? null, refreshToken, probe: () => probe(docId) });
  session = s;
  s.on('apply', ({ op }) => view.apply(op));
  s.on('history', renderHistory);
  s.on('history-cleared', () => {
    $('history-note').textContent = 'Undo history cleared: the document was replaced on the server.';
  });
  s.on('loaded', () => { if (document.activeElement === document.body) $('editor').focus(); });
  s.on('status', (st) => { setStatus(st); view.setEditable(s.loaded && s.canEdit); renderHistory(); });
  s.on('members', () => { renderMembers(); view.render(); });
  s.on('cursors', () => view.render());
  s.on('error', (e) => toast(ERRORS[e.code] || `Server error: ${e.message || e.code}`, 'error'));
  s.on('rejected', (info) => {
    toast(ERRORS[info.code] || 'Some changes could not be saved.', 'error');
    $('rejected-text').value = info.text;
    $('rejected').hidden = false;
  });
  s.on('event', (detail) => {
    const msg = detail.data && typeof detail.data.message === 'string' ? `: ${detail.data.message}` : '';
    toast(`${detail.name}${msg}`);
    window.dispatchEvent(new CustomEvent('coedit:event', { detail }));
  });
  s.conn.setOnline(navigator.onLine !== false);
  s.start();
}

/** @param {{status: string, pending: boolean, stopReason: {code: string, message: string} | null}} st */
function setStatus(st) {
  const el = $('status');
  const text = st.status === 'stopped' ? (STOPPED[st.stopReason?.code ?? 'closed'] || STOPPED.closed) : STATUS[st.status] || st.status;
  el.dataset.status = st.status;
  if (el.textContent !== text) el.textContent = text;
  const online = st.status === 'connected' || st.status === 'read-only';
  $('save-state').textContent = !session?.loaded ? '' : st.pending
    ? (online ? 'Saving…' : 'Not saved yet: your changes are kept and will be sent when the connection is back.')
    : 'All changes saved';
  if (st.status === 'stopped' && st.stopReason?.code === 'auth') {
    const auth = store.get();
    if (auth) $('name').value = auth.name;
    store.clear();
    show('signin');
    $('signin-error').textContent = STOPPED.auth;
  }
}

function renderMembers() {
  const items = (session ? session.presence.list() : []).map((m) => {
    const li = document.createElement('li');
    li.dataset.clientId = m.clientId;
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.backgroundColor = m.color;
    const name = document.createElement('span');
    name.textContent = m.clientId === session?.clientId ? `${m.user.name} (you)` : m.user.name;
    li.append(swatch, name);
    return li;
  });
  $('members').replaceChildren(...items);
}

// ---------- page-level ----------
window.addEventListener('hashchange', route);
window.addEventListener('online', () => session?.conn.setOnline(true));
window.addEventListener('offline', () => session?.conn.setOnline(false));
window.addEventListener('beforeunload', (e) => { if (session?.client.hasPending()) e.preventDefault(); });

/** Hooks for browser end-to-end tests. */
Object.defineProperty(window, 'coedit', {
  value: Object.freeze({
    state: () => (session ? session.state() : { docId: null, rev: -1, epoch: null, status: 'idle', pending: false, text: '', clientId: '', canEdit: false, members: [] }),
    dropConnection: () => session?.conn.drop(),
    colorFor,
  }),
});

scheduleRefresh();
route();

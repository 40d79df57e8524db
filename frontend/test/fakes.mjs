// Fake WebSocket and timers for connection/session tests.

export class FakeTimers {
  constructor() {
    this.now = 0;
    this.nextId = 1;
    /** @type {Map<number, {at: number, fn: () => void}>} */
    this.tasks = new Map();
    this.setTimeout = (/** @type {() => void} */ fn, /** @type {number} */ ms) => {
      const id = this.nextId++;
      this.tasks.set(id, { at: this.now + Math.max(0, ms), fn });
      return id;
    };
    this.clearTimeout = (/** @type {any} */ id) => { this.tasks.delete(id); };
  }

  /** Runs due tasks in time order up to now + ms. @param {number} ms */
  advance(ms) {
    const end = this.now + ms;
    for (;;) {
      let next = null;
      for (const [id, t] of this.tasks) if (t.at <= end && (!next || t.at < next[1].at)) next = [id, t];
      if (!next) break;
      this.tasks.delete(/** @type {number} */ (next[0]));
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = end;
  }

}

export class FakeWebSocket {
  /** @type {FakeWebSocket[]} */
  static instances = [];

  /** @param {string} url @param {string[]} protocols */
  constructor(url, protocols) {
    this.url = url;
    this.protocols = protocols;
    this.readyState = 0;
    this.protocol = '';
    /** @type {string[]} */
    this.sent = [];
    /** @type {any} */ this.onopen = null;
    /** @type {any} */ this.onmessage = null;
    /** @type {any} */ this.onclose = null;
    /** @type {any} */ this.onerror = null;
    /** @type {number | undefined} */ this.closedWith = undefined;
    FakeWebSocket.instances.push(this);
  }

  static last() { return FakeWebSocket.instances[FakeWebSocket.instances.length - 1]; }

  /** server side */
  serverOpen(protocol = 'coedit.v1') {
    this.readyState = 1;
    this.protocol = protocol;
    this.onopen?.({});
  }

  /** @param {any} msg */
  serverSend(msg) { this.onmessage?.({ data: typeof msg === 'string' ? msg : JSON.stringify(msg) }); }

  /** @param {number} code @param {string} [reason] */
  serverClose(code, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  /** client side */
  /** @param {string} data */
  send(data) {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(data);
  }

  /** @param {number} [code] */
  close(code) {
    this.closedWith = code ?? 1000;
    this.readyState = 3;
  }

  sentMessages() { return this.sent.map((s) => JSON.parse(s)); }
}

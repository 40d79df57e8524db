// The benchmark's load client for the Hocuspocus peer: the same schedule as Coedit's load generator
// (src/test/java/io/coedit/bench/Workloads.java), with Yjs edits through @hocuspocus/provider.
//
// node load.mjs --a=ws://127.0.0.1:P1 --b=ws://127.0.0.1:P2 --rate=1000 --docs=100 --writers=1 --readers=1
//               --seconds=20 --warmup=5 --out=result.json
//
// Writers sit on instance A, readers on B. Each writer keeps one edit in flight: an edit is acknowledged when the
// server's sync status brings the provider's unsynced changes back to 0. Every edit is timed from its intended send
// time (no coordinated omission): ack on the writer, and delivery to the last reader of the document, which finds
// the edit by its Yjs id (client, clock) in the updates it receives. The run fails when an edit does not reach every
// reader or the copies of a document differ at the end. The result is JSON with the latencies in microseconds.
//
// Every client applies every update of its document (Yjs has no server-side transform), which costs the client far
// more than the server: the clients are spread over one worker thread per core (--threads), as Coedit's load
// generator spreads its clients over threads, so that the peer is not held back by its load client.
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { HocuspocusProvider } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';

const now = () => Number(process.hrtime.bigint()); // CLOCK_MONOTONIC: one clock for every thread
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

if (isMainThread) {
  const args = Object.fromEntries(process.argv.slice(2).map((arg) => arg.replace(/^--/, '').split('=')));
  main(args).catch((error) => {
    writeFileSync(args.out, JSON.stringify({ achievedRate: 0, ops: 0, ack: [], delivery: [],
      failures: [String(error)] }));
    process.exit(1);
  });
} else {
  client(workerData);
}

/** Starts the workers, runs them in step, and computes what needs every thread's records. */
async function main(args) {
  const threads = Number(args.threads ?? availableParallelism());
  const options = {
    rate: Number(args.rate), docs: Number(args.docs), writers: Number(args.writers ?? 1),
    readers: Number(args.readers ?? 1), seconds: Number(args.seconds ?? 20), warmup: Number(args.warmup ?? 5),
    a: args.a, b: args.b, run: `${args.name ?? 'peer'}-${Date.now().toString(36)}`, threads,
  };
  const workers = Array.from({ length: threads }, (_, index) => new Worker(new URL(import.meta.url),
    { workerData: { ...options, index } }));
  workers.forEach((worker) => worker.on('error', (error) => {
    throw error;
  }));
  const ask = (type, extra = {}) => Promise.all(workers.map((worker) => new Promise((resolve) => {
    worker.once('message', resolve);
    worker.postMessage({ type, ...extra });
  })));
  await ask('open');
  const start = now() + 200e6;
  const measureFrom = start + options.warmup * 1e9;
  const measureUntil = measureFrom + options.seconds * 1e9;
  const ran = await ask('run', { start, measureFrom, measureUntil });
  const failures = ran.flatMap((r) => r.failures);

  // every edit reaches every reader of its document, and all copies of a document end equal
  let reports = [];
  let firstArrivals = new Map();
  const deadline = now() + 30e9;
  let missing = 0;
  let differing = [];
  const intended = new Map();
  do {
    reports = await ask('report');
    reports.forEach((r) => r.sent.forEach(([id, at]) => intended.set(id, at)));
    firstArrivals = byReader(reports);
    missing = [...intended.keys()].filter((id) => (firstArrivals.get(id)?.size ?? 0) < options.readers).length;
    const copies = new Map();
    reports.forEach((r) => Object.entries(r.texts).forEach(([doc, texts]) => {
      copies.set(doc, [...(copies.get(doc) ?? []), ...texts]);
    }));
    differing = [...copies.entries()].filter(([, texts]) => new Set(texts).size > 1).map(([doc]) => doc);
    if (missing === 0 && differing.length === 0) {
      break;
    }
    await sleep(100);
  } while (now() < deadline);
  differing.slice(0, 5).forEach((doc) => failures.push(`${doc}: the copies of the document differ`));
  if (missing > 0) {
    failures.push(`${missing} edits did not reach every reader`);
  }

  // delivery: to the last reader, each reader counted at the first time it got the edit
  const delivery = [];
  intended.forEach((at, id) => {
    const readers = firstArrivals.get(id);
    if (at >= measureFrom && readers?.size === options.readers) {
      delivery.push(Math.max(0, Math.round((Math.max(...readers.values()) - at) / 1000)));
    }
  });
  const unsent = reports.flatMap((r) => r.unsent);
  const ack = reports.flatMap((r) => r.ack);
  unsent.forEach((micros) => { // not spread: a saturated run leaves more than a call's arguments can hold
    ack.push(micros);
    delivery.push(micros);
  });
  const inTime = reports.reduce((sum, r) => sum + r.inTime, 0);
  writeFileSync(args.out, JSON.stringify({
    achievedRate: inTime / options.seconds, ops: ack.length, ack, delivery, failures,
  }));
  await ask('close');
  process.exit(0);
}

/** Edit id -> (reader -> when that reader first got it), from every worker's records. */
function byReader(reports) {
  const first = new Map();
  reports.forEach((r) => r.received.forEach(([id, at, reader]) => {
    let readers = first.get(id);
    if (readers === undefined) {
      readers = new Map();
      first.set(id, readers);
    }
    if (!readers.has(reader) || readers.get(reader) > at) {
      readers.set(reader, at);
    }
  }));
  return first;
}

/** One worker thread: its share of the clients (every client whose number modulo the threads is its index). */
function client(options) {
  const mine = (n) => n % options.threads === options.index;
  const writers = [];
  const everyone = [];
  const sent = [];
  const received = [];
  const ack = [];
  const unsent = [];
  let inTime = 0;
  let measureFrom = Infinity;
  let measureUntil = Infinity;
  let seed = 20261202 + options.index;
  const random = () => {
    // mulberry32: the same edits in every run
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  const connect = (url, doc) => {
    const document = new Y.Doc();
    const provider = new HocuspocusProvider({ url, name: doc, document, token: 'bench', WebSocketPolyfill: WebSocket });
    const synced = new Promise((resolve, reject) => {
      provider.on('synced', resolve);
      setTimeout(() => reject(new Error(`${doc} did not sync in 60 s`)), 60_000).unref();
    });
    const connection = { doc, document, provider, text: document.getText('content'), synced };
    everyone.push(connection);
    return connection;
  };

  const writer = (connection) => {
    const state = { waiting: [], inFlight: null, next: 0 };
    const send = (at) => {
      const { document, text, doc } = connection;
      const id = `${doc}/${document.clientID}:${Y.getState(document.store, document.clientID)}`;
      sent.push([id, at]);
      state.inFlight = at;
      const insert = random() < 0.1 ? '😀' : String.fromCharCode(97 + Math.floor(random() * 26));
      text.insert(Math.floor(random() * (text.length + 1)), insert);
    };
    connection.provider.on('unsyncedChanges', ({ number }) => {
      if (number !== 0 || state.inFlight === null) {
        return;
      }
      const at = now();
      if (state.inFlight >= measureFrom) {
        ack.push(Math.max(0, Math.round((at - state.inFlight) / 1000)));
        if (at <= measureUntil) {
          inTime += 1;
        }
      }
      state.inFlight = null;
      if (state.waiting.length > 0) {
        send(state.waiting.shift());
      }
    });
    state.due = (at) => (state.inFlight === null ? send(at) : state.waiting.push(at));
    state.drained = () => state.inFlight === null && state.waiting.length === 0;
    writers.push(state);
  };

  let readers = 0;
  const reader = (connection) => {
    const name = `${options.index}:${readers++}`;
    connection.document.on('update', (update, origin) => {
      if (origin === null || origin === undefined) {
        return; // a local change: readers make none
      }
      const at = now();
      // a struct may hold several edits of one client (Yjs merges neighbours, e.g. in a sync): every clock counts
      for (const struct of Y.decodeUpdate(update).structs) {
        for (let clock = struct.id.clock; clock < struct.id.clock + struct.length; clock++) {
          received.push([`${connection.doc}/${struct.id.client}:${clock}`, at, name]);
        }
      }
    });
  };

  const run = async ({ start, measureFrom: from, measureUntil: until }) => {
    measureFrom = from;
    measureUntil = until;
    const interval = (1e9 * options.docs * options.writers) / options.rate;
    writers.forEach((w) => { w.next = start + random() * interval; });
    // sorted by the next due time; a writer goes back near the end, so the insertion scans little
    const schedule = writers.slice().sort((x, y) => x.next - y.next);
    while (schedule.length > 0) {
      const next = schedule.shift();
      if (next.next >= until) {
        break;
      }
      const wait = next.next - now();
      if (wait > 1e6) {
        await sleep(wait / 1e6);
      }
      // never before its intended time (a timer may fire early, a sub-millisecond wait has no timer): an edit sent
      // early could be delivered "before" it was due, a negative latency
      while (now() < next.next) {
        await new Promise((resolve) => setImmediate(resolve));
      }
      next.due(next.next);
      next.next += interval;
      let i = schedule.length;
      while (i > 0 && schedule[i - 1].next > next.next) {
        i -= 1;
      }
      schedule.splice(i, 0, next);
    }
    // edits that came due but were never sent (the server fell behind) are not sent after the run, so the check
    // compares settled documents; each counts with what it had waited so far, a lower bound
    const stoppedAt = now();
    writers.forEach((w) => {
      w.waiting.filter((at) => at >= measureFrom).forEach((at) => unsent.push(Math.round((stoppedAt - at) / 1000)));
      w.waiting.length = 0;
    });
    const quietBy = now() + 60e9;
    while (now() < quietBy && !writers.every((w) => w.drained())) {
      await sleep(50);
    }
    return { failures: writers.every((w) => w.drained()) ? [] : ['writers still had edits in flight 60 s after'] };
  };

  parentPort.on('message', async (message) => {
    if (message.type === 'open') {
      let n = 0;
      for (let d = 0; d < options.docs; d++) {
        const doc = `${options.run}-${d}`;
        for (let w = 0; w < options.writers; w++, n++) {
          if (mine(n)) {
            writer(connect(options.a, doc));
          }
        }
        for (let r = 0; r < options.readers; r++, n++) {
          if (mine(n)) {
            reader(connect(options.b, doc));
          }
        }
        if (everyone.length % 100 === 0) {
          await Promise.all(everyone.slice(-100).map((c) => c.synced));
        }
      }
      await Promise.all(everyone.map((c) => c.synced));
      parentPort.postMessage({});
    } else if (message.type === 'run') {
      parentPort.postMessage(await run(message));
    } else if (message.type === 'report') {
      const texts = {};
      everyone.forEach((c) => { (texts[c.doc] ??= []).push(c.text.toString()); });
      parentPort.postMessage({ texts, sent, received, ack, unsent, inTime });
    } else if (message.type === 'close') {
      everyone.forEach((c) => c.provider.destroy());
      parentPort.postMessage({});
    }
  });
}

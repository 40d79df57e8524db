// Regenerates vectors.json, the OT test vectors shared by the Java server and the JS client, from the ot.js
// reference implementation itself (npm package "ot": lib/text-operation.js, lib/server.js, lib/client.js).
// frontend/package.json has ot as a devDependency, so after `npm ci` in frontend/:
//
//   cd frontend && node ../src/test/resources/ot/generate-vectors.mjs > ../src/test/resources/ot/vectors.json
//
// (ot is resolved from the current directory.)
// Output is deterministic for a given SEED; the "invalid" cases encode Coedit's own validation rules, which are
// stricter than ot.js (ot.js accepts "" and 1.5 and ignores surrogate pairs).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(pathToFileURL(process.cwd() + '/'));
const { TextOperation, Server, Client } = require('ot');
const OT_VERSION = require('ot/package.json').version;

const SEED = 20240601;
let state = SEED >>> 0;
function random() { // mulberry32: tiny, seedable, good enough for test data
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const randomInt = (n) => Math.floor(random() * n); // 0..n-1
const pick = (items) => items[randomInt(items.length)];

// ASCII, Latin-1, Greek, CJK, a combining mark, and astral characters (surrogate pairs in UTF-16)
const ALPHABET = [...'abcdefghij XYZ\n.', 'é', 'ß', 'Ω', 'λ', '中', '文', '\u0301', '😀', '🎉', '👍', '🚀', '𝔸', '🇩', '🇪'];
const randomText = (codePoints) => Array.from({ length: codePoints }, () => pick(ALPHABET)).join('');

// ot.js's own test helper randomOperation, but cutting only between code points
function randomOperation(doc) {
  const codePoints = Array.from(doc);
  const op = new TextOperation();
  let i = 0;
  while (i < codePoints.length) {
    const r = random();
    const count = 1 + randomInt(Math.min(codePoints.length - i - 1, 20) + 1);
    if (r < 0.2) {
      op.insert(randomText(count));
      continue;
    }
    const units = codePoints.slice(i, i + count).join('').length;
    if (r < 0.4) op.delete(units); else op.retain(units);
    i += count;
  }
  if (random() < 0.3) op.insert(randomText(1 + randomInt(10)));
  return op;
}

function assertWholeCodePoints(op, doc, what) {
  let pos = 0;
  const inside = (p) => p > 0 && p < doc.length && /[\ud800-\udbff]/.test(doc[p - 1]) && /[\udc00-\udfff]/.test(doc[p]);
  for (const c of op.ops) {
    if (inside(pos)) throw new Error(`${what} splits a surrogate pair: ${JSON.stringify(op)} on ${JSON.stringify(doc)}`);
    if (typeof c === 'number') pos += Math.abs(c);
  }
}

const randomDoc = () => randomText(randomInt(4) === 0 ? randomInt(3) : randomInt(40));
const json = (op) => op.toJSON();

const apply = [];
const canonical = [];
const compose = [];
const transform = [];
const invert = [];

const handApply = [
  ['', ['hello']], ['abc', [-3]], ['abc', [3]], ['abc', [1, 'X', 2]], ['a😀b', [1, -2, 1]],
  ['a😀b', [1, '🎉', 3]], ['a😀b', [4, '👍']], ['😀', ['🚀', 2]], ['héllo', [1, -1, 'e', 3]],
  ['abc', [-3, 'xyz']], ['abc', ['x', -1, 2]], ['中文', [1, '\n', 1]],
];
for (const [doc, ops] of handApply) {
  const op = TextOperation.fromJSON(ops);
  apply.push({ doc, op: json(op), result: op.apply(doc) });
}
for (let n = 0; n < 150; n++) {
  const doc = randomDoc();
  const op = randomOperation(doc);
  assertWholeCodePoints(op, doc, 'op');
  apply.push({ doc, op: json(op), result: op.apply(doc) });
  invert.push({ doc, op: json(op), inverse: json(op.invert(doc)) });
}

// non-canonical inputs (split runs, delete before insert) and what ot.js's fromJSON makes of them
const handCanonical = [
  [], [1, 2, 3], [-1, -2], ['a', 'b'], [-2, 'x'], ['a', -1, 'b'], [-1, 'a', -1, 'b'], [1, -1, 'a', 1],
  [-1, 'a', 2, 'b', -3], ['😀', -1, '🎉'], [2, -1, -1, 'x', 'y', 3],
];
for (const ops of handCanonical) canonical.push({ op: ops, canonical: json(TextOperation.fromJSON(ops)) });
for (let n = 0; n < 60; n++) {
  const ops = Array.from({ length: 1 + randomInt(8) }, () => {
    const r = random();
    if (r < 0.35) return randomText(1 + randomInt(3));
    return (r < 0.7 ? -1 : 1) * (1 + randomInt(4));
  });
  canonical.push({ op: ops, canonical: json(TextOperation.fromJSON(ops)) });
}

function addCompose(doc, a, b) {
  const result = a.compose(b);
  if (result.apply(doc) !== b.apply(a.apply(doc))) throw new Error('ot.js compose disagrees with apply');
  compose.push({ doc, a: json(a), b: json(b), result: json(result) });
}
addCompose('abc', TextOperation.fromJSON([3, 'd']), TextOperation.fromJSON([-4]));
addCompose('abc', TextOperation.fromJSON(['x', 3]), TextOperation.fromJSON([-1, 3]));
addCompose('a😀b', TextOperation.fromJSON([1, -2, 1]), TextOperation.fromJSON([1, '🎉', 1]));
addCompose('', TextOperation.fromJSON(['ab']), TextOperation.fromJSON([1, 'X', 1]));
for (let n = 0; n < 150; n++) {
  const doc = randomDoc();
  const a = randomOperation(doc);
  const b = randomOperation(a.apply(doc));
  addCompose(doc, a, b);
}

function addTransform(doc, a, b) {
  const [aPrime, bPrime] = TextOperation.transform(a, b);
  const viaA = bPrime.apply(a.apply(doc));
  if (viaA !== aPrime.apply(b.apply(doc))) throw new Error('ot.js transform does not converge');
  if (!a.compose(bPrime).equals(b.compose(aPrime))) throw new Error('ot.js compose(a,b\') != compose(b,a\')');
  assertWholeCodePoints(aPrime, b.apply(doc), "a'");
  assertWholeCodePoints(bPrime, a.apply(doc), "b'");
  transform.push({ doc, a: json(a), b: json(b), aPrime: json(aPrime), bPrime: json(bPrime), result: viaA });
}
const handTransform = [
  ['', ['a'], ['b']], ['xy', [1, 'A', 1], [1, 'B', 1]], ['😀😀', [2, '🎉', 2], [2, '👍', 2]],
  ['abc', [1, 'X', 2], [-3]], ['abc', [-3], [1, 'X', 2]], ['abcdef', [1, -3, 2], [2, -3, 1]],
  ['abc', [-3], [-3]], ['abc', ['X', 3], [-1, 2]], ['abc', [3, 'X'], [2, -1]], ['abc', [1, -1, 1], [1, 'Y', -1, 1]],
];
for (const [doc, a, b] of handTransform) addTransform(doc, TextOperation.fromJSON(a), TextOperation.fromJSON(b));
for (let n = 0; n < 200; n++) {
  const doc = randomDoc();
  addTransform(doc, randomOperation(doc), randomOperation(doc));
}

// Coedit's validation on top of ot.js: the op is parsed, then checked against doc, reporting the first problem
const invalid = [
  { doc: 'abc', op: [1.5, 1.5], code: 'WRONG_COMPONENT_TYPE' },
  { doc: 'abc', op: [true, 2], code: 'WRONG_COMPONENT_TYPE' },
  { doc: 'abc', op: [3, null], code: 'WRONG_COMPONENT_TYPE' },
  { doc: 'abc', op: [[3]], code: 'WRONG_COMPONENT_TYPE' },
  { doc: 'abc', op: [{ retain: 3 }], code: 'WRONG_COMPONENT_TYPE' },
  { doc: 'abc', op: ['3', 0, 3], code: 'ZERO_LENGTH_COMPONENT' },
  { doc: 'abc', op: [3, ''], code: 'ZERO_LENGTH_COMPONENT' },
  { doc: 'abc', op: [2], code: 'BASE_LENGTH_MISMATCH' },
  { doc: 'abc', op: [4], code: 'BASE_LENGTH_MISMATCH' },
  { doc: 'abc', op: [-2, 'x'], code: 'BASE_LENGTH_MISMATCH' },
  { doc: '', op: [1], code: 'BASE_LENGTH_MISMATCH' },
  { doc: 'a😀b', op: [2, -1, 1], code: 'SPLITS_SURROGATE_PAIR' },
  { doc: 'a😀b', op: [-2, 2], code: 'SPLITS_SURROGATE_PAIR' },
  { doc: 'a😀b', op: [2, -2], code: 'SPLITS_SURROGATE_PAIR' },
  { doc: 'a😀b', op: [1, -1, 2], code: 'SPLITS_SURROGATE_PAIR' },
  { doc: 'a😀b', op: [2, 'x', 2], code: 'SPLITS_SURROGATE_PAIR' },
  { doc: '😀', op: [-1, 1], code: 'SPLITS_SURROGATE_PAIR' },
  { doc: 'ab', op: [1, '\ude00', 1], code: 'SPLITS_SURROGATE_PAIR' },
  { doc: 'ab', op: [1, 'x\ud83d', 1], code: 'SPLITS_SURROGATE_PAIR' },
  { doc: '', op: ['\ud83d'], code: 'SPLITS_SURROGATE_PAIR' },
];

// The tie rule as ot.js's own Server applies it: each submission is {rev, op} written against revision `rev`, and
// the server transforms it with the incoming op as the FIRST argument against every op accepted since.
const server = [];
function addServer(doc, submissions) {
  const s = new Server(doc);
  const applied = submissions.map(({ rev, op }) => json(s.receiveOperation(rev, TextOperation.fromJSON(op))));
  server.push({ doc, submissions, applied, result: s.document });
}
addServer('', [{ rev: 0, op: ['Ada'] }, { rev: 0, op: ['Bob'] }]);
addServer('xy', [{ rev: 0, op: [1, 'A', 1] }, { rev: 0, op: [1, 'B', 1] }, { rev: 0, op: [1, 'C', 1] }]);
addServer('😀😀', [{ rev: 0, op: [2, '🎉', 2] }, { rev: 0, op: [2, '👍', 2] }, { rev: 1, op: [4, '!', 2] }]);
addServer('hello', [{ rev: 0, op: [5, ' world'] }, { rev: 0, op: [-5, 'bye'] }, { rev: 1, op: [11, '.'] }]);
for (let n = 0; n < 60; n++) {
  const docs = [randomDoc()];
  const submissions = [];
  const s = new Server(docs[0]);
  const count = 2 + randomInt(6);
  for (let k = 0; k < count; k++) {
    const rev = randomInt(docs.length); // any revision the server has reached
    const op = randomOperation(docs[rev]);
    submissions.push({ rev, op: json(op) });
    const transformed = s.receiveOperation(rev, op);
    assertWholeCodePoints(transformed, docs[docs.length - 1], 'server op');
    docs.push(s.document);
  }
  addServer(docs[0], submissions);
}

// The other side, as ot.js's own Client does it: a server op arriving while `outstanding` (and maybe `buffer`) wait
// for their ack is transformed with the client's own op as the FIRST argument.
const client = [];
function addClient(doc, outstanding, buffer, serverOp) {
  const c = new Client(0);
  const sent = [];
  const appliedOps = [];
  c.sendOperation = (rev, op) => sent.push(op);
  c.applyOperation = (op) => appliedOps.push(op);
  const out = TextOperation.fromJSON(outstanding);
  c.applyClient(out);
  let text = out.apply(doc);
  if (buffer) {
    const b = TextOperation.fromJSON(buffer);
    c.applyClient(b);
    text = b.apply(text);
  }
  c.applyServer(TextOperation.fromJSON(serverOp));
  const applied = appliedOps[0];
  const state = c.state;
  client.push({
    doc, outstanding, buffer, serverOp, applied: json(applied), result: applied.apply(text),
    outstandingPrime: json(state.outstanding), bufferPrime: state.buffer ? json(state.buffer) : null,
  });
}
addClient('', ['Ada'], null, ['Bob']);
addClient('abc', [1, 'L', 2], null, [1, 'R', 2]);
addClient('abc', [1, 'L', 2], [2, 'M', 2], [1, 'R', 2]);
addClient('a😀b', [3, '🎉', 1], null, [3, '👍', 1]);
while (client.length < 64) {
  const doc = randomDoc();
  const outstanding = randomOperation(doc);
  const buffer = random() < 0.5 ? randomOperation(outstanding.apply(doc)) : null;
  // a client has nothing outstanding for an edit that changes nothing
  if (outstanding.isNoop() || (buffer && buffer.isNoop())) continue;
  addClient(doc, json(outstanding), buffer && json(buffer), json(randomOperation(doc)));
}

const description = [
  `OT test vectors shared by the Coedit server (Java) and web client (JS), computed with ot.js ${OT_VERSION}`,
  '(npm "ot": lib/text-operation.js, lib/server.js and lib/client.js) by generate-vectors.mjs with seed ' + SEED + '.',
  'Operations use the ot.js JSON form: positive int = retain n, non-empty string = insert, negative int = delete n;',
  'lengths count UTF-16 code units. Every expected operation is canonical (as ot.js builds it: adjacent components',
  'merged, an insert before a delete at the same position). No operation here splits a surrogate pair.',
  'apply: {doc, op, result}: apply(doc, op) == result.',
  'canonical: {op, canonical}: parsing the possibly non-canonical op yields the canonical one (doc-free).',
  'compose: {doc, a, b, result}: compose(a, b) == result, where a applies to doc and b to apply(doc, a).',
  'transform: {doc, a, b, aPrime, bPrime, result}: transform(a, b) == [aPrime, bPrime] with a\'s insert first on',
  'ties; result == apply(apply(doc, a), bPrime) == apply(apply(doc, b), aPrime).',
  'invert: {doc, op, inverse}: invert(op, doc) == inverse.',
  'invalid: {doc, op, code}: parsing op and then applying it to doc fails with this Coedit error code (Coedit rules,',
  'stricter than ot.js); checks run in this order: component types/zero length, base length, surrogate pairs.',
  'server: {doc, submissions: [{rev, op}], applied, result}: ot.js Server.receiveOperation fed each submission in',
  'order (op written against revision rev) stores applied[i] and ends with result; the incoming op is the first',
  'argument of transform, so of two inserts at one position the later-submitted one ends up first.',
  'client: {doc, outstanding, buffer, serverOp, applied, result, outstandingPrime, bufferPrime}: an ot.js Client',
  'with outstanding (and buffer) unacknowledged receives serverOp (written against doc); it applies `applied` to',
  'its text, giving result, and keeps outstandingPrime and bufferPrime; its own op is the first argument of',
  'transform, so of two inserts at one position its own ends up first, as the server will put it.',
].join(' ');

const section = (name, cases) =>
  `  ${JSON.stringify(name)}: [\n${cases.map((c) => '    ' + JSON.stringify(c)).join(',\n')}\n  ]`;
process.stdout.write('{\n  "description": ' + JSON.stringify(description) + ',\n' + [
  section('apply', apply), section('canonical', canonical), section('compose', compose),
  section('transform', transform), section('invert', invert), section('invalid', invalid),
  section('server', server), section('client', client),
].join(',\n') + '\n}\n');

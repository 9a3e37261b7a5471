// Unit tests of the pure client core (position keys, BoardState, BoardReplica). They run in the
// browser from test.html (the browser test opens it and reads the result), or in any ES module
// runtime: `runAll()` returns {passed, failed, results}.

import { keyBetween, isValidKey, spacedKeys } from '../fractional-index.js';
import { BoardState, inverseOps } from '../board-state.js';
import { BoardReplica } from '../replica.js';
import { parseValue } from '../fields.js';

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

function eq(actual, expected, what = '') {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what} expected ${e} but got ${a}`);
}
function ok(cond, what) {
  if (!cond) throw new Error(what || 'expected true');
}

// ---- position keys: the vectors of the fractional-indexing package, which the server follows
test('keyBetweenMatchesTheReferenceVectors', () => {
  const cases = [
    [null, null, 'a0'], [null, 'a0', 'Zz'], [null, 'Zz', 'Zy'], ['a0', null, 'a1'], ['a1', null, 'a2'],
    ['a0', 'a1', 'a0V'], ['a1', 'a2', 'a1V'], ['a0V', 'a1', 'a0l'], ['Zz', 'a0', 'ZzV'], ['Zz', 'a1', 'a0'],
    [null, 'Y00', 'Xzzz'], ['bzz', null, 'c000'], ['a0', 'a0V', 'a0G'], ['a0', 'a0G', 'a08'],
    ['b125', 'b129', 'b127'], ['a0', 'a1V', 'a1'], ['Zz', 'a01', 'a0'], [null, 'a0V', 'a0'], [null, 'b999', 'b99'],
    ['az', null, 'b00'],
  ];
  for (const [a, b, want] of cases) eq(keyBetween(a, b), want, `keyBetween(${a}, ${b})`);
});

test('keyBetweenRefusesEqualOrInvalidNeighbours', () => {
  eq(keyBetween('a0', 'a0'), null);
  eq(keyBetween('a1', 'a0'), null);
  eq(keyBetween('a00', null), null, 'trailing zero is not a key');
  ok(!isValidKey('V'), 'a bare digit is not a key');
});

test('repeatedInsertionsStayOrderedAndValid', () => {
  let lo = 'a0';
  let hi = 'a1';
  for (let i = 0; i < 200; i++) {
    const m = keyBetween(lo, hi);
    ok(lo < m && m < hi && isValidKey(m), `between ${lo} and ${hi}: ${m}`);
    if (i % 2) lo = m; else hi = m;
  }
  const keys = spacedKeys(100);
  for (let i = 1; i < keys.length; i++) ok(keys[i - 1] < keys[i], 'spaced keys increase');
});

// ---- BoardState
const lane = (id, pos) => ({ kind: 'create', id, type: 'lane', parent: null, pos, fields: { title: id } });
const card = (id, parent, pos, fields = {}) => ({ kind: 'create', id, type: 'card', parent, pos, fields: { title: id, ...fields } });

test('siblingsOrderByPosThenId', () => {
  const s = new BoardState('b');
  s.apply(lane('L', 'a0'));
  s.apply(card('c2', 'L', 'a1'));
  s.apply(card('c1', 'L', 'a1'));
  s.apply(card('c0', 'L', 'a2'));
  s.apply(card('c9', 'L', 'Zz'));
  eq(s.children('L').map((x) => x.id), ['c9', 'c1', 'c2', 'c0']);
});

test('createWithoutPosGoesAfterTheLastSibling', () => {
  const s = new BoardState('b');
  s.apply(lane('L', 'a5'));
  s.apply({ kind: 'create', id: 'x', type: 'card', parent: 'L', fields: { title: 'x' } });
  s.apply({ kind: 'create', id: 'y', type: 'card', parent: 'L', fields: { title: 'y' } });
  eq(s.children('L').map((x) => [x.id, x.pos]), [['x', 'a0'], ['y', 'a1']]);
});

test('applyIsTotalAndIgnoresOpsThatDoNotFit', () => {
  const s = new BoardState('b');
  s.apply(lane('L', 'a0'));
  ok(!s.apply(lane('L', 'a1')), 'duplicate id');
  ok(!s.apply(card('c', 'missing', 'a0')), 'missing parent');
  ok(!s.apply(card('bad id!', 'L', 'a0')), 'malformed id');
  ok(!s.apply(card('c', 'L', 'V')), 'malformed pos');
  ok(!s.apply({ kind: 'set', id: 'nope', field: 'title', value: 'x' }), 'set on missing');
  ok(!s.apply({ kind: 'frobnicate', id: 'L' }), 'unknown kind');
  eq(s.items.size, 1);
});

test('setNullRemovesTheField', () => {
  const s = new BoardState('b');
  s.apply(lane('L', 'a0'));
  s.apply(card('c', 'L', 'a0', { status: 'todo' }));
  s.apply({ kind: 'set', id: 'c', field: 'status', value: null });
  eq(s.get('c').fields, { title: 'c' });
});

test('moveUnderOwnDescendantChangesNothing', () => {
  const s = new BoardState('b');
  s.apply(lane('L', 'a0'));
  s.apply(card('c', 'L', 'a0'));
  s.apply(card('d', 'c', 'a0'));
  ok(!s.apply({ kind: 'move', id: 'c', parent: 'd', pos: 'a0' }));
  ok(!s.apply({ kind: 'move', id: 'c', parent: 'c', pos: 'a0' }));
  eq(s.get('c').parent, 'L');
});

test('deleteRemovesTheSubtreeAndLinksToIt', () => {
  const s = new BoardState('b');
  s.apply(lane('L', 'a0'));
  s.apply({ kind: 'create', id: 'g', type: 'goal', parent: 'L', pos: 'a0', fields: { title: 'g' } });
  s.apply(card('c', 'L', 'a1'));
  s.apply(card('k', 'c', 'a0'));
  s.apply({ kind: 'link', id: 'c', to: { board: 'b', item: 'g' } });
  s.apply({ kind: 'link', id: 'c', to: { board: 'other', item: 'x' } });
  s.apply({ kind: 'delete', id: 'g' });
  eq(s.get('c').links, [{ board: 'other', item: 'x' }]);
  s.apply({ kind: 'delete', id: 'c' });
  ok(!s.has('c') && !s.has('k'), 'subtree removed');
  eq([...s.items.keys()], ['L']);
});

test('linkCyclesAndDuplicateLinksChangeNothing', () => {
  const s = new BoardState('b');
  s.apply({ kind: 'create', id: 'g1', type: 'goal', pos: 'a0', fields: { title: 'g1' } });
  s.apply({ kind: 'create', id: 'g2', type: 'goal', pos: 'a1', fields: { title: 'g2' } });
  ok(s.apply({ kind: 'link', id: 'g1', to: { board: 'b', item: 'g2' } }));
  ok(!s.apply({ kind: 'link', id: 'g1', to: { board: 'b', item: 'g2' } }), 'duplicate');
  ok(!s.apply({ kind: 'link', id: 'g2', to: { board: 'b', item: 'g1' } }), 'cycle');
  ok(!s.apply({ kind: 'link', id: 'g1', to: { board: 'b', item: 'g1' } }), 'self');
  ok(s.apply({ kind: 'unlink', id: 'g1', to: { board: 'b', item: 'g2' } }));
  eq(s.get('g1').links, []);
});

test('snapshotPlusTailEqualsFullReplay', () => {
  const ops = [lane('L', 'a0'), lane('M', 'a1'), card('c', 'L', 'a0'), card('d', 'L', 'a1'),
    { kind: 'move', id: 'c', parent: 'M', pos: 'a0' }, { kind: 'set', id: 'd', field: 'tags', value: ['x'] },
    { kind: 'delete', id: 'L' }, card('e', 'M', 'Zz')];
  const full = new BoardState('b');
  ops.forEach((o) => full.apply(o));
  const half = new BoardState('b');
  ops.slice(0, 4).forEach((o) => half.apply(o));
  const resumed = BoardState.fromSnapshot(JSON.parse(JSON.stringify(half.toJSON())), 'b');
  ops.slice(4).forEach((o) => resumed.apply(o));
  eq(resumed.toJSON(), full.toJSON());
});

test('inverseOpsRestoreTheState', () => {
  const s = new BoardState('b');
  s.apply(lane('L', 'a0'));
  s.apply(lane('M', 'a1'));
  s.apply(card('c', 'L', 'a0', { status: 'todo' }));
  s.apply(card('k', 'c', 'a0'));
  const before = JSON.stringify(s.toJSON());
  for (const op of [{ kind: 'set', id: 'c', field: 'status', value: 'done' }, { kind: 'set', id: 'c', field: 'due', value: '2026-01-02' },
    { kind: 'move', id: 'c', parent: 'M', pos: 'a0' }, { kind: 'delete', id: 'c' }, card('n', 'M', 'a5')]) {
    const inv = inverseOps(s, op);
    s.apply(op);
    inv.forEach((o) => s.apply(o));
    eq(JSON.stringify(s.toJSON()), before, `undo of ${op.kind}`);
  }
});

// ---- BoardReplica
function replicaWithLane() {
  const r = new BoardReplica('me', 'b');
  r.loadSnapshot({ L: { id: 'L', type: 'lane', parent: null, pos: 'a0', fields: { title: 'L' }, links: [] } }, 1);
  return r;
}

test('pendingOpsRebaseOnRemoteOps', () => {
  const r = replicaWithLane();
  const [p] = r.submit([card('mine', 'L', 'a1')]);
  ok(r.view.has('mine') && !r.confirmed.has('mine'), 'optimistic');
  eq(r.remote(2, card('theirs', 'L', 'a0'), 'other-1'), 'ok');
  eq(r.view.children('L').map((x) => x.id), ['theirs', 'mine']);
  eq(r.ack(p.cid, 3), 'ok');
  eq(r.pending.length, 0);
  eq(r.version, 3);
  ok(r.confirmed.has('mine'), 'confirmed after ack');
});

test('seqGapIsReported', () => {
  const r = replicaWithLane();
  eq(r.remote(3, card('x', 'L', 'a1'), 'o-1'), 'gap');
  eq(r.version, 1);
  const [p] = r.submit([card('y', 'L', 'a2')]);
  eq(r.ack(p.cid, 5), 'gap');
});

test('ackWithAssignedMembersAppliesTheServersCompletedForm', () => {
  const r = replicaWithLane();
  const [p] = r.submit([{ kind: 'create', id: 'z', type: 'm:t', parent: 'L', fields: { title: 'z' } }]);
  r.ack(p.cid, 2, { pos: 'a7', stage: 'applied' });
  eq(r.confirmed.get('z').pos, 'a7');
  eq(r.confirmed.get('z').fields.stage, 'applied');
});

test('rejectDropsTheOptimisticOp', () => {
  const r = replicaWithLane();
  const [p] = r.submit([{ kind: 'set', id: 'L', field: 'title', value: 'x'.repeat(300) }]);
  eq(r.view.get('L').fields.title.length, 300);
  r.reject(p.cid);
  eq(r.view.get('L').fields.title, 'L');
  ok(!r.canUndo, 'rejected op is not undoable');
});

test('resentOpAlreadyInSnapshotIsDroppedOnDuplicateAck', () => {
  const r = replicaWithLane();
  const [p] = r.submit([card('q', 'L', 'a1')]);
  r.loadSnapshot({ ...r.confirmed.toJSON(), q: { id: 'q', type: 'card', parent: 'L', pos: 'a1', fields: { title: 'q' }, links: [] } }, 7);
  eq(r.ack(p.cid, 2), 'ok');
  eq(r.pending.length, 0);
  ok(r.view.has('q'), 'still there');
});

test('ownOpInSinceReplayConfirmsThePendingOp', () => {
  const r = replicaWithLane();
  const [p] = r.submit([card('w', 'L', 'a1')]);
  eq(r.remote(2, card('w', 'L', 'a1'), p.cid), 'ok');
  eq(r.pending.length, 0);
  ok(r.confirmed.has('w'), 'confirmed');
});

test('undoRevertsOwnSetButNotSomeoneElsesLaterChange', () => {
  const r = replicaWithLane();
  const [p] = r.submit([{ kind: 'set', id: 'L', field: 'title', value: 'Mine' }]);
  r.ack(p.cid, 2);
  const u = r.takeUndo();
  eq(u.ops, [{ kind: 'set', id: 'L', field: 'title', value: 'L' }]);
  const [q] = r.submit([{ kind: 'set', id: 'L', field: 'title', value: 'Again' }]);
  r.ack(q.cid, 3);
  r.remote(4, { kind: 'set', id: 'L', field: 'title', value: 'Theirs' }, 'other-9');
  const u2 = r.takeUndo();
  eq(u2.ops, []);
  eq(u2.skipped, 1);
});

test('undoOfDeleteRecreatesTheSubtree', () => {
  const r = replicaWithLane();
  const [a] = r.submit([card('c', 'L', 'a1'), card('k', 'c', 'a0')]);
  r.ack(a.cid, 2);
  r.ack(r.pending[0].cid, 3);
  const [d] = r.submit([{ kind: 'delete', id: 'c' }]);
  r.ack(d.cid, 4);
  const u = r.takeUndo();
  eq(u.ops.map((o) => `${o.kind}:${o.id}`), ['create:c', 'create:k']);
});

// ---- field values
test('fieldValuesAreParsedAndCheckedLikeTheServerDoes', () => {
  eq(parseValue({ name: 'n', type: 'integer', min: 0 }, '4'), { value: 4 });
  ok(parseValue({ name: 'n', type: 'integer' }, '4.5').error, 'integer rejects fractions');
  ok(parseValue({ name: 'p', type: 'number', max: 100 }, '150').error, 'max');
  eq(parseValue({ name: 't', type: 'list' }, ' a, b ,,c '), { value: ['a', 'b', 'c'] });
  eq(parseValue({ name: 'd', type: 'date' }, ''), { value: null });
  ok(parseValue({ name: 'd', type: 'date' }, '1/2/2026').error, 'date format');
  ok(parseValue({ name: 'title', type: 'string', required: true }, '  ').error, 'required');
  ok(parseValue({ name: 's', type: 'enum', values: ['a'] }, 'b').error, 'enum');
  eq(parseValue({ name: 'b', type: 'boolean' }, true), { value: true });
});

export async function runAll() {
  const results = [];
  for (const t of tests) {
    try {
      await t.fn();
      results.push({ name: t.name, ok: true });
    } catch (e) {
      results.push({ name: t.name, ok: false, error: String(e && e.message || e) });
    }
  }
  const passed = results.filter((r) => r.ok).length;
  return { passed, failed: results.length - passed, results };
}

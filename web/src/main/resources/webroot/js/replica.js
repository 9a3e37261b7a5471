// The client's replica of one board: confirmed state (server ops applied in seq order) plus the
// client's own pending ops applied optimistically on top. The view is rebuilt from both on every
// ack, reject and remote op ("rebase"), so a pending op always lands on the newest known state.
//
// Also keeps the undo/redo history of the client's own edits. An undo entry holds, per own op,
// the inverse ops; once the op is acked the inverse is recomputed from the confirmed state just
// before the op's seq (the exact server order), and `touches` remembers the seq of the latest
// change *by someone else* to each item/field, so an undo never reverts other people's work.
//
// Pure: no DOM, no socket. The caller persists `pendingForStorage()` and sends ops.

import { BoardState, inverseOps } from './board-state.js';

const FIELD = '\u0000';

/** The op completed with the ack's `assigned` members (CONTRACT §4: the server's completed form). */
export function withAssigned(op, assigned) {
  const out = { ...op };
  if (assigned.pos != null && (op.kind === 'create' || op.kind === 'move')) out.pos = assigned.pos;
  if (assigned.stage != null && op.kind === 'create') out.fields = { ...(op.fields || {}), stage: assigned.stage };
  if (assigned.author != null && op.kind === 'create') out.fields = { ...(out.fields || op.fields || {}), author: assigned.author };
  return out;
}

export class BoardReplica {
  /** @param {string} clientId prefix of this tab's cids; ops with other cids are "someone else". */
  constructor(clientId, boardId = "") {
    this.clientId = clientId;
    this.counter = 0;
    this.confirmed = new BoardState(boardId);
    this.boardId = boardId;
    this.version = 0;
    this.loaded = false;
    /** @type {{cid:string, op:object, entry?:object}[]} */
    this.pending = [];
    this.view = this.confirmed;
    /** item id → rollup object, from snapshots and `rollup` messages. */
    this.rollups = new Map();
    /** "id\0field" / "id\0@pos" / "id" → seq of the latest change by someone else. */
    this.touches = new Map();
    this.undoStack = [];
    this.redoStack = [];
    /** cid → {entry, index} for own ops that belong to an undo entry. */
    this.entryOfCid = new Map();
  }

  nextCid() {
    this.counter += 1;
    return `${this.clientId}-${this.counter}`;
  }

  isOwnCid(cid) {
    return typeof cid === 'string' && cid.startsWith(this.clientId + '-');
  }

  /** Replaces the confirmed state by a snapshot at `version` (first join, or a join too far behind). */
  loadSnapshot(items, version) {
    this.confirmed = BoardState.fromSnapshot(items, this.boardId);
    this.version = version;
    this.loaded = true;
    this.rollups.clear();
    for (const [id, it] of Object.entries(items || {})) if (it.rollup) this.rollups.set(id, it.rollup);
    this.rebuild();
  }

  /** Adds ops restored from storage (after a reload), keeping their original cids. */
  restorePending(list) {
    for (const p of list || []) {
      if (!p || !p.cid || !p.op || this.pending.some((q) => q.cid === p.cid)) continue;
      this.pending.push({ cid: p.cid, op: p.op });
    }
    this.rebuild();
  }

  pendingForStorage() {
    return this.pending.map((p) => ({ cid: p.cid, op: p.op }));
  }

  rebuild() {
    if (this.pending.length === 0) {
      this.view = this.confirmed;
      return;
    }
    const v = this.confirmed.clone();
    for (const p of this.pending) v.apply(p.op);
    this.view = v;
  }

  /**
   * Records and applies own ops optimistically; returns the pending entries to send.
   * `history`: 'edit' (a new edit: clears redo), 'undo' or 'redo' (fills the other stack), or
   * 'none' (not undoable, e.g. re-spacing).
   */
  submit(ops, history = 'edit') {
    const entry = { parts: [] };
    const out = [];
    let state = this.view;
    if (state === this.confirmed) state = this.confirmed.clone();
    for (const op of ops) {
      const inverse = inverseOps(state, op);
      state.apply(op);
      const cid = this.nextCid();
      const p = { cid, op };
      this.pending.push(p);
      out.push(p);
      entry.parts.push({ cid, op, inverse, seq: null });
      this.entryOfCid.set(cid, entry);
    }
    this.view = state;
    if (history === 'edit') {
      this.undoStack.push(entry);
      this.redoStack = [];
    } else if (history === 'undo') {
      this.redoStack.push(entry);
    } else if (history === 'redo') {
      this.undoStack.push(entry);
    }
    if (this.undoStack.length > 200) this.undoStack.shift();
    return out;
  }

  /**
   * The server acknowledged own op `cid` at `seq`; `assigned` ({pos?, stage?}) says what the server
   * filled in when the op left it out. Returns 'gap' if ops before `seq` are missing
   * (the caller rejoins with `since`), else 'ok'.
   */
  ack(cid, seq, assigned) {
    const i = this.pending.findIndex((p) => p.cid === cid);
    if (i < 0) return 'ok'; // a duplicate ack (re-sent cid) of an op already folded in
    if (seq <= this.version) {
      // Already part of the confirmed state (came in a snapshot or a `since` replay).
      this.pending.splice(i, 1);
      this.rebuild();
      return 'ok';
    }
    if (seq !== this.version + 1) return 'gap';
    const p = this.pending[i];
    // What the server filled in (pos, initial stage) is part of the op it logged.
    if (assigned && typeof assigned === 'object') p.op = withAssigned(p.op, assigned);
    this.confirmOwn(p, seq);
    this.pending.splice(i, 1);
    this.rebuild();
    return 'ok';
  }

  confirmOwn(p, seq) {
    const entry = this.entryOfCid.get(p.cid);
    if (entry) {
      const part = entry.parts.find((x) => x.cid === p.cid);
      // The exact inverse: computed on the state right before this op in server order.
      part.inverse = inverseOps(this.confirmed, p.op);
      part.seq = seq;
    }
    this.confirmed.apply(p.op);
    this.version = seq;
  }

  /** The server rejected own op `cid`: drop it (and its place in history). Returns the op or null. */
  reject(cid) {
    const i = this.pending.findIndex((p) => p.cid === cid);
    if (i < 0) return null;
    const [p] = this.pending.splice(i, 1);
    const entry = this.entryOfCid.get(cid);
    if (entry) {
      entry.parts = entry.parts.filter((x) => x.cid !== cid);
      this.entryOfCid.delete(cid);
    }
    this.rebuild();
    return p.op;
  }

  /** A confirmed op from the server (broadcast or `since` replay). Returns 'gap' or 'ok'. */
  remote(seq, op, cid) {
    if (seq <= this.version) return 'ok';
    if (seq !== this.version + 1) return 'gap';
    const i = this.pending.findIndex((p) => p.cid === cid);
    if (i >= 0 && this.isOwnCid(cid)) {
      // Our own op coming back in a `since` replay: its ack was lost with the old connection.
      this.confirmOwn(this.pending[i], seq);
      this.pending.splice(i, 1);
    } else {
      this.recordTouch(op, seq);
      this.confirmed.apply(op);
      this.version = seq;
    }
    this.rebuild();
    return 'ok';
  }

  recordTouch(op, seq) {
    const t = (k) => this.touches.set(k, seq);
    t(op.id);
    if (op.kind === 'set') t(op.id + FIELD + op.field);
    if (op.kind === 'move') t(op.id + FIELD + '@pos');
    if ((op.kind === 'create' || op.kind === 'move') && op.parent) t(op.parent);
  }

  touchedAfter(key, seq) {
    const s = this.touches.get(key);
    return s != null && seq != null && s > seq;
  }

  /** Whether an inverse op would revert someone else's later work (then it is skipped). */
  conflicts(inv, part) {
    const seq = part.seq; // null while pending: nothing can be ordered after it yet
    const v = this.view;
    switch (inv.kind) {
      case 'set':
        return !v.has(inv.id) || this.touchedAfter(inv.id + FIELD + inv.field, seq);
      case 'move':
        return !v.has(inv.id) || (inv.parent != null && !v.has(inv.parent)) || this.touchedAfter(inv.id + FIELD + '@pos', seq);
      case 'delete':
        return !v.has(inv.id) || v.subtree(inv.id).some((it) => this.touchedAfter(it.id, seq));
      case 'create':
        return v.has(inv.id) || (inv.parent != null && !v.has(inv.parent) && !part.inverse.some((o) => o.kind === 'create' && o.id === inv.parent));
      case 'link':
      case 'unlink':
        return !v.has(inv.id);
      default:
        return true;
    }
  }

  /** Ops undoing the newest own edit, conflicts removed; {ops, skipped}. Null if nothing to undo. */
  takeUndo() {
    return this.takeFrom(this.undoStack);
  }

  takeRedo() {
    return this.takeFrom(this.redoStack);
  }

  takeFrom(stack) {
    while (stack.length) {
      const entry = stack.pop();
      if (entry.parts.length === 0) continue;
      const ops = [];
      let skipped = 0;
      // Undo in reverse order of the original ops.
      for (const part of [...entry.parts].reverse()) {
        for (const inv of part.inverse) {
          if (this.conflicts(inv, part)) skipped++;
          else ops.push(inv);
        }
      }
      return { ops, skipped };
    }
    return null;
  }

  get canUndo() {
    return this.undoStack.some((e) => e.parts.length);
  }

  get canRedo() {
    return this.redoStack.some((e) => e.parts.length);
  }

  setRollup(item, rollup) {
    this.rollups.set(item, rollup);
  }
}

// The items of one board and apply(op): a port of the server's deterministic BoardState
// (CONTRACT §4). Every replica that applies ops 1..N holds the same items as the server's
// snapshot at version N.
//
// apply is total: an op that does not fit the state (unknown item, missing parent, a move under
// the item's own subtree, a duplicate create) changes nothing and returns false. Confirmed ops
// from the server always fit; the tolerance is for the client's own pending ops replayed on top
// of newer confirmed state, where e.g. the card was deleted meanwhile by someone else.

import { keyBetween, isValidKey } from './fractional-index.js';

const ITEM_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Whether `id` is a well-formed item id (CONTRACT §4: 1–64 of [A-Za-z0-9_-]). */
export function isItemId(id) {
  return typeof id === 'string' && ITEM_ID.test(id);
}

function copy(value) {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function sameLink(a, b) {
  return a.board === b.board && a.item === b.item;
}

/** Sibling order: pos (plain string comparison), then id. */
export function compareItems(a, b) {
  const pa = a.pos ?? '';
  const pb = b.pos ?? '';
  if (pa !== pb) return pa < pb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export class BoardState {
  /** @param {string} boardId needed to tell same-board links (checked and cleaned up) from others. */
  constructor(boardId = '') {
    this.boardId = boardId;
    /** @type {Map<string, {id,type,parent,pos,fields,links}>} */
    this.items = new Map();
  }

  /** A state holding the items of a snapshot (`{"id": item}`); rollups are kept elsewhere. */
  static fromSnapshot(items, boardId = '') {
    const s = new BoardState(boardId);
    for (const [id, it] of Object.entries(items || {})) {
      s.items.set(id, {
        id,
        type: it.type,
        parent: it.parent ?? null,
        pos: it.pos ?? '',
        fields: copy(it.fields || {}),
        links: copy(it.links || []),
      });
    }
    return s;
  }

  clone() {
    const s = new BoardState(this.boardId);
    for (const [id, it] of this.items) {
      s.items.set(id, { ...it, fields: copy(it.fields), links: it.links.map((l) => ({ ...l })) });
    }
    return s;
  }

  get(id) {
    return this.items.get(id);
  }

  has(id) {
    return this.items.has(id);
  }

  /** Children of `parent` (null: top level), in sibling order. */
  children(parent) {
    const out = [];
    for (const it of this.items.values()) if ((it.parent ?? null) === (parent ?? null)) out.push(it);
    return out.sort(compareItems);
  }

  /** The item and all items below it, parents before children. */
  subtree(id) {
    const root = this.items.get(id);
    if (!root) return [];
    const byParent = new Map();
    for (const it of this.items.values()) {
      if (it.parent == null) continue;
      if (!byParent.has(it.parent)) byParent.set(it.parent, []);
      byParent.get(it.parent).push(it);
    }
    const out = [];
    const walk = (it) => {
      out.push(it);
      for (const c of (byParent.get(it.id) || []).sort(compareItems)) walk(c);
    };
    walk(root);
    return out;
  }

  /** True if `candidate` is `id` or lies below it. */
  isInSubtree(candidate, id) {
    let cur = candidate;
    const seen = new Set();
    while (cur != null && !seen.has(cur)) {
      if (cur === id) return true;
      seen.add(cur);
      cur = this.items.get(cur)?.parent ?? null;
    }
    return false;
  }

  /** The position after the last child of `parent`, ignoring `except` (the item being moved). */
  posAtEnd(parent, except) {
    const sibs = this.children(parent).filter((it) => it.id !== except);
    const last = sibs.length ? sibs[sibs.length - 1].pos : null;
    return keyBetween(last || null, null);
  }

  /** Whether a same-board link from `from` to `target` closes a cycle of links. */
  linkWouldCycle(from, target) {
    if (from === target) return true;
    const seen = new Set();
    const todo = [target];
    while (todo.length) {
      const cur = todo.pop();
      if (seen.has(cur)) continue;
      seen.add(cur);
      const it = this.items.get(cur);
      if (!it) continue;
      for (const l of it.links) {
        if (l.board !== this.boardId) continue;
        if (l.item === from) return true;
        todo.push(l.item);
      }
    }
    return false;
  }

  /** Applies one op; returns true if the state changed. Never throws on well-formed ops. */
  apply(op) {
    if (!op || typeof op !== 'object') return false;
    switch (op.kind) {
      case 'create': {
        if (!isItemId(op.id) || this.items.has(op.id)) return false;
        if (typeof op.type !== 'string' || op.type === '') return false;
        const parent = op.parent ?? null;
        if (parent != null && !this.items.has(parent)) return false;
        if (op.pos != null && !isValidKey(op.pos)) return false;
        const fields = {};
        for (const [k, v] of Object.entries(op.fields || {})) if (v !== null && v !== undefined) fields[k] = copy(v);
        this.items.set(op.id, {
          id: op.id,
          type: op.type,
          parent,
          pos: op.pos ?? this.posAtEnd(parent, op.id),
          fields,
          links: [],
        });
        return true;
      }
      case 'set': {
        const it = this.items.get(op.id);
        if (!it || typeof op.field !== 'string' || op.field === '') return false;
        if (op.value === null || op.value === undefined) {
          if (!(op.field in it.fields)) return false;
          delete it.fields[op.field];
        } else {
          it.fields[op.field] = copy(op.value);
        }
        return true;
      }
      case 'move': {
        const it = this.items.get(op.id);
        if (!it) return false;
        const parent = op.parent ?? null;
        if (parent != null && (!this.items.has(parent) || this.isInSubtree(parent, op.id))) return false;
        if (op.pos != null && !isValidKey(op.pos)) return false;
        const pos = op.pos ?? this.posAtEnd(parent, op.id);
        if (it.parent === parent && it.pos === pos) return false;
        it.parent = parent;
        it.pos = pos;
        return true;
      }
      case 'delete': {
        if (!this.items.has(op.id)) return false;
        const removed = new Set(this.subtree(op.id).map((it) => it.id));
        for (const id of removed) this.items.delete(id);
        // Remaining items lose their links to removed items of this board.
        for (const it of this.items.values()) {
          if (it.links.some((l) => l.board === this.boardId && removed.has(l.item))) {
            it.links = it.links.filter((l) => !(l.board === this.boardId && removed.has(l.item)));
          }
        }
        return true;
      }
      case 'link': {
        const it = this.items.get(op.id);
        if (!it || !op.to || op.to.board == null || op.to.item == null) return false;
        if (it.links.some((l) => sameLink(l, op.to))) return false;
        if (op.to.board === this.boardId && (!this.items.has(op.to.item) || this.linkWouldCycle(op.id, op.to.item))) return false;
        it.links.push({ board: op.to.board, item: op.to.item });
        return true;
      }
      case 'unlink': {
        const it = this.items.get(op.id);
        if (!it || !op.to) return false;
        const before = it.links.length;
        it.links = it.links.filter((l) => !sameLink(l, op.to));
        return it.links.length !== before;
      }
      default:
        return false;
    }
  }

  /** Plain-object form comparable with the server's snapshot `items` (without rollups). */
  toJSON() {
    const out = {};
    for (const id of this.items.keys()) {
      const it = this.items.get(id);
      out[id] = { id, type: it.type, parent: it.parent, pos: it.pos, fields: copy(it.fields), links: copy(it.links) };
    }
    return out;
  }
}

/**
 * The ops that undo `op` when applied to the state *after* `op`, computed from `state`, the state
 * *before* it. Empty if `op` would change nothing.
 */
export function inverseOps(state, op) {
  switch (op.kind) {
    case 'create':
      return state.has(op.id) ? [] : [{ kind: 'delete', id: op.id }];
    case 'set': {
      const it = state.get(op.id);
      if (!it) return [];
      const prev = op.field in it.fields ? copy(it.fields[op.field]) : null;
      return [{ kind: 'set', id: op.id, field: op.field, value: prev }];
    }
    case 'move': {
      const it = state.get(op.id);
      if (!it) return [];
      return [{ kind: 'move', id: op.id, parent: it.parent, pos: it.pos }];
    }
    case 'delete': {
      const out = [];
      for (const it of state.subtree(op.id)) {
        out.push({ kind: 'create', id: it.id, type: it.type, parent: it.parent, pos: it.pos, fields: copy(it.fields) });
        for (const l of it.links) out.push({ kind: 'link', id: it.id, to: { ...l } });
      }
      return out;
    }
    case 'link': {
      const it = state.get(op.id);
      if (!it || it.links.some((l) => sameLink(l, op.to))) return [];
      return [{ kind: 'unlink', id: op.id, to: { ...op.to } }];
    }
    case 'unlink': {
      const it = state.get(op.id);
      if (!it || !it.links.some((l) => sameLink(l, op.to))) return [];
      return [{ kind: 'link', id: op.id, to: { ...op.to } }];
    }
    default:
      return [];
  }
}

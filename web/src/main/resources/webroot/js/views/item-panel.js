// The side panel for one item: its fields as inline-editable controls (from the type's field
// specs), workflow stage moves (only the stages the workflow allows next), goal rollup, links,
// comments, delete. It updates in place as remote changes arrive, without disturbing the
// control the user is typing in.

import { h, replaceChildren, colourFor, initials, newId } from '../dom.js';
import { get } from '../api.js';
import { session } from '../session.js';
import { describeError } from '../errors.js';
import { fieldControl, formatValue } from '../fields.js';
import { keyBetween } from '../fractional-index.js';
import { confirmDialog } from './dialog.js';
import { openLinkPicker } from './link-picker.js';

/**
 * Comments: CONTRACT v1 has no comment type and cards reject unknown non-numeric fields, so a
 * comment is a child `card` of the commented item, tagged "comment", with the text in `title`
 * (and `description` when longer than 200 characters) and the author's name in `assignee`.
 */
export function isComment(state, it) {
  if (it.type !== 'card' || !Array.isArray(it.fields.tags) || !it.fields.tags.includes('comment')) return false;
  const parent = it.parent && state.get(it.parent);
  return !!parent && parent.type !== 'lane';
}

const linkTitles = new Map(); // "board/item" → title, from snapshots of other boards

export class ItemPanel {
  constructor({ sync, types, board, canWrite, unitName, units, onClose }) {
    this.sync = sync;
    this.types = types;
    this.board = board;
    this.canWrite = canWrite;
    this.units = units;
    this.unitName = unitName;
    this.onClose = onClose;
    this.onClosed = null;
    this.itemId = null;
    this.controls = new Map();
    this.el = h('aside', { class: 'panel', id: 'item-panel', hidden: true, 'aria-labelledby': 'panel-title', role: 'complementary',
      onkeydown: (e) => { if (e.key === 'Escape') { e.stopPropagation(); this.close(); } } });
  }

  get view() {
    return this.sync.replica.view;
  }

  open(id, peers) {
    this.itemId = id;
    this.structure = null;
    this.el.hidden = false;
    this.build(peers);
    this.el.querySelector('#panel-title')?.focus();
  }

  close(notify = true) {
    if (!this.itemId) return;
    const id = this.itemId;
    this.itemId = null;
    this.el.hidden = true;
    this.el.replaceChildren();
    this.onClosed?.();
    if (notify) this.onClose?.(id);
  }

  destroy() {
    this.itemId = null;
  }

  submit(ops) {
    this.sync.submit(ops);
  }

  /** A key describing what the panel's structure depends on; rebuilt only when it changes. */
  structureKey(it) {
    const extra = Object.keys(it.fields).sort().join(',');
    const comments = this.view.children(it.id).map((c) => `${c.id}:${c.fields.title}`).join('|');
    return JSON.stringify([it.type, it.fields.stage, extra, it.links, comments, this.sync.replica.rollups.get(it.id)]);
  }

  refresh(peers) {
    this.lastPeers = peers;
    if (!this.itemId) return;
    const it = this.view.get(this.itemId);
    if (!it) {
      // A rebuild (e.g. someone commented) must not lose what the user is typing right now.
    const active = document.activeElement;
    const typing = active && this.el.contains(active) && active.id && 'value' in active
      ? { id: active.id, value: active.value, sel: [active.selectionStart, active.selectionEnd] } : null;
    replaceChildren(this.el, h('div', { class: 'panel-inner' },
        h('p', { class: 'error-box', role: 'alert', id: 'panel-title', tabIndex: -1 }, 'This item was deleted (it may have been someone else). Undo (Ctrl+Z) brings back your own deletions.'),
        h('button', { class: 'btn', onclick: () => this.close() }, 'Close')));
      this.structure = null;
      return;
    }
    if (this.structureKey(it) !== this.structure) {
      this.build(peers);
      return;
    }
    for (const [name, ctl] of this.controls) ctl.update(it.fields[name]);
    this.renderEditors(peers);
    const title = this.el.querySelector('#panel-title');
    if (title) title.textContent = it.fields.title || this.types.name(it.type);
  }

  renderEditors(peers) {
    const others = (peers || []).filter((p) => p.state && p.state.editing === this.itemId);
    if (this.editorsEl) {
      replaceChildren(this.editorsEl, others.length ? [h('span', { class: 'muted small' }, 'Also here: '),
        others.map((p) => h('span', { class: 'avatar small', title: p.user.name, style: { background: colourFor(p.user.id) } }, initials(p.user.name)))] : null);
    }
  }

  build(peers) {
    const it = this.view.get(this.itemId);
    if (!it) return this.refresh(peers);
    this.structure = this.structureKey(it);
    const type = this.types.get(it.type);
    const ro = !this.canWrite;
    this.controls = new Map();
    const set = (field, value) => {
      const cur = this.view.get(this.itemId)?.fields[field];
      if (JSON.stringify(cur ?? null) === JSON.stringify(value ?? null)) return;
      this.submit([{ kind: 'set', id: this.itemId, field, value }]);
    };
    const specs = type.fields.filter((f) => f.name !== 'stage');
    const known = new Set(type.fields.map((f) => f.name).concat(['stage']));
    // Numeric fields not in the spec (a goal metric carried by a card, CONTRACT §4).
    const extras = Object.keys(it.fields).filter((k) => !known.has(k) && typeof it.fields[k] === 'number')
      .map((k) => ({ name: k, label: `${k} (counts toward linked goals)`, type: 'number' }));
    const fieldEls = [...specs, ...extras].map((spec) => {
      const ctl = fieldControl(spec, it.fields[spec.name], { idPrefix: 'item', disabled: ro, units: this.units, onCommit: (v) => set(spec.name, v) });
      this.controls.set(spec.name, ctl);
      return ctl;
    });
    this.editorsEl = h('div', { class: 'panel-editors' });

    // A rebuild (e.g. someone commented) must not lose what the user is typing right now.
    const active = document.activeElement;
    const typing = active && this.el.contains(active) && active.id && 'value' in active
      ? { id: active.id, value: active.value, sel: [active.selectionStart, active.selectionEnd] } : null;
    replaceChildren(this.el, h('div', { class: 'panel-inner' },
      h('div', { class: 'panel-head' },
        h('span', { class: 'type-badge' }, type.icon ? `${type.icon} ` : '', type.name),
        h('span', { class: 'spacer' }),
        this.editorsEl,
        h('button', { class: 'icon-btn', 'aria-label': 'Close panel', id: 'panel-close', onclick: () => this.close() }, '×')),
      h('h2', { id: 'panel-title', tabIndex: -1 }, it.fields.title || type.name),
      type.unknown ? h('p', { class: 'muted small' }, `Type “${it.type}” is not known to this server (its module may be missing); fields are read only.`) : null,
      type.stages.length ? this.stageSection(it, type, ro) : null,
      it.type === 'goal' ? this.rollupSection(it) : null,
      h('div', { class: 'panel-fields' }, fieldEls),
      it.type !== 'lane' ? this.linksSection(it, ro) : null,
      it.type !== 'lane' ? this.commentsSection(it, ro) : null,
      ro ? null : h('div', { class: 'panel-foot' },
        h('button', { class: 'btn btn-danger', onclick: async () => {
          const n = this.view.subtree(it.id).length - 1;
          if (await confirmDialog(`Delete ${type.name.toLowerCase()}?`, `“${it.fields.title || it.id}”${n ? ` and ${n} item(s) inside it` : ''} will be deleted. Ctrl+Z undoes it.`)) {
            const id = this.itemId;
            this.close(false);
            this.submit([{ kind: 'delete', id }]);
          }
        } }, 'Delete'))));
    this.renderEditors(peers);
    if (typing) {
      const again = this.el.querySelector(`#${CSS.escape(typing.id)}`);
      if (again) {
        again.value = typing.value;
        again.focus({ preventScroll: true });
        try { again.setSelectionRange(...typing.sel); } catch { /* not a text control */ }
      }
    }
  }

  stageSection(it, type, ro) {
    const cur = type.stages.find((s) => s.id === it.fields.stage) || null;
    const next = cur ? cur.next.map((id) => type.stages.find((s) => s.id === id)).filter(Boolean) : type.stages.slice(0, 1);
    this.stageError = h('div', { class: 'field-error', role: 'alert', hidden: true });
    return h('section', { class: 'stage-section', 'aria-label': 'Workflow stage', dataset: { field: 'stage' } },
      h('ol', { class: 'stage-track' }, type.stages.map((s) => h('li', { class: s.id === it.fields.stage ? 'current' : '', 'aria-current': s.id === it.fields.stage ? 'step' : null }, s.name))),
      h('div', { class: 'stage-next' },
        h('span', { class: 'muted small' }, cur ? `Stage: ${cur.name}.` : 'No stage yet.'),
        ro ? null : next.length ? next.map((s) => h('button', { class: 'btn btn-small', onclick: () => this.submit([{ kind: 'set', id: it.id, field: 'stage', value: s.id }]) }, `Move to ${s.name}`))
          : h('span', { class: 'muted small' }, ' Final stage.')),
      this.stageError);
  }

  rollupSection(it) {
    const r = this.sync.replica.rollups.get(it.id) || { children: 0, done: 0, sum: 0, progress: 0 };
    const pct = Math.round(Math.max(0, Math.min(100, Number(r.progress) || 0)));
    const target = it.fields.target;
    return h('section', { class: 'rollup-section', 'aria-label': 'Goal progress' },
      h('div', { class: 'bar big', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct, 'aria-label': `Goal progress ${pct}%` },
        h('div', { class: 'bar-fill', style: { width: `${pct}%` } })),
      h('p', null, it.fields.metric && target != null ? `${r.sum} / ${target} ${it.fields.metric} (${pct}%)` : `${r.done} of ${r.children} linked items done (${pct}%)`),
      h('a', { class: 'btn btn-small', href: `#/board/${encodeURIComponent(this.board.id)}/linkage/${encodeURIComponent(it.id)}` }, 'Open linkage view'));
  }

  linksSection(it, ro) {
    const label = (l) => {
      const key = `${l.board}/${l.item}`;
      if (l.board === this.board.id) return this.view.get(l.item)?.fields.title || l.item;
      if (linkTitles.has(key)) return linkTitles.get(key);
      get(`/api/boards/${encodeURIComponent(l.board)}/snapshot`).then((s) => {
        for (const [id, x] of Object.entries(s.items || {})) linkTitles.set(`${l.board}/${id}`, `${x.fields?.title || id} (${s.board?.title || l.board})`);
        this.structure = null;
        this.refresh(this.lastPeers);
      }).catch(() => linkTitles.set(key, `${l.item} on board ${l.board} (not visible to you)`));
      return `${l.item} on ${l.board}`;
    };
    return h('section', { class: 'links-section', 'aria-labelledby': 'links-h' },
      h('h3', { id: 'links-h' }, 'Contributes to'),
      it.links.length ? h('ul', { class: 'link-list' }, it.links.map((l) => h('li', null,
        h('a', { href: `#/board/${encodeURIComponent(l.board)}/linkage/${encodeURIComponent(l.item)}` }, label(l)),
        ro ? null : h('button', { class: 'btn btn-ghost btn-small', 'aria-label': `Unlink from ${label(l)}`, onclick: () => this.submit([{ kind: 'unlink', id: it.id, to: { board: l.board, item: l.item } }]) }, 'Unlink'))))
        : h('p', { class: 'muted small' }, 'Not linked to any goal.'),
      ro ? null : h('button', { class: 'btn btn-small', id: 'link-to-goal', onclick: () => openLinkPicker({ item: it, boardId: this.board.id, onPick: (ops) => this.submit(ops) }) }, 'Link to goal…'));
  }

  commentsSection(it, ro) {
    const comments = this.view.children(it.id).filter((c) => isComment(this.view, c));
    const ta = h('textarea', { id: 'comment-text', rows: 2, maxlength: 20000, placeholder: 'Write a comment…', dataset: { focusKey: 'comment-text' } });
    const add = () => {
      const text = ta.value.trim();
      if (!text) return;
      const last = comments.length ? comments[comments.length - 1].pos : null;
      const fields = { title: text.length > 200 ? `${text.slice(0, 199)}…` : text, tags: ['comment'], assignee: session.user?.name || session.user?.username || 'someone' };
      if (text.length > 200) fields.description = text;
      this.submit([{ kind: 'create', id: newId('cm'), type: 'card', parent: it.id, pos: keyBetween(last || null, null), fields }]);
      ta.value = '';
    };
    return h('section', { class: 'comments-section', 'aria-labelledby': 'comments-h' },
      h('h3', { id: 'comments-h' }, `Comments (${comments.length})`),
      h('ol', { class: 'comment-list' }, comments.map((c) => h('li', { class: 'comment' },
        h('span', { class: 'avatar small', style: { background: colourFor(c.fields.assignee || '') }, 'aria-hidden': 'true' }, initials(c.fields.assignee)),
        h('div', null, h('div', { class: 'comment-author' }, c.fields.assignee || 'Someone'),
          h('div', { class: 'comment-text' }, c.fields.description || c.fields.title))))),
      ro ? null : h('div', { class: 'comment-form' },
        h('label', { class: 'sr-only', for: 'comment-text' }, 'New comment'), ta,
        h('button', { class: 'btn btn-small', onclick: add }, 'Comment')));
  }

  /** Shows a rejected op's error next to its field; returns true if it was shown in the panel. */
  showError(op, error) {
    if (!this.itemId || op.id !== this.itemId) return false;
    const field = error.details?.field || op.field;
    if (field === 'stage' && this.stageError) {
      this.stageError.textContent = describeError(error);
      this.stageError.hidden = false;
      return true;
    }
    const ctl = field && this.controls.get(field);
    if (ctl) {
      ctl.showError(describeError(error));
      ctl.update(this.view.get(this.itemId)?.fields[field]);
      return true;
    }
    return false;
  }
}

export { formatValue };

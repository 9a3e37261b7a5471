// The side panel for one item: its fields as inline-editable controls (from the type's field
// specs), workflow stage moves (only the stages the workflow allows next), goal rollup, links,
// comments, delete. It updates in place as remote changes arrive, without disturbing the
// control the user is typing in.

import { h, replaceChildren, colourFor, initials, newId } from '../dom.js';
import { get, del, ApiError } from '../api.js';
import { session } from '../session.js';
import { userName, searchUsers } from '../users.js';
import { describeError } from '../errors.js';
import { fieldControl, formatValue } from '../fields.js';
import { keyBetween } from '../fractional-index.js';
import { confirmDialog } from './dialog.js';
import { openLinkPicker } from './link-picker.js';

/** Comments and checklist entries: children of a card shown in its panel, never as cards of their own. */
export function isAnnex(it) {
  return it.type === 'comment' || it.type === 'check';
}

/** `{done, total}` of the checklist entries under an item (shown as `3/5` on the card). */
export function checklistProgress(view, id) {
  const checks = view.children(id).filter((c) => c.type === 'check');
  return { done: checks.filter((c) => c.fields.done === true).length, total: checks.length };
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
    // Only fields outside the type's spec change the panel's shape; a first value of a known field does not.
    const known = new Set(this.types.get(it.type).fields.map((f) => f.name));
    const extra = Object.keys(it.fields).filter((k) => !known.has(k)).sort().join(',');
    const comments = this.view.children(it.id).filter(isAnnex)
      .map((c) => JSON.stringify([c.id, c.type, c.fields.text, c.fields.author, c.fields.done, c.fields.assignee, c.fields.due])).join('|');
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
      it.type !== 'lane' && !isAnnex(it) ? this.linksSection(it, ro) : null,
      !['lane', 'comment', 'check'].includes(it.type) ? this.checklistSection(it, ro) : null,
      it.type !== 'lane' && !isAnnex(it) ? this.attachmentsSection(it, ro) : null,
      it.type !== 'lane' && !isAnnex(it) ? this.commentsSection(it, ro) : null,
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
    const comments = this.view.children(it.id).filter((c) => c.type === 'comment');
    const ta = h('textarea', { id: 'comment-text', rows: 2, maxlength: 20000, placeholder: 'Write a comment… (@ to mention)', dataset: { focusKey: 'comment-text' } });
    const suggest = h('ul', { class: 'mention-list', id: 'mention-list', role: 'listbox', hidden: true });
    attachMentions(ta, suggest);
    const rerender = () => { this.structure = null; this.refresh(this.lastPeers); };
    const add = () => {
      const text = ta.value.trim();
      if (!text) return;
      const last = comments.length ? comments[comments.length - 1].pos : null;
      const fields = { text };
      if (session.user?.id) fields.author = session.user.id;
      this.submit([{ kind: 'create', id: newId('cm'), type: 'comment', parent: it.id, pos: keyBetween(last || null, null), fields }]);
      ta.value = '';
    };
    const mine = (c) => c.fields.author && c.fields.author === session.user?.id;
    return h('section', { class: 'comments-section', 'aria-labelledby': 'comments-h' },
      h('h3', { id: 'comments-h' }, `Comments (${comments.length})`),
      h('ol', { class: 'comment-list' }, comments.map((c) => {
        const who = userName(c.fields.author, rerender);
        return h('li', { class: 'comment', dataset: { id: c.id } },
          h('span', { class: 'avatar small', style: { background: colourFor(c.fields.author || '') }, 'aria-hidden': 'true' }, initials(who)),
          h('div', { class: 'comment-body' }, h('div', { class: 'comment-author' }, who),
            h('div', { class: 'comment-text' }, renderMentions(c.fields.text || '')),
            !ro && (mine(c) || session.canManage) ? h('button', { class: 'btn btn-ghost btn-small comment-delete', 'aria-label': 'Delete comment',
              onclick: () => this.submit([{ kind: 'delete', id: c.id }]) }, 'Delete') : null));
      })),
      ro ? null : h('div', { class: 'comment-form' },
        h('label', { class: 'sr-only', for: 'comment-text' }, 'New comment'), ta, suggest,
        h('button', { class: 'btn btn-small', id: 'comment-submit', onclick: add }, 'Comment')));
  }

  attachmentsSection(it, ro) {
    const base = `/api/boards/${encodeURIComponent(this.board.id)}/items/${encodeURIComponent(it.id)}/attachments`;
    const list = h('ul', { class: 'attachment-list', id: 'attachment-list' }, h('li', { class: 'muted small' }, 'Loading…'));
    const status = h('div', { class: 'upload-status', role: 'status' });
    const itemId = it.id;
    const load = async () => {
      try {
        const files = await get(base);
        if (this.itemId !== itemId) return;
        replaceChildren(list, files.length ? files.map((a) => h('li', { class: 'attachment', dataset: { id: a.id } },
          h('a', { href: '#', onclick: (e) => { e.preventDefault(); download(`${base}/${encodeURIComponent(a.id)}`, a.name); } }, a.name),
          h('span', { class: 'muted small' }, formatBytes(a.size)),
          ro ? null : h('button', { class: 'icon-btn', 'aria-label': `Delete attachment ${a.name}`, onclick: async () => {
            if (!await confirmDialog('Delete attachment?', `“${a.name}” will be deleted for everyone.`)) return;
            try { await del(`${base}/${encodeURIComponent(a.id)}`); } catch (e) { status.textContent = describeError(e); }
            load();
          } }, '×'))) : h('li', { class: 'muted small' }, 'No files attached.'));
      } catch (e) {
        replaceChildren(list, h('li', { class: 'field-error' }, describeError(e)));
      }
    };
    const upload = (file) => {
      const bar = h('progress', { class: 'upload-progress', max: 100, value: 0, 'aria-label': `Uploading ${file.name}` });
      replaceChildren(status, h('span', { class: 'small' }, `Uploading ${file.name}… `), bar);
      const form = new FormData();
      form.append('file', file, file.name);
      const xhr = new XMLHttpRequest();
      xhr.open('POST', base);
      xhr.setRequestHeader('Authorization', `Bearer ${session.token}`);
      xhr.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total); };
      xhr.onload = () => {
        if (xhr.status === 201) {
          replaceChildren(status, h('span', { class: 'small' }, `${file.name} attached.`));
        } else {
          let err = null;
          try { err = JSON.parse(xhr.responseText).error; } catch { /* not JSON */ }
          replaceChildren(status, h('span', { class: 'field-error', role: 'alert' },
            describeError(new ApiError(xhr.status, err?.code || 'INTERNAL', err?.message || `Upload failed (${xhr.status})`, err?.details))));
        }
        load();
      };
      xhr.onerror = () => replaceChildren(status, h('span', { class: 'field-error', role: 'alert' }, 'The upload failed: the server cannot be reached.'));
      xhr.send(form);
    };
    const input = h('input', { type: 'file', id: 'attachment-input', class: 'sr-only', multiple: true,
      onchange: (e) => { [...e.target.files].forEach(upload); e.target.value = ''; } });
    const zone = ro ? null : h('div', { class: 'dropzone', id: 'attachment-drop',
      ondragover: (e) => { if ([...(e.dataTransfer?.types || [])].includes('Files')) { e.preventDefault(); zone.classList.add('over'); } },
      ondragleave: () => zone.classList.remove('over'),
      ondrop: (e) => { e.preventDefault(); zone.classList.remove('over'); [...(e.dataTransfer?.files || [])].forEach(upload); } },
    'Drop files here or ', h('label', { for: 'attachment-input', class: 'link-like' }, 'choose files'), input);
    load();
    return h('section', { class: 'attachments-section', 'aria-labelledby': 'attachments-h' },
      h('h3', { id: 'attachments-h' }, 'Attachments'), list, zone, status);
  }

  checklistSection(it, ro) {
    const checks = this.view.children(it.id).filter((c) => c.type === 'check');
    const { done, total } = checklistProgress(this.view, it.id);
    const set = (c, field, value) => {
      const cur = this.view.get(c.id)?.fields[field];
      if (JSON.stringify(cur ?? null) === JSON.stringify(value ?? null)) return;
      this.submit([{ kind: 'set', id: c.id, field, value }]);
    };
    const input = h('input', { id: 'check-new', type: 'text', maxlength: 1000, placeholder: 'Add an entry…', dataset: { focusKey: 'check-new' },
      onkeydown: (e) => { if (e.key === 'Enter') { e.preventDefault(); addCheck(); } } });
    const addCheck = () => {
      const text = input.value.trim();
      if (!text) return;
      const last = checks.length ? checks[checks.length - 1].pos : null;
      this.submit([{ kind: 'create', id: newId('ck'), type: 'check', parent: it.id, pos: keyBetween(last || null, null), fields: { text, done: false } }]);
      input.value = '';
    };
    const move = (i, d) => {
      const j = i + d;
      if (j < 0 || j >= checks.length) return;
      // Place between the neighbours on the far side of the one swapped with.
      const lo = d < 0 ? (checks[j - 1]?.pos ?? null) : checks[j].pos;
      const hi = d < 0 ? checks[j].pos : (checks[j + 1]?.pos ?? null);
      this.submit([{ kind: 'move', id: checks[i].id, parent: it.id, pos: keyBetween(lo, hi) }]);
    };
    return h('section', { class: 'checklist-section', 'aria-labelledby': 'checklist-h' },
      h('h3', { id: 'checklist-h' }, 'Checklist ', h('span', { class: 'checklist-count', id: 'checklist-count' }, total ? `${done}/${total}` : '')),
      total ? h('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': done, 'aria-label': `Checklist ${done} of ${total} done` },
        h('div', { class: 'bar-fill', style: { width: `${Math.round((100 * done) / total)}%` } })) : null,
      h('ul', { class: 'check-list' }, checks.map((c, i) => h('li', { class: `check ${c.fields.done ? 'is-done' : ''}`, dataset: { id: c.id } },
        h('input', { type: 'checkbox', id: `check-done-${c.id}`, checked: c.fields.done === true, disabled: ro, 'aria-label': `Done: ${c.fields.text}`,
          onchange: (e) => set(c, 'done', e.target.checked) }),
        h('input', { type: 'text', class: 'check-text', id: `check-text-${c.id}`, value: c.fields.text || '', maxlength: 1000, disabled: ro, 'aria-label': 'Entry text',
          onchange: (e) => { const v = e.target.value.trim(); if (v) set(c, 'text', v); else e.target.value = c.fields.text || ''; } }),
        h('input', { type: 'text', class: 'check-assignee', id: `check-assignee-${c.id}`, value: c.fields.assignee || '', placeholder: 'assignee', disabled: ro, 'aria-label': 'Assignee',
          onchange: (e) => set(c, 'assignee', e.target.value.trim() || null) }),
        h('input', { type: 'date', class: 'check-due', id: `check-due-${c.id}`, value: c.fields.due || '', disabled: ro, 'aria-label': 'Due date',
          onchange: (e) => set(c, 'due', e.target.value || null) }),
        ro ? null : h('span', { class: 'check-actions' },
          h('button', { class: 'icon-btn', 'aria-label': 'Move up', disabled: i === 0, onclick: () => move(i, -1) }, '↑'),
          h('button', { class: 'icon-btn', 'aria-label': 'Move down', disabled: i === checks.length - 1, onclick: () => move(i, 1) }, '↓'),
          h('button', { class: 'icon-btn', 'aria-label': `Delete entry ${c.fields.text}`, onclick: () => this.submit([{ kind: 'delete', id: c.id }]) }, '×'))))),
      ro ? null : h('div', { class: 'check-form' },
        h('label', { class: 'sr-only', for: 'check-new' }, 'New checklist entry'), input,
        h('button', { class: 'btn btn-small', id: 'check-add', onclick: addCheck }, 'Add')));
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

/** Comment text with `@username` shown as a highlighted mention (as text nodes: never HTML). */
function renderMentions(text) {
  const out = [];
  const re = /(^|[^A-Za-z0-9_.-])@([A-Za-z0-9_.-]*[A-Za-z0-9_-])/g;
  let last = 0;
  let m;
  while ((m = re.exec(text))) {
    const at = m.index + m[1].length;
    if (at > last) out.push(text.slice(last, at));
    out.push(h('span', { class: 'mention' }, `@${m[2]}`));
    last = at + 1 + m[2].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** `@` in the textarea shows matching users; Enter/Tab or a click inserts `@username `. */
function attachMentions(ta, list) {
  let items = [];
  let index = 0;
  let token = null;
  let asks = 0;
  const close = () => { list.hidden = true; items = []; token = null; };
  const pick = (u) => {
    if (!token) return;
    const before = ta.value.slice(0, token.start);
    const after = ta.value.slice(ta.selectionStart);
    ta.value = `${before}@${u.username} ${after}`;
    const pos = before.length + u.username.length + 2;
    ta.setSelectionRange(pos, pos);
    close();
    ta.focus();
  };
  const show = () => {
    list.replaceChildren(...items.map((u, i) => h('li', { role: 'option', class: i === index ? 'active' : '', 'aria-selected': i === index ? 'true' : 'false',
      dataset: { username: u.username }, onmousedown: (e) => { e.preventDefault(); pick(u); } }, `@${u.username}`, h('span', { class: 'muted small' }, ` ${u.name || ''}`))));
    list.hidden = items.length === 0;
  };
  ta.addEventListener('input', async () => {
    const upto = ta.value.slice(0, ta.selectionStart);
    const m = /(^|\s)@([A-Za-z0-9_.-]{0,64})$/.exec(upto);
    if (!m) { close(); return; }
    const q = m[2];
    token = { start: upto.length - q.length - 1 };
    const asked = ++asks;
    try {
      const found = await searchUsers(q);
      // Answers may come back out of order while typing: only the newest question counts.
      if (!token || asked !== asks) return;
      items = found.slice(0, 8);
      index = 0;
      show();
    } catch { close(); }
  });
  ta.addEventListener('keydown', (e) => {
    if (list.hidden || !items.length) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      index = (index + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
      show();
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      pick(items[index]);
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      close();
    }
  });
  ta.addEventListener('blur', () => setTimeout(close, 150));
}

function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Downloads with the bearer token (a plain link cannot send it), then saves under the file's name. */
async function download(url, name) {
  const res = await fetch(url, { headers: { Authorization: `Bearer ${session.token}` } });
  if (!res.ok) return;
  const blob = await res.blob();
  const href = URL.createObjectURL(blob);
  const a = h('a', { href, download: name });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10000);
}

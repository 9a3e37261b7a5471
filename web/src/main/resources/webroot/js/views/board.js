// The board page: lanes and cards from the live replica, presence, filters, keyboard and
// drag-and-drop moves, undo/redo, and the item panel.

import { h, replaceChildren, initials, colourFor, newId } from '../dom.js';
import { get } from '../api.js';
import { session } from '../session.js';
import { describeError, toast, toastError } from '../errors.js';
import { BoardSync } from '../board-sync.js';
import { keyBetween, spacedKeys } from '../fractional-index.js';
import { TypeRegistry, STATUS_LABELS, parseValue, fieldControl } from '../fields.js';
import { menuButton, closeMenu } from './menu.js';
import { openDialog, confirmDialog } from './dialog.js';
import { ItemPanel, isAnnex, checklistProgress } from './item-panel.js';
import { openLinkPicker } from './link-picker.js';
import { subtreeIds } from './home.js';

const FILTER_KEYS = ['text', 'assignee', 'status', 'tag'];

/** Ops that put `movingId` at `index` among the children of `parent` (re-spacing if needed). */
export function placeOps(state, parent, index, movingId, filter = () => true) {
  const sibs = state.children(parent).filter((it) => it.id !== movingId && filter(it));
  const i = Math.max(0, Math.min(index, sibs.length));
  const before = i > 0 ? sibs[i - 1].pos : null;
  const after = i < sibs.length ? sibs[i].pos : null;
  const key = keyBetween(before || null, after || null);
  if (key != null && (before == null || key > before) && (after == null || key < after)) {
    return [{ kind: 'move', id: movingId, parent, pos: key }];
  }
  // No key fits between the neighbours (equal or adjacent keys): re-space the whole list.
  const ordered = [...sibs];
  ordered.splice(i, 0, { id: movingId, pos: null });
  const keys = spacedKeys(ordered.length);
  const ops = [];
  ordered.forEach((it, k) => {
    if (it.id === movingId || it.pos !== keys[k]) ops.push({ kind: 'move', id: it.id, parent, pos: keys[k] });
  });
  return ops;
}

function statusOf(it) {
  return it.fields.status ?? it.fields.stage ?? null;
}

export async function renderBoard(main, boardId) {
  replaceChildren(main, h('p', { class: 'muted' }, 'Opening board…'));
  let board;
  let modules = [];
  let units = [];
  try {
    board = await get(`/api/boards/${encodeURIComponent(boardId)}`);
  } catch (e) {
    replaceChildren(main, h('div', { class: 'page' }, h('h1', null, 'Board not available'),
      h('p', { class: 'error-box', role: 'alert' }, describeError(e)), h('p', null, h('a', { href: '#/' }, 'Back to the boards'))));
    return;
  }
  const [modRes, unitRes, enabledRes] = await Promise.allSettled([
    get('/api/modules'), get('/api/units'), get(`/api/units/${encodeURIComponent(board.unit)}/modules`)]);
  if (modRes.status === 'fulfilled') modules = modRes.value || [];
  if (unitRes.status === 'fulfilled') units = unitRes.value || [];
  const enabled = enabledRes.status === 'fulfilled'
    ? new Set((enabledRes.value || []).filter((m) => m.enabled).map((m) => m.id)) : null;
  const types = new TypeRegistry(modules);
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const me = session.user;
  const canWrite = session.isAdmin || (session.canEdit && units.length > 0 && subtreeIds(units, me.unit).has(board.unit))
    || (session.canEdit && units.length === 0);

  const sync = new BoardSync(boardId);
  const replica = sync.replica;
  const ui = {
    filters: { text: '', assignee: '', status: '', tag: '' },
    composer: null, // {lane, text, type}
    dragging: null,
    needsRender: false,
    rafPending: false,
    peers: [],
  };

  // ---- layout ----------------------------------------------------------------------------------
  const conn = h('div', { class: 'conn', id: 'conn-status', role: 'status', 'aria-live': 'polite', dataset: { status: 'connecting' } }, 'Connecting…');
  const presence = h('div', { class: 'presence', id: 'presence', role: 'group', 'aria-label': 'People on this board' });
  const undoBtn = h('button', { class: 'btn btn-ghost', id: 'undo-btn', title: 'Undo (Ctrl+Z)', onclick: () => doUndo(), disabled: true }, '↶ Undo');
  const redoBtn = h('button', { class: 'btn btn-ghost', id: 'redo-btn', title: 'Redo (Ctrl+Shift+Z)', onclick: () => doRedo(), disabled: true }, '↷ Redo');
  const filterBar = h('div', { class: 'filters', role: 'search', 'aria-label': 'Filter cards' });
  const goalsStrip = h('section', { class: 'goals-strip', 'aria-label': 'Board goals and unsorted items' });
  const lanesEl = h('div', { class: 'lanes', id: 'lanes', role: 'list', 'aria-label': 'Lanes' });
  const hiddenNote = h('p', { class: 'muted small filter-note', 'aria-live': 'polite' });
  const panel = new ItemPanel({ sync, types, board, canWrite, unitName, units, onClose: () => focusCard(panel.itemId) });
  const page = h('div', { class: 'board-page' },
    h('div', { class: 'board-head' },
      h('div', { class: 'board-titles' },
        h('a', { href: '#/', class: 'muted small back' }, '← Boards'),
        h('h1', { id: 'board-title' }, board.title),
        h('span', { class: 'muted' }, unitName.get(board.unit) || board.unit, canWrite ? '' : ' · read only')),
      h('div', { class: 'board-actions' }, presence, conn, undoBtn, redoBtn,
        canWrite ? h('button', { class: 'btn', id: 'add-lane', onclick: () => addLane() }, '+ Lane') : null)),
    filterBar, hiddenNote, goalsStrip, lanesEl);
  replaceChildren(main, page, panel.el);

  // ---- filters --------------------------------------------------------------------------------
  function renderFilters() {
    const cards = [...replica.view.items.values()].filter((it) => it.type !== 'lane' && !isAnnex(it));
    const assignees = [...new Set(cards.map((c) => c.fields.assignee).filter(Boolean))].sort();
    const tags = [...new Set(cards.flatMap((c) => (Array.isArray(c.fields.tags) ? c.fields.tags : [])))].sort();
    const statuses = [...new Set(cards.map(statusOf).filter(Boolean))].sort();
    const sel = (key, label, values, fmt = (v) => v) => h('label', { class: 'filter' }, h('span', null, label),
      h('select', { id: `filter-${key}`, dataset: { focusKey: `filter-${key}` }, onchange: (e) => { ui.filters[key] = e.target.value; scheduleRender(); } },
        h('option', { value: '' }, 'Any'),
        values.map((v) => h('option', { value: v, selected: ui.filters[key] === v }, fmt(v)))));
    replaceChildren(filterBar,
      h('label', { class: 'filter filter-text' }, h('span', null, 'Search'),
        h('input', { type: 'search', id: 'filter-text', placeholder: 'Title, description…', value: ui.filters.text, dataset: { focusKey: 'filter-text' },
          oninput: (e) => { ui.filters.text = e.target.value; scheduleRender(); } })),
      sel('assignee', 'Assignee', assignees),
      sel('status', 'Status', statuses, (v) => STATUS_LABELS[v] || stageName(v)),
      sel('tag', 'Tag', tags),
      FILTER_KEYS.some((k) => ui.filters[k]) ? h('button', { class: 'btn btn-ghost', onclick: () => { FILTER_KEYS.forEach((k) => { ui.filters[k] = ''; }); scheduleRender(); } }, 'Clear filters') : null);
  }

  function stageName(id) {
    for (const t of types.types.values()) {
      const st = (t.stages || []).find((x) => x.id === id);
      if (st) return st.name;
    }
    return id;
  }

  function matches(it) {
    const f = ui.filters;
    if (f.assignee && it.fields.assignee !== f.assignee) return false;
    if (f.status && statusOf(it) !== f.status) return false;
    if (f.tag && !(Array.isArray(it.fields.tags) && it.fields.tags.includes(f.tag))) return false;
    if (f.text) {
      const q = f.text.toLowerCase();
      const hay = Object.values(it.fields).map((v) => (Array.isArray(v) ? v.join(' ') : String(v))).join(' ').toLowerCase();
      if (!hay.includes(q)) return false;
    }
    return true;
  }

  // ---- rendering ------------------------------------------------------------------------------
  function scheduleRender() {
    if (ui.rafPending) return;
    ui.rafPending = true;
    requestAnimationFrame(() => {
      ui.rafPending = false;
      render();
    });
  }

  function editorsOf(itemId) {
    return ui.peers.filter((p) => p.state && p.state.editing === itemId);
  }

  function render() {
    if (ui.dragging) {
      ui.needsRender = true;
      return;
    }
    const view = replica.view;
    renderFilters();
    const top = view.children(null);
    const lanes = top.filter((it) => it.type === 'lane');
    const loose = top.filter((it) => it.type !== 'lane');
    const looseShown = loose.filter(matches);
    let hidden = loose.length - looseShown.length;
    replaceChildren(goalsStrip, loose.length ? [h('h2', { class: 'strip-title' }, 'Goals'),
      h('div', { class: 'strip-items', role: 'list', 'aria-label': 'Goals' }, looseShown.map((it) => renderCard(it, null)))] : null);
    goalsStrip.hidden = loose.length === 0;
    replaceChildren(lanesEl,
      lanes.map((lane) => {
        const kids = view.children(lane.id).filter((it) => !isAnnex(it));
        const shown = kids.filter(matches);
        hidden += kids.length - shown.length;
        return renderLane(lane, shown, kids.length);
      }),
      lanes.length === 0 ? h('div', { class: 'empty-board' },
        h('p', null, 'This board has no lanes yet.'),
        canWrite ? h('button', { class: 'btn btn-primary', onclick: () => addLane() }, 'Add the first lane') : null) : null);
    hiddenNote.textContent = hidden ? `${hidden} item${hidden === 1 ? '' : 's'} hidden by filters.` : '';
    page.classList.toggle('with-panel', !!panel.itemId);
    undoBtn.disabled = !replica.canUndo;
    redoBtn.disabled = !replica.canRedo;
    panel.refresh(ui.peers);
    renderStatus();
  }

  function renderLane(lane, cards, total) {
    const title = lane.fields.title || 'Untitled lane';
    const body = h('div', { class: 'lane-cards', role: 'list', 'aria-label': `Cards in ${title}`, dataset: { lane: lane.id } },
      cards.map((c) => renderCard(c, lane)));
    attachDropZone(body, lane.id);
    const composing = ui.composer && ui.composer.lane === lane.id;
    return h('section', { class: 'lane', role: 'listitem', 'aria-label': `Lane ${title}`, dataset: { id: lane.id } },
      h('header', {
        class: 'lane-head', tabIndex: 0, draggable: canWrite, dataset: { focusKey: `lane-${lane.id}`, id: lane.id },
        'aria-label': `Lane ${title}, ${total} items. Alt+Left or Alt+Right moves the lane.`,
        onkeydown: (e) => laneKey(e, lane),
        ondragstart: (e) => startDrag(e, lane.id, 'lane'),
        ondragend: endDrag,
      },
      h('h2', { class: 'lane-title' }, title),
      h('span', { class: 'count', 'aria-hidden': 'true' }, String(total)),
      canWrite ? menuButton(`Actions for lane ${title}`, () => [
        { label: 'Rename lane', onSelect: () => renameLane(lane) },
        { label: 'Move lane left', onSelect: () => moveLane(lane, -1) },
        { label: 'Move lane right', onSelect: () => moveLane(lane, 1) },
        { label: 'Delete lane and its cards', danger: true, onSelect: () => deleteItem(lane) },
      ]) : null),
      body,
      canWrite ? (composing ? renderComposer(lane) : h('button', {
        class: 'btn btn-ghost add-card', dataset: { focusKey: `add-${lane.id}` },
        onclick: () => { ui.composer = { lane: lane.id, text: '', type: 'card' }; render(); document.getElementById(`composer-${lane.id}`)?.focus(); },
      }, '+ Add card')) : null);
  }

  function renderComposer(lane) {
    const c = ui.composer;
    const creatable = types.creatable(enabled);
    const submit = () => {
      const type = types.get(c.type);
      const needsForm = type.fields.some((f) => f.required && f.name !== 'title') || (c.type !== 'card' && c.type !== 'goal' && !type.fields.some((f) => f.name === 'title'));
      const text = c.text.trim();
      if (needsForm) {
        openCreateDialog(lane.id, c.type, text);
        return;
      }
      if (!text) return;
      createItem(lane.id, c.type, { title: text });
      c.text = '';
      render();
      document.getElementById(`composer-${lane.id}`)?.focus();
    };
    return h('form', { class: 'composer', onsubmit: (e) => { e.preventDefault(); submit(); } },
      h('label', { class: 'sr-only', for: `composer-${lane.id}` }, 'Title of the new item'),
      h('input', {
        id: `composer-${lane.id}`, dataset: { focusKey: `composer-${lane.id}` }, value: c.text, maxlength: 200, placeholder: 'Title…', autocomplete: 'off',
        oninput: (e) => { c.text = e.target.value; },
        onkeydown: (e) => { if (e.key === 'Escape') { ui.composer = null; render(); focusLane(lane.id); } },
      }),
      creatable.length > 1 ? [h('label', { class: 'sr-only', for: `composer-type-${lane.id}` }, 'Type'),
        h('select', { id: `composer-type-${lane.id}`, dataset: { focusKey: `composer-type-${lane.id}` }, onchange: (e) => { c.type = e.target.value; } },
          creatable.map((t) => h('option', { value: t.id, selected: t.id === c.type }, t.name)))] : null,
      h('div', { class: 'composer-actions' },
        h('button', { class: 'btn btn-primary', type: 'submit' }, 'Add'),
        h('button', { class: 'btn btn-ghost', type: 'button', onclick: () => { ui.composer = null; render(); } }, 'Cancel')));
  }

  function renderCard(it, lane) {
    const type = types.get(it.type);
    const title = it.fields.title ?? it.fields.name ?? `${type.name} ${it.id}`;
    const editors = editorsOf(it.id);
    const comments = replica.view.children(it.id).filter((c) => c.type === 'comment').length;
    const checks = checklistProgress(replica.view, it.id);
    const rollup = replica.rollups.get(it.id);
    const st = it.fields.stage && type.stages.find((s) => s.id === it.fields.stage);
    const card = h('article', {
      class: `card type-${it.type.replace(/[^a-z0-9]/gi, '-')} ${editors.length ? 'peer-editing' : ''} ${panel.itemId === it.id ? 'selected' : ''} ${it.fields.status === 'done' ? 'is-done' : ''}`,
      role: 'listitem', tabIndex: 0, draggable: canWrite,
      dataset: { id: it.id, focusKey: `card-${it.id}` },
      style: editors.length ? { '--peer': colourFor(editors[0].user.id) } : null,
      'aria-label': `${type.name}: ${title}${editors.length ? `, being edited by ${editors.map((p) => p.user.name).join(', ')}` : ''}`,
      onclick: (e) => { if (!e.target.closest('button')) openPanel(it.id); },
      onkeydown: (e) => cardKey(e, it, lane),
      ondragstart: (e) => startDrag(e, it.id, 'card'),
      ondragend: endDrag,
    },
    h('div', { class: 'card-top' },
      it.type !== 'card' ? h('span', { class: 'type-badge' }, type.icon ? `${type.icon} ` : '', type.name) : null,
      st ? h('span', { class: 'chip chip-stage' }, st.name) : null,
      it.fields.status ? h('span', { class: `chip chip-${it.fields.status}` }, STATUS_LABELS[it.fields.status] || it.fields.status) : null,
      h('span', { class: 'spacer' }),
      menuButton(`Actions for ${title}`, () => [
        { label: 'Open', onSelect: () => openPanel(it.id) },
        canWrite ? { label: 'Link to goal…', onSelect: () => linkToGoal(it) } : null,
        it.type === 'goal' ? { label: 'Linkage view', onSelect: () => { location.hash = `#/board/${encodeURIComponent(boardId)}/linkage/${encodeURIComponent(it.id)}`; } } : null,
        canWrite ? { label: 'Delete', danger: true, onSelect: () => deleteItem(it) } : null,
      ])),
    h('h3', { class: 'card-title' }, title),
    it.type === 'goal' ? goalProgress(it, rollup) : null,
    h('div', { class: 'card-meta' },
      it.fields.due ? h('span', { class: 'meta-due' }, `Due ${it.fields.due}`) : null,
      typeof it.fields.progress === 'number' && it.type !== 'goal' ? h('span', { class: 'meta-progress' }, `${it.fields.progress}%`) : null,
      // Numeric fields outside the type's spec are what the card contributes to goal metrics.
      ...Object.entries(it.fields).filter(([k, v]) => typeof v === 'number' && !type.fields.some((f) => f.name === k))
        .map(([k, v]) => h('span', { class: 'metric' }, `${fmtNum(v)} ${k}`)),
      ...(Array.isArray(it.fields.tags) ? it.fields.tags.map((t) => h('span', { class: 'tag' }, t)) : []),
      it.links.length ? h('span', { class: 'meta-links', title: 'Contributes to goals' }, `→ ${it.links.length} goal${it.links.length === 1 ? '' : 's'}`) : null,
      comments ? h('span', { class: 'meta-comments' }, `${comments} comment${comments === 1 ? '' : 's'}`) : null,
      checks.total ? h('span', { class: `meta-checks ${checks.done === checks.total ? 'all-done' : ''}`, title: 'Checklist' }, `☑ ${checks.done}/${checks.total}`) : null,
      h('span', { class: 'spacer' }),
      it.fields.assignee ? h('span', { class: 'avatar small', title: `Assignee: ${it.fields.assignee}`, style: { background: colourFor(it.fields.assignee) } }, initials(it.fields.assignee)) : null),
    editors.length ? h('div', { class: 'editing-by' }, editors.map((p) => h('span', { class: 'editing-name', style: { background: colourFor(p.user.id) } }, `${p.user.name || 'Someone'} is editing`))) : null);
    return card;
  }

  function goalProgress(it, rollup) {
    const r = rollup || { children: 0, done: 0, sum: 0, progress: 0 };
    const pct = Math.max(0, Math.min(100, Number(r.progress) || 0));
    const label = it.fields.metric && it.fields.target != null
      ? `${fmtNum(r.sum)} / ${fmtNum(it.fields.target)} ${it.fields.metric}`
      : `${r.done} / ${r.children} done`;
    return h('div', { class: 'goal-progress' },
      h('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round(pct), 'aria-label': `Progress ${Math.round(pct)}%` },
        h('div', { class: 'bar-fill', style: { width: `${pct}%` } })),
      h('div', { class: 'goal-numbers' }, h('span', { class: 'goal-sum' }, label), h('span', { class: 'muted' }, `${Math.round(pct)}% · ${r.children} linked`)));
  }

  function renderPresence() {
    const byUser = new Map();
    for (const p of ui.peers) if (p.user && p.user.id && !byUser.has(p.user.id)) byUser.set(p.user.id, p.user);
    const self = sync.me || me;
    replaceChildren(presence,
      h('span', { class: 'avatar me-avatar', title: `${self.name || self.username} (you)`, style: { background: colourFor(self.id) }, dataset: { user: self.id } }, initials(self.name || self.username)),
      [...byUser.values()].filter((u) => u.id !== self.id).map((u) => h('span', {
        class: 'avatar peer', title: u.name || u.id, 'aria-label': u.name || u.id, style: { background: colourFor(u.id) }, dataset: { user: u.id },
      }, initials(u.name || u.id))),
      h('span', { class: 'sr-only' }, `${byUser.size + (byUser.has(self.id) ? 0 : 1)} people on this board`));
  }

  function renderStatus() {
    const n = replica.pending.length;
    const edits = `${n} edit${n === 1 ? '' : 's'} waiting`;
    let text;
    switch (sync.status) {
      case 'live': text = n ? `Live · saving ${n}` : 'Live'; break;
      case 'connecting': text = 'Connecting…'; break;
      case 'reconnecting': text = n ? `Reconnecting… — ${edits}` : 'Reconnecting…'; break;
      default: text = n ? `Offline — ${edits}` : 'Offline';
    }
    if (conn.textContent !== text) conn.textContent = text;
    conn.dataset.status = sync.status;
    conn.dataset.pending = String(n);
  }

  // ---- edits ----------------------------------------------------------------------------------
  function submit(ops, history) {
    if (!canWrite) {
      toast('You can read this board but not change it.', 'error');
      return;
    }
    sync.submit(ops, history);
  }

  function createItem(parent, type, fields) {
    const spec = types.get(type);
    const f = { ...fields };
    if (spec.stages && spec.stages.length && !f.stage) f.stage = spec.stages[0].id;
    const id = newId();
    const view = replica.view;
    const sibs = view.children(parent);
    const pos = keyBetween(sibs.length ? sibs[sibs.length - 1].pos || null : null, null);
    submit([{ kind: 'create', id, type, parent, pos, fields: f }]);
    return id;
  }

  function openCreateDialog(parent, typeId, title) {
    const type = types.get(typeId);
    const values = {};
    if (title) values.title = title;
    const controls = type.fields.filter((f) => f.name !== 'stage').map((spec) => fieldControl(spec, values[spec.name], {
      idPrefix: 'new', units, onCommit: (v) => { values[spec.name] = v; },
    }));
    const d = openDialog({
      title: `New ${type.name}`,
      body: controls,
      wide: true,
      actions: [
        { label: 'Cancel', onClick: () => d.close() },
        { label: 'Create', primary: true, submit: true, onClick: () => {
          const fields = {};
          let ok = true;
          for (const c of controls) {
            const spec = type.fields.find((f) => f.name === c.dataset.field);
            const parsed = parseValue(spec, spec.type === 'boolean' ? c.control.checked : c.control.value);
            if (parsed.error) { c.showError(parsed.error); ok = false; } else if (parsed.value !== null) fields[spec.name] = parsed.value;
          }
          if (!ok) return;
          d.close();
          const id = createItem(parent, typeId, fields);
          ui.composer = null;
          openPanel(id);
        } },
      ],
    });
  }

  function addLane() {
    let input;
    const d = openDialog({
      title: 'New lane',
      body: [h('label', { for: 'lane-title-input' }, 'Lane title'), input = h('input', { id: 'lane-title-input', maxlength: 200, required: true })],
      actions: [
        { label: 'Cancel', onClick: () => d.close() },
        { label: 'Add lane', primary: true, submit: true, onClick: () => {
          const t = input.value.trim();
          if (!t) return;
          d.close();
          const id = createItem(null, 'lane', { title: t });
          requestAnimationFrame(() => focusLane(id));
        } },
      ],
    });
  }

  function renameLane(lane) {
    let input;
    const d = openDialog({
      title: 'Rename lane',
      body: [h('label', { for: 'lane-rename-input' }, 'Lane title'), input = h('input', { id: 'lane-rename-input', maxlength: 200, value: lane.fields.title || '' })],
      actions: [
        { label: 'Cancel', onClick: () => d.close() },
        { label: 'Save', primary: true, submit: true, onClick: () => {
          const t = input.value.trim();
          d.close();
          if (t && t !== lane.fields.title) submit([{ kind: 'set', id: lane.id, field: 'title', value: t }]);
        } },
      ],
    });
  }

  async function deleteItem(it) {
    const type = types.get(it.type);
    const n = replica.view.subtree(it.id).length - 1;
    const ok = await confirmDialog(`Delete ${type.name.toLowerCase()}?`,
      `“${it.fields.title || it.id}”${n ? ` and the ${n} item${n === 1 ? '' : 's'} inside it` : ''} will be deleted. You can undo this with Ctrl+Z.`);
    if (!ok) return;
    if (panel.itemId === it.id) panel.close(false);
    submit([{ kind: 'delete', id: it.id }]);
  }

  function linkToGoal(it) {
    openLinkPicker({ item: it, boardId, onPick: (ops) => submit(ops) });
  }

  function moveLane(lane, delta) {
    const lanes = replica.view.children(null).filter((x) => x.type === 'lane');
    const i = lanes.findIndex((x) => x.id === lane.id);
    const j = i + delta;
    if (i < 0 || j < 0 || j >= lanes.length) return;
    submit(placeOps(replica.view, null, j, lane.id, (x) => x.type === 'lane'));
    requestAnimationFrame(() => focusLane(lane.id));
  }

  function laneKey(e, lane) {
    if (e.target !== e.currentTarget) return;
    if (e.altKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      e.preventDefault();
      if (canWrite) moveLane(lane, e.key === 'ArrowLeft' ? -1 : 1);
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      e.currentTarget.parentElement.querySelector('.card')?.focus();
    } else if (e.key === 'F2' && canWrite) {
      renameLane(lane);
    }
  }

  /** Keyboard on a focused card: Enter opens, Alt+arrows move, arrows move focus, Delete deletes. */
  function cardKey(e, it, lane) {
    if (e.target !== e.currentTarget) return;
    const view = replica.view;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      openPanel(it.id);
      return;
    }
    if ((e.key === 'Delete' || e.key === 'Backspace') && canWrite) {
      e.preventDefault();
      deleteItem(it);
      return;
    }
    const arrows = ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'];
    if (!arrows.includes(e.key)) return;
    e.preventDefault();
    if (!e.altKey) {
      // Plain arrows move focus between cards and lanes.
      const el = e.currentTarget;
      if (e.key === 'ArrowUp') (el.previousElementSibling || el.closest('.lane')?.querySelector('.lane-head'))?.focus();
      else if (e.key === 'ArrowDown') el.nextElementSibling?.focus();
      else {
        const laneEl = el.closest('.lane');
        const other = e.key === 'ArrowLeft' ? laneEl?.previousElementSibling : laneEl?.nextElementSibling;
        const idx = [...el.parentElement.children].indexOf(el);
        const target = other?.querySelectorAll('.card')[idx] || other?.querySelector('.card:last-of-type') || other?.querySelector('.lane-head');
        target?.focus();
      }
      return;
    }
    if (!canWrite || !lane) return;
    const parent = it.parent;
    const sibs = view.children(parent).filter((x) => !isAnnex(x));
    const idx = sibs.findIndex((x) => x.id === it.id);
    let ops = null;
    let where = '';
    if (e.key === 'ArrowUp' && idx > 0) {
      ops = placeOps(view, parent, idx - 1, it.id, (x) => !isAnnex(x));
      where = `position ${idx}`;
    } else if (e.key === 'ArrowDown' && idx < sibs.length - 1) {
      ops = placeOps(view, parent, idx + 1, it.id, (x) => !isAnnex(x));
      where = `position ${idx + 2}`;
    } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const lanes = view.children(null).filter((x) => x.type === 'lane');
      const li = lanes.findIndex((x) => x.id === parent);
      const target = lanes[li + (e.key === 'ArrowLeft' ? -1 : 1)];
      if (target) {
        const tSibs = view.children(target.id).filter((x) => !isAnnex(x));
        const at = Math.min(idx, tSibs.length);
        ops = placeOps(view, target.id, at, it.id, (x) => !isAnnex(x));
        where = `lane ${target.fields.title || ''}, position ${at + 1}`;
      }
    }
    if (ops) {
      submit(ops);
      announce(`Moved to ${where}.`);
      requestAnimationFrame(() => focusCard(it.id));
    }
  }

  const announcer = h('div', { class: 'sr-only', 'aria-live': 'assertive' });
  page.appendChild(announcer);
  function announce(text) {
    announcer.textContent = text;
  }

  function focusCard(id) {
    if (!id) return;
    render();
    lanesEl.parentElement.querySelector(`.card[data-id="${CSS.escape(id)}"]`)?.focus();
  }

  function focusLane(id) {
    render();
    lanesEl.querySelector(`.lane[data-id="${CSS.escape(id)}"] .lane-head`)?.focus();
  }

  // ---- drag and drop --------------------------------------------------------------------------
  function startDrag(e, id, kind) {
    if (!canWrite) return;
    e.stopPropagation();
    ui.dragging = { id, kind };
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData('text/plain', id);
    e.currentTarget.closest(kind === 'lane' ? '.lane' : '.card')?.classList.add('dragging');
  }

  function endDrag() {
    ui.dragging = null;
    document.querySelectorAll('.drop-marker').forEach((m) => m.remove());
    document.querySelectorAll('.dragging').forEach((m) => m.classList.remove('dragging'));
    render();
  }

  function dropIndex(container, clientY, selector) {
    const els = [...container.querySelectorAll(selector)].filter((el) => !el.classList.contains('dragging'));
    let i = 0;
    for (const el of els) {
      const r = el.getBoundingClientRect();
      if (clientY > r.top + r.height / 2) i++;
    }
    return { index: i, els };
  }

  function attachDropZone(body, laneId) {
    body.addEventListener('dragover', (e) => {
      if (!ui.dragging || ui.dragging.kind !== 'card') return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
      const { index, els } = dropIndex(body, e.clientY, '.card');
      document.querySelectorAll('.drop-marker').forEach((m) => m.remove());
      const marker = h('div', { class: 'drop-marker', 'aria-hidden': 'true' });
      if (index < els.length) body.insertBefore(marker, els[index]);
      else body.appendChild(marker);
    });
    body.addEventListener('drop', (e) => {
      if (!ui.dragging || ui.dragging.kind !== 'card') return;
      e.preventDefault();
      const { index, els } = dropIndex(body, e.clientY, '.card');
      // Visible cards may be filtered: place relative to the card we dropped before.
      const view = replica.view;
      const all = view.children(laneId).filter((x) => x.id !== ui.dragging.id && !isAnnex(x));
      const beforeId = els[index]?.dataset.id;
      const at = beforeId ? all.findIndex((x) => x.id === beforeId) : all.length;
      const id = ui.dragging.id;
      const ops = placeOps(view, laneId, at < 0 ? all.length : at, id, (x) => !isAnnex(x));
      ui.dragging = null;
      submit(ops);
      endDrag();
    });
  }

  lanesEl.addEventListener('dragover', (e) => {
    if (!ui.dragging || ui.dragging.kind !== 'lane') return;
    e.preventDefault();
  });
  lanesEl.addEventListener('drop', (e) => {
    if (!ui.dragging || ui.dragging.kind !== 'lane') return;
    e.preventDefault();
    const laneEls = [...lanesEl.querySelectorAll('.lane')].filter((el) => el.dataset.id !== ui.dragging.id);
    let i = 0;
    for (const el of laneEls) {
      const r = el.getBoundingClientRect();
      if (e.clientX > r.left + r.width / 2) i++;
    }
    const id = ui.dragging.id;
    ui.dragging = null;
    submit(placeOps(replica.view, null, i, id, (x) => x.type === 'lane'));
    endDrag();
  });

  // ---- panel, undo, keyboard ------------------------------------------------------------------
  function openPanel(id) {
    panel.open(id, ui.peers);
    sync.setPresence({ editing: id });
    render();
  }
  panel.onClosed = () => {
    sync.setPresence({ editing: null });
    render();
  };

  function doUndo() {
    const r = sync.undo();
    if (!r.done) announce('Nothing to undo.');
    else if (r.empty) toast('That change was not undone: someone else has edited the same thing since.', 'info');
    else if (r.skipped) toast('Part of that change was not undone because someone else edited it since.', 'info');
  }

  function doRedo() {
    const r = sync.redo();
    if (!r.done) announce('Nothing to redo.');
    else if (r.skipped) toast('Part of that change was not redone because someone else edited it since.', 'info');
  }

  const onKey = (e) => {
    if (!(e.ctrlKey || e.metaKey)) return;
    const t = e.target;
    // Inside a text field, Ctrl+Z is the browser's own text undo.
    if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
    if (e.key.toLowerCase() === 'z' && !e.shiftKey) { e.preventDefault(); doUndo(); }
    else if ((e.key.toLowerCase() === 'z' && e.shiftKey) || e.key.toLowerCase() === 'y') { e.preventDefault(); doRedo(); }
  };
  document.addEventListener('keydown', onKey);

  // ---- sync events ----------------------------------------------------------------------------
  sync.on('change', () => scheduleRender());
  sync.on('status', () => renderStatus());
  sync.on('presence', (peers) => {
    ui.peers = peers;
    renderPresence();
    scheduleRender();
  });
  sync.on('reject', ({ op, error }) => {
    const shown = panel.showError(op, error);
    toastError(error, 'Change not saved');
    if (!shown && error.details?.field) console.info('rejected field', error.details.field);
  });
  sync.on('error', (err) => toastError(err));
  sync.on('fatal', (err) => {
    replaceChildren(main, h('div', { class: 'page' }, h('h1', null, 'Board not available'),
      h('p', { class: 'error-box', role: 'alert' }, describeError(err)), h('p', null, h('a', { href: '#/' }, 'Back to the boards'))));
  });
  sync.on('auth-failed', () => {
    toast('The server refused your sign-in. Please sign in again; your unsaved edits are kept on this device.', 'error');
    session.expired();
  });

  // Test and support hooks (used by the browser tests; harmless for users).
  window.__linkboard = {
    boardId,
    sync,
    disconnect: () => sync.disconnect(),
    reconnect: () => sync.reconnect(),
    dropNextOp: () => { sync.dropOps += 1; },
    status: () => sync.status,
    pending: () => replica.pending.length,
    version: () => replica.version,
    state: () => replica.view.toJSON(),
    confirmed: () => replica.confirmed.toJSON(),
  };

  renderPresence();
  render();
  sync.start();

  return () => {
    document.removeEventListener('keydown', onKey);
    closeMenu();
    panel.destroy();
    sync.stop();
    if (window.__linkboard?.sync === sync) delete window.__linkboard;
  };
}

function fmtNum(n) {
  const x = Number(n);
  if (!Number.isFinite(x)) return String(n ?? 0);
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

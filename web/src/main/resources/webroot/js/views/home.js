// Home: the unit tree with the boards the user may read under their units, and "new board".

import { h, replaceChildren } from '../dom.js';
import { get, post } from '../api.js';
import { session } from '../session.js';
import { describeError, toast } from '../errors.js';

/** Units as a tree: [{unit, children:[…]}], roots first; unknown parents become roots. */
export function unitTree(units) {
  const byId = new Map(units.map((u) => [u.id, { unit: u, children: [] }]));
  const roots = [];
  for (const node of byId.values()) {
    const p = node.unit.parent && byId.get(node.unit.parent);
    if (p) p.children.push(node);
    else roots.push(node);
  }
  const sort = (list) => {
    list.sort((a, b) => a.unit.name.localeCompare(b.unit.name));
    list.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}

/** Ids of `unitId` and every unit below it. */
export function subtreeIds(units, unitId) {
  const out = new Set([unitId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const u of units) if (u.parent && out.has(u.parent) && !out.has(u.id)) { out.add(u.id); grew = true; }
  }
  return out;
}

export async function renderHome(main) {
  replaceChildren(main, h('p', { class: 'muted' }, 'Loading boards…'));
  let units;
  let boards;
  try {
    [units, boards] = await Promise.all([get('/api/units'), get('/api/boards')]);
  } catch (e) {
    replaceChildren(main, h('p', { class: 'error-box', role: 'alert' }, describeError(e)));
    return;
  }
  const me = session.user;
  const writable = session.isAdmin ? new Set(units.map((u) => u.id)) : session.canEdit ? subtreeIds(units, me.unit) : new Set();
  const boardsByUnit = new Map();
  for (const b of boards) {
    if (!boardsByUnit.has(b.unit)) boardsByUnit.set(b.unit, []);
    boardsByUnit.get(b.unit).push(b);
  }
  const unitName = new Map(units.map((u) => [u.id, u.name]));

  const renderNode = (node) => {
    const list = (boardsByUnit.get(node.unit.id) || []).sort((a, b) => a.title.localeCompare(b.title));
    return h('li', { class: 'unit-node' },
      h('div', { class: 'unit-head' },
        h('span', { class: `unit-kind kind-${node.unit.kind}` }, node.unit.kind || 'unit'),
        h('span', { class: 'unit-name' }, node.unit.name),
        node.unit.id === me.unit ? h('span', { class: 'badge' }, 'your unit') : null),
      list.length ? h('ul', { class: 'board-list', 'aria-label': `Boards of ${node.unit.name}` },
        list.map((b) => h('li', null, h('a', { class: 'board-link', href: `#/board/${encodeURIComponent(b.id)}` },
          h('span', { class: 'board-title' }, b.title),
          h('span', { class: 'muted small' }, `${b.version ?? 0} changes`))))) : null,
      node.children.length ? h('ul', { class: 'unit-tree' }, node.children.map(renderNode)) : null);
  };

  const createForm = () => {
    if (writable.size === 0) return h('p', { class: 'muted' }, 'Your role can read boards but not create them.');
    const title = h('input', { id: 'new-board-title', required: true, maxlength: 200, placeholder: 'e.g. Outbound exchange 2026' });
    const unit = h('select', { id: 'new-board-unit' },
      units.filter((u) => writable.has(u.id)).map((u) => h('option', { value: u.id, selected: u.id === me.unit }, u.name)));
    const err = h('p', { class: 'field-error', role: 'alert', hidden: true });
    return h('form', {
      class: 'card-panel new-board', 'aria-labelledby': 'new-board-h',
      onsubmit: async (e) => {
        e.preventDefault();
        err.hidden = true;
        try {
          const b = await post('/api/boards', { title: title.value.trim(), unit: unit.value });
          toast(`Board “${b.title}” created.`);
          location.hash = `#/board/${encodeURIComponent(b.id)}`;
        } catch (ex) {
          err.textContent = describeError(ex);
          err.hidden = false;
        }
      },
    },
    h('h2', { id: 'new-board-h' }, 'New board'),
    h('div', { class: 'field' }, h('label', { for: 'new-board-title' }, 'Title'), title),
    h('div', { class: 'field' }, h('label', { for: 'new-board-unit' }, 'Unit'), unit),
    err,
    h('button', { class: 'btn btn-primary', type: 'submit' }, 'Create board'));
  };

  const orphans = boards.filter((b) => !unitName.has(b.unit));
  replaceChildren(main,
    h('div', { class: 'page home' },
      h('section', { class: 'home-tree', 'aria-labelledby': 'units-h' },
        h('h1', { id: 'units-h' }, 'Boards by unit'),
        boards.length === 0 ? h('p', { class: 'muted' }, 'No boards you can see yet.') : null,
        h('ul', { class: 'unit-tree root' }, unitTree(units).map(renderNode)),
        orphans.length ? h('ul', { class: 'board-list' }, orphans.map((b) => h('li', null, h('a', { class: 'board-link', href: `#/board/${encodeURIComponent(b.id)}` }, b.title)))) : null),
      h('aside', { class: 'home-side' }, createForm())));
}

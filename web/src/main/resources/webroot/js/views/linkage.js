// The linkage view of a goal: its rollup and the items that contribute to it, grouped by unit
// and board. Uses GET /api/boards/{b}/items/{i}/linkage when the server has it; otherwise
// (404 for an existing goal) it gathers the contributors from the snapshots of the boards the
// user can read, and says so.

import { h, replaceChildren } from '../dom.js';
import { get } from '../api.js';
import { describeError } from '../errors.js';
import { STATUS_LABELS } from '../fields.js';

function pick(...vals) {
  for (const v of vals) if (v !== undefined && v !== null) return v;
  return undefined;
}

/** Normalises one contributor entry of whatever shape the server sends. */
function normalise(e, boardsById) {
  const item = typeof e.item === 'object' && e.item ? e.item : e;
  const boardId = pick(e.board?.id, typeof e.board === 'string' ? e.board : undefined, e.boardId);
  const b = boardsById.get(boardId) || (typeof e.board === 'object' ? e.board : {}) || {};
  return {
    boardId,
    boardTitle: pick(e.board?.title, e.boardTitle, b.title, boardId),
    unit: pick(e.unit?.id, typeof e.unit === 'string' ? e.unit : undefined, e.board?.unit, b.unit, 'unknown'),
    id: pick(item.id, typeof e.item === 'string' ? e.item : undefined, e.itemId),
    title: pick(item.fields?.title, e.title, item.id),
    fields: item.fields || e.fields || {},
  };
}

/**
 * The server's linkage report groups contributors as units → boards → items
 * ({"unit","name","boards":[{"board","title","items":[{"item","title","value","done","status"?,"rollup"?}]}]});
 * flattens it into the view's entries.
 */
function fromServerReport(res, metric) {
  const out = [];
  for (const u of res.contributors || []) {
    for (const b of u.boards || []) {
      for (const i of b.items || []) {
        const fields = { title: i.title };
        if (i.status != null) fields.status = i.status;
        if (metric) fields[metric] = i.value;
        out.push({ boardId: b.board, boardTitle: b.title || b.board, unit: u.unit, unitName: u.name, id: i.item,
          title: i.title, fields, rollup: i.rollup || null, done: !!i.done });
      }
    }
  }
  return out;
}

async function fallbackContributors(boardId, itemId) {
  const boards = await get('/api/boards');
  const out = [];
  await Promise.all(boards.map(async (b) => {
    try {
      const s = await get(`/api/boards/${encodeURIComponent(b.id)}/snapshot`);
      for (const it of Object.values(s.items || {})) {
        if ((it.links || []).some((l) => l.board === boardId && l.item === itemId)) out.push({ board: b, item: it });
      }
    } catch { /* a board we cannot read any more: skip */ }
  }));
  return out;
}

export async function renderLinkage(main, boardId, itemId) {
  replaceChildren(main, h('p', { class: 'muted' }, 'Loading linkage…'));
  let snap;
  let units = [];
  let boards = [];
  try {
    [snap, units, boards] = await Promise.all([
      get(`/api/boards/${encodeURIComponent(boardId)}/snapshot`), get('/api/units'), get('/api/boards')]);
  } catch (e) {
    replaceChildren(main, h('div', { class: 'page' }, h('h1', null, 'Linkage not available'), h('p', { class: 'error-box', role: 'alert' }, describeError(e))));
    return;
  }
  const goal = snap.items?.[itemId];
  const back = h('a', { href: `#/board/${encodeURIComponent(boardId)}`, class: 'muted small back' }, `← ${snap.board?.title || 'Board'}`);
  if (!goal) {
    replaceChildren(main, h('div', { class: 'page' }, back, h('h1', null, 'Goal not found'),
      h('p', { class: 'error-box', role: 'alert' }, 'This goal does not exist any more, or it is outside the boards you may see.')));
    return;
  }
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const boardsById = new Map(boards.map((b) => [b.id, b]));
  let entries = [];
  let rollup = goal.rollup || null;
  let note = null;
  let hidden = null;
  let baseline = null;
  let contributesTo = [];
  const metric = goal.fields.metric;
  try {
    const res = await get(`/api/boards/${encodeURIComponent(boardId)}/items/${encodeURIComponent(itemId)}/linkage`);
    entries = fromServerReport(res, metric);
    if (res.goal?.rollup) rollup = res.goal.rollup;
    hidden = res.hidden && res.hidden.children > 0 ? res.hidden : null;
    baseline = res.baseline || null;
    contributesTo = res.contributesTo || [];
  } catch (e) {
    if (e.status === 404) {
      note = 'The server does not offer a linkage report for this goal, so the contributors below were gathered from the boards you can see.';
      entries = (await fallbackContributors(boardId, itemId)).map((e) => normalise(e, boardsById));
    } else {
      note = describeError(e);
    }
  }
  const r = rollup || { children: entries.length, done: 0, sum: 0, progress: 0 };
  const pct = Math.round(Math.max(0, Math.min(100, Number(r.progress) || 0)));

  const byUnit = new Map();
  for (const e of entries) {
    if (!byUnit.has(e.unit)) byUnit.set(e.unit, new Map());
    const boardsMap = byUnit.get(e.unit);
    if (!boardsMap.has(e.boardId)) boardsMap.set(e.boardId, { title: e.boardTitle, items: [] });
    boardsMap.get(e.boardId).items.push(e);
  }
  const sumOf = (items) => items.reduce((s, e) => s + (Number(e.fields[metric]) || 0), 0);

  replaceChildren(main, h('div', { class: 'page linkage' },
    back,
    h('h1', { id: 'linkage-title' }, goal.fields.title || itemId),
    h('p', { class: 'muted' }, `Goal on ${snap.board?.title || boardId} · ${unitName.get(snap.board?.unit) || snap.board?.unit || ''}`),
    h('section', { class: 'card-panel rollup-big', 'aria-label': 'Goal progress' },
      h('div', { class: 'bar big', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct, 'aria-label': `Goal progress ${pct}%` },
        h('div', { class: 'bar-fill', style: { width: `${pct}%` } })),
      h('p', { class: 'rollup-numbers' },
        metric && goal.fields.target != null ? h('strong', null, `${r.sum} / ${goal.fields.target} ${metric}`) : h('strong', null, `${r.done} / ${r.children} done`),
        ` · ${pct}% · ${r.children} contributing item${r.children === 1 ? '' : 's'}`)),
    baseline ? h('p', { class: 'linkage-baseline' },
      `Against ${baseline.year ?? 'the base year'}: ${baseline.value} → ${baseline.current}`
        + (baseline.changePercent != null ? ` (${baseline.changePercent > 0 ? '+' : ''}${baseline.changePercent}%)` : '')) : null,
    contributesTo.length ? h('p', { class: 'muted' }, 'Contributes to: ',
      contributesTo.map((g, i) => [i ? ', ' : '', h('a', { href: `#/board/${encodeURIComponent(g.board)}/linkage/${encodeURIComponent(g.item)}` }, g.title || g.item)])) : null,
    note ? h('p', { class: 'info-box', role: 'status' }, note) : null,
    hidden ? h('p', { class: 'muted', role: 'note' },
      `${hidden.children} more contributing item${hidden.children === 1 ? '' : 's'} on boards you cannot open`
        + (metric ? ` (${hidden.sum} ${metric})` : '') + ' — counted in the total above.') : null,
    entries.length === 0 ? h('p', { class: 'muted' }, 'Nothing is linked to this goal yet. Open a card and use “Link to goal…”.') : null,
    [...byUnit.entries()].map(([unit, bm]) => h('section', { class: 'linkage-unit card-panel', 'aria-label': unitName.get(unit) || unit },
      h('h2', null, unitName.get(unit) || [...bm.values()][0]?.items[0]?.unitName || unit,
        metric ? h('span', { class: 'muted small' }, ` · ${sumOf([...bm.values()].flatMap((b) => b.items))} ${metric}`) : null),
      [...bm.entries()].map(([bid, b]) => h('div', { class: 'linkage-board' },
        h('h3', null, h('a', { href: `#/board/${encodeURIComponent(bid)}` }, b.title || bid)),
        h('table', { class: 'linkage-table' },
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Item'), h('th', { scope: 'col' }, 'Status'), metric ? h('th', { scope: 'col' }, metric) : null)),
          h('tbody', null, b.items.map((e) => h('tr', null,
            h('td', null, e.title || e.id),
            h('td', null, e.rollup ? `goal, ${Math.round(Number(e.rollup.progress) || 0)}% reached`
              : STATUS_LABELS[e.fields.status] || e.fields.status || e.fields.stage || (e.done ? 'done' : '—')),
            metric ? h('td', { class: 'num' }, String(e.fields[metric] ?? '—')) : null))))))))));
}

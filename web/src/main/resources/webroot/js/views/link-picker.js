// "Link to goal…": pick a board in read scope, then one of its goals (from the board's
// snapshot), optionally with the amount this item contributes to the goal's metric; sends a
// `link` op (and a `set` of the metric field).

import { h, replaceChildren } from '../dom.js';
import { get } from '../api.js';
import { describeError } from '../errors.js';
import { openDialog } from './dialog.js';

export function openLinkPicker({ item, boardId, onPick }) {
  const boardSel = h('select', { id: 'link-board' }, h('option', { value: '' }, 'Loading boards…'));
  const goalsEl = h('div', { class: 'goal-choices', role: 'radiogroup', 'aria-labelledby': 'link-goal-h' });
  const amountWrap = h('div', { class: 'field', hidden: true });
  const err = h('p', { class: 'field-error', role: 'alert', hidden: true });
  let goals = [];
  let chosen = null;

  const showError = (msg) => {
    err.textContent = msg || '';
    err.hidden = !msg;
  };

  const chooseGoal = (g) => {
    chosen = g;
    const metric = g?.fields.metric;
    if (metric) {
      const id = 'link-amount';
      const cur = item.fields[metric];
      replaceChildren(amountWrap,
        h('label', { for: id }, `How many ${metric} does this item contribute?`),
        h('input', { id, type: 'number', step: 'any', min: 0, value: cur ?? '' }),
        h('div', { class: 'field-help' }, `Stored in the item's “${metric}” field and summed into the goal.`));
      amountWrap.hidden = false;
    } else {
      amountWrap.hidden = true;
      replaceChildren(amountWrap);
    }
  };

  const loadGoals = async (bid) => {
    replaceChildren(goalsEl, h('p', { class: 'muted small' }, 'Loading goals…'));
    chosen = null;
    chooseGoal(null);
    try {
      const snap = await get(`/api/boards/${encodeURIComponent(bid)}/snapshot`);
      goals = Object.values(snap.items || {}).filter((x) => x.type === 'goal' && !(bid === boardId && x.id === item.id));
      if (!goals.length) {
        replaceChildren(goalsEl, h('p', { class: 'muted small' }, 'This board has no goals.'));
        return;
      }
      replaceChildren(goalsEl, goals.map((g, i) => h('label', { class: 'radio' },
        h('input', { type: 'radio', name: 'link-goal', value: g.id, onchange: () => chooseGoal(g), checked: false, id: `link-goal-${i}` }),
        h('span', null, g.fields.title || g.id),
        g.fields.metric ? h('span', { class: 'muted small' }, ` · ${g.fields.target ?? '?'} ${g.fields.metric}`) : null,
        item.links.some((l) => l.board === bid && l.item === g.id) ? h('span', { class: 'badge' }, 'linked') : null)));
    } catch (e) {
      replaceChildren(goalsEl, h('p', { class: 'field-error', role: 'alert' }, describeError(e)));
    }
  };

  boardSel.addEventListener('change', () => { if (boardSel.value) loadGoals(boardSel.value); });

  const d = openDialog({
    title: `Link “${item.fields.title || item.id}” to a goal`,
    wide: true,
    body: [
      h('div', { class: 'field' }, h('label', { for: 'link-board' }, 'Board'), boardSel,
        h('div', { class: 'field-help' }, 'A goal on a board of the same unit or a unit above it.')),
      h('h3', { id: 'link-goal-h' }, 'Goal'), goalsEl, amountWrap, err,
    ],
    actions: [
      { label: 'Cancel', onClick: () => d.close() },
      { label: 'Link', primary: true, submit: true, onClick: () => {
        if (!chosen) return showError('Choose a goal first.');
        const ops = [];
        if (!item.links.some((l) => l.board === boardSel.value && l.item === chosen.id)) {
          ops.push({ kind: 'link', id: item.id, to: { board: boardSel.value, item: chosen.id } });
        }
        const metric = chosen.fields.metric;
        const input = amountWrap.querySelector('input');
        if (metric && input && input.value !== '') {
          const n = Number(input.value);
          if (!Number.isFinite(n) || n < 0) return showError('The amount must be a number of 0 or more.');
          if (item.fields[metric] !== n) ops.push({ kind: 'set', id: item.id, field: metric, value: n });
        }
        if (!ops.length) return showError('Already linked with that amount.');
        d.close();
        onPick(ops);
      } },
    ],
  });

  get('/api/boards').then((boards) => {
    boards.sort((a, b) => (a.id === boardId ? -1 : b.id === boardId ? 1 : a.title.localeCompare(b.title)));
    replaceChildren(boardSel, h('option', { value: '' }, 'Choose a board…'),
      boards.map((b) => h('option', { value: b.id }, b.id === boardId ? `${b.title} (this board)` : b.title)));
  }).catch((e) => showError(describeError(e)));
}

// Admin pages (admin and unit-admin): units, users, modules with per-unit enablement and settings.

import { h, replaceChildren } from '../dom.js';
import { get, post, put, del } from '../api.js';
import { session } from '../session.js';
import { describeError, toast, toastError } from '../errors.js';
import { fieldControl, parseValue } from '../fields.js';
import { unitTree, subtreeIds } from './home.js';
import { confirmDialog } from './dialog.js';

const ROLES = ['admin', 'unit-admin', 'editor', 'viewer'];
const KINDS = ['department', 'office', 'college'];

function tabs(current) {
  const t = (id, label) => h('a', { href: `#/admin/${id}`, class: `tab ${current === id ? 'active' : ''}`, 'aria-current': current === id ? 'page' : null }, label);
  return h('nav', { class: 'tabs', 'aria-label': 'Administration' }, t('units', 'Units'), t('users', 'Users'), t('modules', 'Modules'));
}

/** Shows server validation errors next to the named field of a form, else in `fallback`. */
function showFormError(form, err, fallback) {
  form.querySelectorAll('.field-error').forEach((e) => { e.hidden = true; e.textContent = ''; });
  const field = err.details?.field;
  const target = field && form.querySelector(`[data-field="${CSS.escape(field)}"] .field-error`);
  const el = target || fallback;
  el.textContent = describeError(err);
  el.hidden = false;
}

function textField(name, label, props = {}) {
  const id = `adm-${name}`;
  return h('div', { class: 'field', dataset: { field: name } },
    h('label', { for: id }, label),
    props.options ? h('select', { id, name, multiple: props.multiple || null, size: props.multiple ? props.options.length : null },
      props.options.map(([v, l, sel]) => h('option', { value: v, selected: !!sel }, l)))
      : h('input', { id, name, type: props.type || 'text', required: props.required, maxlength: props.maxlength, pattern: props.pattern, autocomplete: props.autocomplete || 'off' }),
    h('div', { class: 'field-error', role: 'alert', hidden: true }));
}

export async function renderAdmin(main, page) {
  if (!session.canManage) {
    replaceChildren(main, h('div', { class: 'page' }, h('h1', null, 'Administration'),
      h('p', { class: 'error-box', role: 'alert' }, 'Only administrators and unit administrators can open this page.')));
    return;
  }
  replaceChildren(main, h('div', { class: 'page admin' }, tabs(page), h('p', { class: 'muted' }, 'Loading…')));
  const body = h('div', { class: 'admin-body' });
  replaceChildren(main, h('div', { class: 'page admin' }, tabs(page), body));
  try {
    if (page === 'units') await unitsPage(body);
    else if (page === 'users') await usersPage(body);
    else await modulesPage(body);
  } catch (e) {
    replaceChildren(body, h('p', { class: 'error-box', role: 'alert' }, describeError(e)));
  }
}

async function unitsPage(body) {
  const units = await get('/api/units');
  const node = (n) => h('li', null,
    h('span', { class: `unit-kind kind-${n.unit.kind}` }, n.unit.kind), ' ', h('strong', null, n.unit.name), ' ', h('code', { class: 'muted small' }, n.unit.id),
    n.children.length ? h('ul', { class: 'unit-tree' }, n.children.map(node)) : null);
  const err = h('p', { class: 'error-box', role: 'alert', hidden: true });
  const form = session.isAdmin ? h('form', {
    class: 'card-panel', 'aria-labelledby': 'new-unit-h',
    onsubmit: async (e) => {
      e.preventDefault();
      const fd = new FormData(form);
      try {
        const u = await post('/api/units', { id: fd.get('id').trim(), name: fd.get('name').trim(), kind: fd.get('kind'), parent: fd.get('parent') });
        toast(`Unit “${u.name}” created.`);
        await unitsPage(body);
      } catch (ex) {
        showFormError(form, ex, err);
      }
    },
  },
  h('h2', { id: 'new-unit-h' }, 'New unit'),
  textField('id', 'Id (letters, digits, - and _)', { required: true, pattern: '[A-Za-z0-9_-]{1,64}' }),
  textField('name', 'Name', { required: true }),
  textField('kind', 'Kind', { options: KINDS.map((k) => [k, k]) }),
  textField('parent', 'Parent unit', { options: units.map((u) => [u.id, u.name, u.id === 'university']) }),
  err, h('button', { class: 'btn btn-primary', type: 'submit' }, 'Create unit')) : h('p', { class: 'muted' }, 'Only administrators create units.');
  replaceChildren(body, h('div', { class: 'two-col' },
    h('section', { 'aria-labelledby': 'units-h' }, h('h1', { id: 'units-h' }, 'Units'), h('ul', { class: 'unit-tree root', id: 'admin-unit-tree' }, unitTree(units).map(node))),
    form));
}

async function usersPage(body) {
  const [users, units] = await Promise.all([get('/api/users'), get('/api/units')]);
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const manageable = session.isAdmin ? units : units.filter((u) => subtreeIds(units, session.user.unit).has(u.id));
  const roles = session.isAdmin ? ROLES : ROLES.filter((r) => r !== 'admin');
  const err = h('p', { class: 'error-box', role: 'alert', hidden: true });
  const form = h('form', {
    class: 'card-panel', 'aria-labelledby': 'new-user-h',
    onsubmit: async (e) => {
      e.preventDefault();
      const fd = new FormData(form);
      const chosenRoles = fd.getAll('roles');
      if (!chosenRoles.length) return showFormError(form, { code: 'VALIDATION_FAILED', message: 'Choose at least one role.', details: { field: 'roles' } }, err);
      try {
        const u = await post('/api/users', {
          username: fd.get('username').trim(), password: fd.get('password'), name: fd.get('name').trim(), unit: fd.get('unit'), roles: chosenRoles,
        });
        toast(`User “${u.username}” created.`);
        await usersPage(body);
      } catch (ex) {
        showFormError(form, ex, err);
      }
    },
  },
  h('h2', { id: 'new-user-h' }, 'New user'),
  textField('username', 'Username', { required: true }),
  textField('name', 'Full name', { required: true }),
  textField('password', 'Password', { required: true, type: 'password', autocomplete: 'new-password' }),
  textField('unit', 'Unit', { options: manageable.map((u) => [u.id, u.name, u.id === session.user.unit]) }),
  h('fieldset', { class: 'field', dataset: { field: 'roles' } }, h('legend', null, 'Roles'),
    roles.map((r) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'roles', value: r, checked: r === 'editor' }), ` ${r}`)),
    h('div', { class: 'field-error', role: 'alert', hidden: true })),
  err, h('button', { class: 'btn btn-primary', type: 'submit' }, 'Create user'));

  const rows = users.sort((a, b) => a.username.localeCompare(b.username)).map((u) => h('tr', null,
    h('td', null, u.username), h('td', null, u.name), h('td', null, unitName.get(u.unit) || u.unit), h('td', null, (u.roles || []).join(', ')),
    h('td', null, u.id === session.user.id ? h('span', { class: 'muted small' }, 'you') : h('button', {
      class: 'btn btn-ghost btn-small danger', 'aria-label': `Delete user ${u.username}`,
      onclick: async () => {
        if (!(await confirmDialog('Delete user?', `${u.name} (${u.username}) will no longer be able to sign in.`))) return;
        try {
          await del(`/api/users/${encodeURIComponent(u.id)}`);
          toast(`User “${u.username}” deleted.`);
          await usersPage(body);
        } catch (ex) {
          toastError(ex);
        }
      },
    }, 'Delete'))));
  replaceChildren(body, h('div', { class: 'two-col' },
    h('section', { 'aria-labelledby': 'users-h' }, h('h1', { id: 'users-h' }, 'Users'),
      h('table', { class: 'data-table', id: 'users-table' },
        h('thead', null, h('tr', null, ['Username', 'Name', 'Unit', 'Roles', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, rows))),
    form));
}

async function modulesPage(body) {
  let modules;
  try {
    modules = await get('/api/modules');
  } catch (e) {
    if (e.status !== 404) throw e;
    replaceChildren(body, h('h1', null, 'Modules'), h('p', { class: 'info-box' }, 'This server does not offer the modules API (GET /api/modules) yet.'));
    return;
  }
  const units = await get('/api/units');
  const manageable = session.isAdmin ? units : units.filter((u) => subtreeIds(units, session.user.unit).has(u.id));
  let unit = manageable.find((u) => u.id === session.user.unit)?.id || manageable[0]?.id;
  const unitSel = h('select', { id: 'module-unit' }, manageable.map((u) => h('option', { value: u.id, selected: u.id === unit }, u.name)));
  const list = h('div', { class: 'module-list' });
  unitSel.addEventListener('change', () => { unit = unitSel.value; load(); });

  async function load() {
    replaceChildren(list, h('p', { class: 'muted' }, 'Loading…'));
    let enabled = new Map();
    try {
      enabled = new Map((await get(`/api/units/${encodeURIComponent(unit)}/modules`)).map((m) => [m.id, m.enabled]));
    } catch (e) {
      replaceChildren(list, h('p', { class: 'error-box', role: 'alert' }, describeError(e)));
      return;
    }
    replaceChildren(list, modules.length ? modules.map((m) => moduleCard(m, !!enabled.get(m.id))) : h('p', { class: 'muted' }, 'No modules are installed.'));
  }

  function moduleCard(m, on) {
    const settings = h('div', { class: 'module-settings' });
    const toggle = h('button', {
      class: `btn ${on ? '' : 'btn-primary'}`, id: `toggle-${m.id}`,
      onclick: async () => {
        try {
          if (on) await del(`/api/units/${encodeURIComponent(unit)}/modules/${encodeURIComponent(m.id)}`);
          else await put(`/api/units/${encodeURIComponent(unit)}/modules/${encodeURIComponent(m.id)}`);
          toast(`${m.name} ${on ? 'disabled' : 'enabled'} for ${units.find((u) => u.id === unit)?.name || unit}.`);
          await load();
        } catch (ex) {
          toastError(ex);
        }
      },
    }, on ? 'Disable for this unit' : 'Enable for this unit');
    const schema = m.settingsSchema || m.settings || [];
    return h('article', { class: 'card-panel module-card', 'aria-labelledby': `mod-${m.id}` },
      h('div', { class: 'module-head' },
        h('h2', { id: `mod-${m.id}` }, m.name || m.id),
        h('span', { class: 'muted small' }, `v${m.version || '?'}`),
        h('span', { class: `state state-${(m.state || '').toLowerCase()}` }, m.state || 'UNKNOWN'),
        h('span', { class: `state ${on ? 'state-started' : 'state-disabled'}` }, on ? 'enabled here' : 'off here')),
      m.description ? h('p', null, m.description) : null,
      m.state === 'FAILED' && m.error ? h('p', { class: 'error-box' }, `This module failed to start: ${m.error}`) : null,
      (m.itemTypes || []).length ? h('p', { class: 'muted small' }, `Item types: ${(m.itemTypes || []).map((t) => t.name || t.id).join(', ')}`) : null,
      h('div', { class: 'module-actions' }, toggle,
        Array.isArray(schema) && schema.length ? h('button', { class: 'btn btn-ghost', onclick: () => loadSettings(m, schema, settings) }, 'Settings…') : null),
      settings);
  }

  async function loadSettings(m, schema, box) {
    replaceChildren(box, h('p', { class: 'muted small' }, 'Loading settings…'));
    let values = {};
    try {
      values = (await get(`/api/units/${encodeURIComponent(unit)}/modules/${encodeURIComponent(m.id)}/settings`)) || {};
    } catch (e) {
      if (e.status !== 404) {
        replaceChildren(box, h('p', { class: 'error-box', role: 'alert' }, describeError(e)));
        return;
      }
    }
    const controls = schema.map((spec) => fieldControl(spec, values[spec.name], { idPrefix: `set-${m.id}`, units }));
    const err = h('p', { class: 'error-box', role: 'alert', hidden: true });
    const form = h('form', {
      class: 'settings-form',
      onsubmit: async (e) => {
        e.preventDefault();
        const out = {};
        let ok = true;
        for (const c of controls) {
          const spec = schema.find((s) => s.name === c.dataset.field);
          const parsed = parseValue(spec, spec.type === 'boolean' ? c.control.checked : c.control.value);
          if (parsed.error) { c.showError(parsed.error); ok = false; } else { c.showError(null); if (parsed.value !== null) out[spec.name] = parsed.value; }
        }
        if (!ok) return;
        try {
          await put(`/api/units/${encodeURIComponent(unit)}/modules/${encodeURIComponent(m.id)}/settings`, out);
          toast(`Settings of ${m.name} saved.`);
          err.hidden = true;
        } catch (ex) {
          const c = ex.details?.field && controls.find((x) => x.dataset.field === ex.details.field);
          if (c) c.showError(describeError(ex));
          else { err.textContent = describeError(ex); err.hidden = false; }
        }
      },
    }, h('h3', null, `Settings for ${units.find((u) => u.id === unit)?.name || unit}`), controls, err,
    h('button', { class: 'btn btn-primary', type: 'submit' }, 'Save settings'));
    replaceChildren(box, form);
  }

  replaceChildren(body,
    h('h1', null, 'Modules'),
    h('div', { class: 'field inline' }, h('label', { for: 'module-unit' }, 'Unit'), unitSel,
      h('span', { class: 'muted small' }, 'A unit without its own setting inherits its parent’s.')),
    list);
  await load();
}

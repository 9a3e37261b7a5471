// Item types and their field specs: the built-in ones of CONTRACT §4 and the module types of
// GET /api/modules (§6), plus form controls for each field type and value parsing/validation.

import { h } from './dom.js';

const f = (name, label, type, extra = {}) => ({ name, label, type, required: false, ...extra });

export const BUILTIN_TYPES = {
  lane: { id: 'lane', name: 'Lane', fields: [f('title', 'Title', 'string', { maxLength: 200 })], stages: [] },
  card: {
    id: 'card', name: 'Card', stages: [],
    fields: [
      f('title', 'Title', 'string', { required: true, maxLength: 200 }),
      f('description', 'Description', 'text', { maxLength: 20000 }),
      f('status', 'Status', 'enum', { values: ['todo', 'doing', 'done'] }),
      f('assignee', 'Assignee', 'string'),
      f('due', 'Due', 'date'),
      f('progress', 'Progress (%)', 'number', { min: 0, max: 100 }),
      f('tags', 'Tags', 'list', { help: 'Separate tags with commas.' }),
    ],
  },
  comment: {
    id: 'comment', name: 'Comment', stages: [],
    fields: [f('text', 'Text', 'text', { required: true, maxLength: 20000 })],
  },
  check: {
    id: 'check', name: 'Checklist entry', stages: [],
    fields: [
      f('text', 'Text', 'string', { required: true, maxLength: 1000 }),
      f('done', 'Done', 'boolean'),
      f('assignee', 'Assignee', 'string'),
      f('due', 'Due', 'date'),
    ],
  },
  goal: {
    id: 'goal', name: 'Goal', stages: [],
    fields: [
      f('title', 'Title', 'string', { required: true, maxLength: 200 }),
      f('metric', 'Metric (field summed from linked cards)', 'string', { help: 'e.g. students — linked cards then get a numeric field of that name.' }),
      f('target', 'Target', 'number', { min: 0 }),
      f('due', 'Due', 'date'),
    ],
  },
};

export const STATUS_LABELS = { todo: 'To do', doing: 'Doing', done: 'Done' };

/** A registry of all item types: built-ins plus `moduleId:typeId` from the modules list. */
export class TypeRegistry {
  constructor(modules = []) {
    this.types = new Map(Object.entries(BUILTIN_TYPES));
    this.moduleOf = new Map();
    for (const m of modules) {
      for (const t of m.itemTypes || []) {
        const key = `${m.id}:${t.id}`;
        this.types.set(key, { ...t, id: key, fields: t.fields || [], stages: t.stages || [], module: m });
        this.moduleOf.set(key, m.id);
      }
    }
  }

  get(type) {
    return this.types.get(type) || { id: type, name: type, fields: [], stages: [], unknown: true };
  }

  name(type) {
    return this.get(type).name || type;
  }

  /** Types of enabled modules (and built-in card/goal) a user can create inside a lane. */
  creatable(enabledModules) {
    const out = [this.types.get('card'), this.types.get('goal')];
    for (const [key, t] of this.types) {
      if (!this.moduleOf.has(key)) continue;
      const m = t.module;
      if (enabledModules && !enabledModules.has(m.id)) continue;
      if (m.state && m.state !== 'STARTED') continue;
      out.push(t);
    }
    return out;
  }
}

/** The value shown in an input for a stored value. */
function toInput(spec, value) {
  if (value === undefined || value === null) return '';
  if (spec.type === 'list') return Array.isArray(value) ? value.join(', ') : String(value);
  return String(value);
}

/**
 * Parses the raw control value for `spec`: returns {value} (null = remove the field) or
 * {error: 'plain words'}.
 */
export function parseValue(spec, raw) {
  const label = spec.label || spec.name;
  if (spec.type === 'boolean') return { value: !!raw };
  const s = typeof raw === 'string' ? raw.trim() : raw;
  if (s === '' || s === null || s === undefined) {
    if (spec.required) return { error: `${label} is required.` };
    return { value: null };
  }
  switch (spec.type) {
    case 'number':
    case 'integer': {
      const n = Number(s);
      if (!Number.isFinite(n)) return { error: `${label} must be a number.` };
      if (spec.type === 'integer' && !Number.isInteger(n)) return { error: `${label} must be a whole number.` };
      if (spec.min != null && n < spec.min) return { error: `${label} must be at least ${spec.min}.` };
      if (spec.max != null && n > spec.max) return { error: `${label} must be at most ${spec.max}.` };
      return { value: n };
    }
    case 'date':
      if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return { error: `${label} must be a date (YYYY-MM-DD).` };
      return { value: s };
    case 'enum':
      if (spec.values && !spec.values.includes(s)) return { error: `${label} must be one of: ${spec.values.join(', ')}.` };
      return { value: s };
    case 'list': {
      const list = String(s).split(',').map((x) => x.trim()).filter(Boolean);
      if (spec.maxLength != null && list.length > spec.maxLength) return { error: `${label} takes at most ${spec.maxLength} entries.` };
      return { value: list.length ? list : null };
    }
    default:
      if (spec.maxLength != null && String(s).length > spec.maxLength) return { error: `${label} must be at most ${spec.maxLength} characters.` };
      return { value: String(s) };
  }
}

/**
 * A labelled control for one field. `onCommit(value)` gets the parsed value when the user
 * finishes editing (change event); a parse error is shown next to the field and nothing is sent.
 * Returns the wrapper element; `wrapper.showError(msg)` shows a server-side error.
 */
export function fieldControl(spec, value, { idPrefix, onCommit, disabled, units } = {}) {
  const id = `${idPrefix || 'f'}-${spec.name}`;
  const errId = `${id}-err`;
  const err = h('div', { class: 'field-error', id: errId, role: 'alert', hidden: true });
  const common = {
    id, name: spec.name, disabled: !!disabled, 'aria-describedby': errId,
    'aria-required': spec.required ? 'true' : null, dataset: { focusKey: id },
  };
  let control;
  const commit = () => {
    const raw = spec.type === 'boolean' ? control.checked : control.value;
    const parsed = parseValue(spec, raw);
    if (parsed.error) return wrapper.showError(parsed.error);
    wrapper.showError(null);
    onCommit?.(parsed.value);
  };
  switch (spec.type) {
    case 'text':
      control = h('textarea', { ...common, rows: 4, maxlength: spec.maxLength }, toInput(spec, value));
      break;
    case 'number':
    case 'integer':
      control = h('input', { ...common, type: 'number', step: spec.type === 'integer' ? '1' : 'any', min: spec.min, max: spec.max, value: toInput(spec, value) });
      break;
    case 'date':
      control = h('input', { ...common, type: 'date', value: toInput(spec, value) });
      break;
    case 'boolean':
      control = h('input', { ...common, type: 'checkbox', checked: !!value });
      break;
    case 'enum':
      control = h('select', common,
        h('option', { value: '' }, spec.required ? 'Choose…' : '—'),
        (spec.values || []).map((v) => h('option', { value: v, selected: v === value }, STATUS_LABELS[v] && spec.name === 'status' ? STATUS_LABELS[v] : v)));
      break;
    case 'unit':
      if (units && units.length) {
        control = h('select', common, h('option', { value: '' }, '—'),
          units.map((u) => h('option', { value: u.id, selected: u.id === value }, u.name)));
        break;
      }
      control = h('input', { ...common, type: 'text', value: toInput(spec, value) });
      break;
    default:
      control = h('input', { ...common, type: 'text', maxlength: spec.type === 'list' ? null : spec.maxLength, value: toInput(spec, value) });
  }
  control.addEventListener('change', commit);
  const label = h('label', { for: id }, spec.label || spec.name, spec.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null);
  const help = spec.help ? h('div', { class: 'field-help' }, spec.help) : null;
  const wrapper = h('div', { class: `field field-${spec.type}`, dataset: { field: spec.name } },
    spec.type === 'boolean' ? h('div', { class: 'check' }, control, label) : [label, control], help, err);
  wrapper.control = control;
  wrapper.showError = (msg) => {
    err.textContent = msg || '';
    err.hidden = !msg;
    control.setAttribute('aria-invalid', msg ? 'true' : 'false');
  };
  /** Updates the shown value from a remote change unless the user is typing in it. */
  wrapper.update = (v) => {
    if (document.activeElement === control) return;
    if (spec.type === 'boolean') control.checked = !!v;
    else control.value = toInput(spec, v);
  };
  return wrapper;
}

/** A short text rendering of a value for cards and lists. */
export function formatValue(spec, value) {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (spec?.name === 'status' && STATUS_LABELS[value]) return STATUS_LABELS[value];
  return String(value);
}

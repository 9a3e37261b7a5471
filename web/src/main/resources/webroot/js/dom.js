// A tiny element builder. All text goes in as text nodes and all attributes through
// setAttribute, so user data is never parsed as HTML (no innerHTML anywhere in the app).

const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'tabIndex', 'draggable', 'open', 'indeterminate']);

/**
 * h('button', {class: 'x', onclick: fn, 'aria-label': 'Close'}, 'text', child, [more])
 * Props: `class`, `style` (object), `dataset` (object), `on<event>` (function), DOM properties
 * in PROPS, anything else as an attribute (true → empty attribute; null/false → omitted).
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'style' && typeof v === 'object') {
        // setProperty, because assigning custom properties ("--peer") to el.style does nothing.
        for (const [name, value] of Object.entries(v)) {
          if (name.startsWith('--')) el.style.setProperty(name, value);
          else el.style[name] = value;
        }
      }
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
      else if (PROPS.has(k)) el[k] = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false || c === true) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** Replaces the children of `el` by `children`, keeping focus on the element with the same data-focus key. */
export function replaceChildren(el, ...children) {
  const active = document.activeElement;
  const key = active && el.contains(active) ? active.dataset?.focusKey : null;
  const selection = key && 'selectionStart' in active ? [active.selectionStart, active.selectionEnd] : null;
  el.replaceChildren();
  append(el, children);
  if (key) {
    const again = el.querySelector(`[data-focus-key="${CSS.escape(key)}"]`);
    if (again) {
      again.focus({ preventScroll: true });
      if (selection && 'setSelectionRange' in again) {
        try { again.setSelectionRange(...selection); } catch { /* not a text input */ }
      }
    }
  }
}

/** Initials for an avatar: "Ada Lovelace" → "AL". */
export function initials(name) {
  const parts = String(name || '?').trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  if (parts.length === 1) return parts[0].slice(0, 2).toUpperCase();
  return (parts[0][0] + parts[parts.length - 1][0]).toUpperCase();
}

/** A stable colour for a user id. */
export function colourFor(id) {
  let hash = 0;
  for (const ch of String(id)) hash = (hash * 31 + ch.charCodeAt(0)) | 0;
  return `hsl(${Math.abs(hash) % 360} 62% 42%)`;
}

/** A random id for new items: 16 chars of [A-Za-z0-9] (CONTRACT §4 allows 1–64 of [A-Za-z0-9_-]). */
export function newId(prefix = '') {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = new Uint8Array(14);
  crypto.getRandomValues(bytes);
  let s = prefix;
  for (const b of bytes) s += abc[b % abc.length];
  return s;
}

// Plain-words explanations of CONTRACT §2 error codes, and the toast area that shows them.

import { h } from './dom.js';

const EXPLAIN = {
  BAD_REQUEST: 'The request was not understood.',
  VALIDATION_FAILED: 'A value is not accepted.',
  UNAUTHENTICATED: 'You are signed out (your session expired or your account was removed). Please sign in again.',
  FORBIDDEN: 'You do not have permission for this: your role or your unit does not allow it.',
  NOT_FOUND: 'Not found — it does not exist, or it is outside the boards you may see.',
  CONFLICT: 'That id or name is already in use.',
  ID_TAKEN: 'An item with that id already exists.',
  LINK_CYCLE: 'That link would make a cycle: an item cannot contribute, directly or indirectly, to itself.',
  MODULE_DISABLED: 'This module is not enabled for the unit of this board. A unit administrator can enable it under Admin → Modules.',
  PAYLOAD_TOO_LARGE: 'That is too large to save.',
  RATE_LIMITED: 'Too many changes in a short time. Wait a moment and try again.',
  UNAVAILABLE: 'The server cannot save right now; nothing was changed. Try again in a moment.',
  INTERNAL: 'Something went wrong on the server.',
  NETWORK: 'The server cannot be reached.',
  BAD_MESSAGE: 'The server did not understand a message from this page.',
};

/** One sentence (or two) for a user: what happened, in plain words, plus the server's detail. */
export function describeError(err) {
  if (!err) return 'Something went wrong.';
  const code = err.code || 'INTERNAL';
  const base = EXPLAIN[code] || 'Something went wrong.';
  const msg = err.message && err.message !== base ? err.message : '';
  if (code === 'VALIDATION_FAILED' && msg) return msg.endsWith('.') ? msg : msg + '.';
  if (code === 'INTERNAL' && msg) return `${base} (Reference: ${msg})`;
  return msg ? `${base} ${msg}${/[.!?]$/.test(msg) ? '' : '.'}` : base;
}

let area = null;

function toastArea() {
  if (!area) {
    area = h('div', { class: 'toasts', role: 'region', 'aria-label': 'Notifications' });
    document.body.appendChild(area);
  }
  return area;
}

/** Shows a message; kind 'error' uses role=alert so screen readers announce it at once. */
export function toast(message, kind = 'info', timeoutMs = kind === 'error' ? 12000 : 5000) {
  const el = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('span', { class: 'toast-text' }, message),
    h('button', { class: 'icon-btn', 'aria-label': 'Dismiss', onclick: () => el.remove() }, '×'));
  toastArea().appendChild(el);
  if (timeoutMs) setTimeout(() => el.remove(), timeoutMs);
  return el;
}

export function toastError(err, prefix) {
  return toast(prefix ? `${prefix}: ${describeError(err)}` : describeError(err), 'error');
}

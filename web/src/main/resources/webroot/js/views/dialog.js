// A modal dialog built on <dialog>: focus is trapped by the browser, Escape closes it.

import { h } from '../dom.js';

/**
 * openDialog({title, body, actions:[{label, primary, submit, danger, onClick}]}) → {el, close}
 * The submit action also runs on Enter inside the form.
 */
export function openDialog({ title, body, actions = [], wide = false, onClose }) {
  const titleId = `dlg-${Math.random().toString(36).slice(2)}`;
  const submit = actions.find((a) => a.submit);
  const form = h('form', { method: 'dialog', class: 'dialog-form', onsubmit: (e) => { e.preventDefault(); submit?.onClick(); } },
    h('h2', { id: titleId }, title),
    h('div', { class: 'dialog-body' }, body),
    h('div', { class: 'dialog-actions' }, actions.map((a) => h('button', {
      type: a.submit ? 'submit' : 'button',
      class: `btn ${a.primary ? 'btn-primary' : ''} ${a.danger ? 'btn-danger' : ''}`,
      onclick: a.submit ? null : () => a.onClick(),
    }, a.label))));
  const el = h('dialog', { class: `dialog ${wide ? 'dialog-wide' : ''}`, 'aria-labelledby': titleId }, form);
  const close = () => {
    if (el.open) el.close();
    el.remove();
  };
  el.addEventListener('close', () => { el.remove(); onClose?.(); });
  document.body.appendChild(el);
  el.showModal();
  const first = el.querySelector('input, select, textarea');
  if (first) first.focus();
  return { el, close };
}

/** A yes/no confirmation; resolves true when confirmed. */
export function confirmDialog(title, text, confirmLabel = 'Delete') {
  return new Promise((resolve) => {
    let done = false;
    const d = openDialog({
      title,
      body: h('p', null, text),
      actions: [
        { label: 'Cancel', onClick: () => { done = true; d.close(); resolve(false); } },
        { label: confirmLabel, danger: true, submit: true, onClick: () => { done = true; d.close(); resolve(true); } },
      ],
      onClose: () => { if (!done) resolve(false); },
    });
  });
}

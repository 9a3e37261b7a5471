// A small popup menu (role=menu) anchored to a button, rendered in a layer outside the board
// so board re-renders do not close it. Arrow keys move between items, Escape closes.

import { h } from '../dom.js';

let open = null;

export function closeMenu() {
  if (!open) return;
  const { el, anchor } = open;
  open = null;
  el.remove();
  anchor?.setAttribute('aria-expanded', 'false');
  document.removeEventListener('mousedown', onOutside, true);
}

function onOutside(e) {
  if (open && !open.el.contains(e.target) && e.target !== open.anchor) closeMenu();
}

/** items: [{label, onSelect, danger?, disabled?}] */
export function openMenu(anchor, items, label) {
  closeMenu();
  const buttons = items.filter(Boolean).map((it) => h('button', {
    role: 'menuitem', class: `menu-item ${it.danger ? 'danger' : ''}`, disabled: !!it.disabled, tabIndex: -1,
    onclick: () => { closeMenu(); anchor?.focus(); it.onSelect(); },
  }, it.label));
  const el = h('div', { class: 'menu', role: 'menu', 'aria-label': label || 'Actions' }, buttons);
  el.addEventListener('keydown', (e) => {
    const i = buttons.indexOf(document.activeElement);
    if (e.key === 'ArrowDown') { e.preventDefault(); buttons[(i + 1) % buttons.length].focus(); }
    else if (e.key === 'ArrowUp') { e.preventDefault(); buttons[(i - 1 + buttons.length) % buttons.length].focus(); }
    else if (e.key === 'Escape' || e.key === 'Tab') { e.preventDefault(); closeMenu(); anchor?.focus(); }
  });
  document.body.appendChild(el);
  const r = anchor.getBoundingClientRect();
  const left = Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - el.offsetWidth - 8);
  el.style.left = `${Math.max(8, left)}px`;
  el.style.top = `${window.scrollY + r.bottom + 4}px`;
  anchor.setAttribute('aria-expanded', 'true');
  open = { el, anchor };
  setTimeout(() => document.addEventListener('mousedown', onOutside, true));
  buttons.find((b) => !b.disabled)?.focus();
}

/** A "⋯" button that opens `items()` as a menu. */
export function menuButton(label, items) {
  const btn = h('button', {
    class: 'icon-btn menu-btn', type: 'button', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'aria-label': label, title: label,
    onclick: (e) => { e.stopPropagation(); if (open && open.anchor === btn) closeMenu(); else openMenu(btn, items(), label); },
    onkeydown: (e) => e.stopPropagation(),
  }, '⋯');
  return btn;
}

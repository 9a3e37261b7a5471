import { h, replaceChildren } from '../dom.js';
import { session } from '../session.js';
import { describeError } from '../errors.js';

export function renderLogin(main) {
  if (session.signedIn) {
    location.hash = '#/';
    return;
  }
  const user = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true, autofocus: true });
  const pw = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const err = h('p', { class: 'error-box', role: 'alert', hidden: true });
  const btn = h('button', { class: 'btn btn-primary', type: 'submit', id: 'login-submit' }, 'Sign in');
  const form = h('form', {
    class: 'card-panel login', 'aria-labelledby': 'login-title',
    onsubmit: async (e) => {
      e.preventDefault();
      err.hidden = true;
      btn.disabled = true;
      try {
        await session.login(user.value.trim(), pw.value);
        const next = sessionStorage.getItem('linkboard.after-login');
        sessionStorage.removeItem('linkboard.after-login');
        location.hash = next && next !== '#/login' ? next : '#/';
      } catch (ex) {
        err.textContent = ex.status === 401 ? 'Wrong username or password.' : describeError(ex);
        err.hidden = false;
        pw.select();
      } finally {
        btn.disabled = false;
      }
    },
  },
  h('h1', { id: 'login-title' }, 'Sign in to Linkboard'),
  h('p', { class: 'muted' }, 'Plan together across departments, offices and colleges.'),
  h('div', { class: 'field' }, h('label', { for: 'login-username' }, 'Username'), user),
  h('div', { class: 'field' }, h('label', { for: 'login-password' }, 'Password'), pw),
  err, btn);
  replaceChildren(main, h('div', { class: 'center-page' }, form));
  user.focus();
}

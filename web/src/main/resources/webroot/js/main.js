// App entry: the top bar, hash routing, and the "sign in again" prompt.

import { h, replaceChildren, initials, colourFor } from './dom.js';
import { session } from './session.js';
import { toast, describeError } from './errors.js';
import { renderLogin } from './views/login.js';
import { renderHome } from './views/home.js';
import { renderBoard } from './views/board.js';
import { renderLinkage } from './views/linkage.js';
import { renderAdmin } from './views/admin.js';
import { openDialog } from './views/dialog.js';
import { Bell } from './views/bell.js';

const main = document.getElementById('main');
const topbar = document.getElementById('topbar');
let cleanup = null;
let bell = null;

const routes = [
  [/^#\/login$/, () => renderLogin],
  [/^#\/?$/, () => renderHome],
  [/^#\/board\/([^/]+)$/, () => renderBoard],
  [/^#\/board\/([^/]+)\/linkage\/([^/]+)$/, () => renderLinkage],
  [/^#\/admin\/(units|users|modules)$/, () => renderAdmin],
];

function renderTopbar() {
  const u = session.user;
  const link = (href, text) => h('a', { href, 'aria-current': location.hash === href || (href === '#/' && location.hash === '') ? 'page' : null }, text);
  replaceChildren(topbar,
    h('a', { class: 'brand', href: '#/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '▦'), 'Linkboard'),
    u ? h('nav', { 'aria-label': 'Main' },
      link('#/', 'Boards'),
      session.canManage ? [link('#/admin/units', 'Units'), link('#/admin/users', 'Users'), link('#/admin/modules', 'Modules')] : null) : null,
    h('div', { class: 'spacer' }),
    u ? bellFor(u).el : null,
    u ? h('div', { class: 'me' },
      h('span', { class: 'avatar', style: { background: colourFor(u.id) }, 'aria-hidden': 'true' }, initials(u.name || u.username)),
      h('span', { class: 'me-name' }, u.name || u.username, h('span', { class: 'muted' }, ` · ${(u.roles || []).join(', ')}`)),
      h('button', { class: 'btn btn-ghost', onclick: () => { session.logout(); location.hash = '#/login'; } }, 'Sign out')) : null);
}

/** One bell per signed-in user, kept across page changes (it holds a WebSocket of its own). */
function bellFor(u) {
  if (bell && bell.userId === u.id) return bell;
  if (bell) bell.stop();
  bell = new Bell();
  bell.userId = u.id;
  bell.start();
  return bell;
}

function syncTopbarHeight() {
  document.documentElement.style.setProperty('--topbar-h', `${topbar.offsetHeight}px`);
}
window.addEventListener('resize', syncTopbarHeight);

function route() {
  if (cleanup) {
    try { cleanup(); } catch (e) { console.error(e); }
    cleanup = null;
  }
  let hash = location.hash || '#/';
  if (!session.signedIn && hash !== '#/login') {
    sessionStorage.setItem('linkboard.after-login', hash);
    location.hash = '#/login';
    return;
  }
  renderTopbar();
  syncTopbarHeight();
  for (const [re, view] of routes) {
    const m = hash.match(re);
    if (m) {
      main.replaceChildren();
      const params = m.slice(1).map(decodeURIComponent);
      const result = view()(main, ...params);
      Promise.resolve(result).then((c) => { cleanup = typeof c === 'function' ? c : null; })
        .catch((e) => { console.error(e); replaceChildren(main, h('p', { class: 'error-box', role: 'alert' }, describeError(e))); });
      return;
    }
  }
  replaceChildren(main, h('h1', null, 'Page not found'), h('p', null, h('a', { href: '#/' }, 'Back to the boards')));
}

// Ask for the password again when the token is about to expire (no refresh endpoint in v1).
session.onReauthNeeded = () => new Promise((resolve) => {
  const pw = h('input', { type: 'password', id: 'reauth-pw', autocomplete: 'current-password', required: true });
  const err = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const dlg = openDialog({
    title: 'Stay signed in',
    body: [h('p', null, `Your session ends soon. Enter the password of ${session.user?.username || 'your account'} to continue without losing anything.`),
      h('label', { for: 'reauth-pw' }, 'Password'), pw, err],
    actions: [
      { label: 'Later', onClick: () => { dlg.close(); resolve(false); } },
      { label: 'Stay signed in', primary: true, submit: true, onClick: async () => {
        try {
          await session.login(session.user.username, pw.value);
          dlg.close();
          resolve(true);
        } catch (e) {
          err.textContent = describeError(e);
          err.hidden = false;
        }
      } },
    ],
  });
});

session.onChange((why) => {
  if (why === 'expired') {
    toast('Your session has ended. Please sign in again — edits you made are kept on this device and sent after you sign in.', 'error');
    route();
  }
  if (why === 'logout') {
    if (bell) bell.stop();
    bell = null;
    renderTopbar();
  }
});

window.addEventListener('hashchange', route);
route();

// Roles or unit may have changed since the token was stored: refresh the user once.
if (session.signedIn) {
  import('./api.js').then(({ get }) => get('/api/me')).then((me) => {
    if (me && session.signedIn) {
      session.accept({ token: session.token, expiresAt: session.expiresAt, user: me });
      renderTopbar();
    }
  }).catch(() => { /* a 401 already signs out; other failures keep the stored user */ });
}

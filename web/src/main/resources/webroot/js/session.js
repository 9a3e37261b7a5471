// The signed-in user's token, kept in localStorage so a reload stays signed in.
//
// Tokens expire (CONTRACT §3, 12 h by default). Shortly before expiry the app tries
// POST /api/auth/refresh (not in CONTRACT v1; used if the server offers it) and otherwise asks
// for the password again; the new token is handed to open WebSockets as an `auth` message.

const KEY = 'linkboard.session';
const REFRESH_BEFORE_MS = 5 * 60 * 1000;

function parseExpiry(expiresAt, token) {
  if (typeof expiresAt === 'number') return expiresAt < 1e12 ? expiresAt * 1000 : expiresAt;
  if (typeof expiresAt === 'string') {
    const n = Number(expiresAt);
    if (Number.isFinite(n)) return parseExpiry(n);
    const t = Date.parse(expiresAt);
    if (Number.isFinite(t)) return t;
  }
  try {
    const claims = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    if (claims.exp) return claims.exp * 1000;
  } catch { /* not a JWT we can read */ }
  return Date.now() + 12 * 3600 * 1000;
}

class Session {
  constructor() {
    this.token = null;
    this.expiresAt = 0;
    this.user = null;
    this.listeners = new Set();
    this.timer = null;
    /** Set by the app: shows the "sign in again" prompt; resolves when a new token is in place. */
    this.onReauthNeeded = null;
    try {
      const saved = JSON.parse(localStorage.getItem(KEY) || 'null');
      if (saved && saved.token && saved.expiresAt > Date.now()) {
        Object.assign(this, { token: saved.token, expiresAt: saved.expiresAt, user: saved.user });
        this.schedule();
      }
    } catch { /* corrupt storage: start signed out */ }
  }

  get signedIn() {
    return !!this.token;
  }

  hasRole(role) {
    return !!this.user && (this.user.roles || []).includes(role);
  }

  get isAdmin() {
    return this.hasRole('admin');
  }

  get canManage() {
    return this.hasRole('admin') || this.hasRole('unit-admin');
  }

  get canEdit() {
    return this.hasRole('admin') || this.hasRole('unit-admin') || this.hasRole('editor');
  }

  onChange(fn) {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit(reason) {
    for (const fn of this.listeners) fn(reason);
  }

  async login(username, password) {
    const { post } = await import('./api.js');
    const res = await post('/api/auth/login', { username, password });
    this.accept(res);
    this.emit('login');
    return res.user;
  }

  accept(res) {
    this.token = res.token;
    this.expiresAt = parseExpiry(res.expiresAt, res.token);
    if (res.user) this.user = res.user;
    localStorage.setItem(KEY, JSON.stringify({ token: this.token, expiresAt: this.expiresAt, user: this.user }));
    this.schedule();
  }

  logout() {
    this.token = null;
    this.user = null;
    this.expiresAt = 0;
    clearTimeout(this.timer);
    localStorage.removeItem(KEY);
    this.emit('logout');
  }

  /** Called when the server answers 401: the token expired or the user was deleted. */
  expired() {
    if (!this.token) return;
    this.logout();
    this.emit('expired');
  }

  schedule() {
    clearTimeout(this.timer);
    const wait = Math.max(0, this.expiresAt - Date.now() - REFRESH_BEFORE_MS);
    // setTimeout overflows past ~24.8 days; tokens live hours, but be safe.
    this.timer = setTimeout(() => this.refresh(), Math.min(wait, 2 ** 31 - 1));
  }

  async refresh() {
    if (!this.token) return;
    try {
      const { post } = await import('./api.js');
      const res = await post('/api/auth/refresh', {});
      if (res && res.token) {
        this.accept(res);
        this.emit('refreshed');
        return;
      }
    } catch { /* no refresh endpoint: ask for the password */ }
    if (this.onReauthNeeded) {
      const ok = await this.onReauthNeeded();
      if (ok) this.emit('refreshed');
    }
  }
}

export const session = new Session();

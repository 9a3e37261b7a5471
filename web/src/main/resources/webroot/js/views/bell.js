// The notification bell in the top bar: unread count, a list to open, mark read. Notifications
// arrive live over a WebSocket of their own (`{"type":"notification",…}` goes to every open
// session of the user, docs/collaboration.md), so the bell works on every page, not only on boards.

import { h, replaceChildren } from '../dom.js';
import { get, post } from '../api.js';
import { session } from '../session.js';
import { toast } from '../errors.js';

const KIND_LABELS = { mention: 'Mention', assigned: 'Assigned', status: 'Status', due: 'Due soon', overdue: 'Overdue', 'goal-reached': 'Goal reached' };

export class Bell {
  constructor() {
    this.items = [];
    this.unread = 0;
    this.open = false;
    this.ws = null;
    this.attempt = 0;
    this.count = h('span', { class: 'bell-count', id: 'bell-count', hidden: true, 'aria-live': 'polite' });
    this.button = h('button', { class: 'icon-btn bell', id: 'bell', 'aria-label': 'Notifications', 'aria-haspopup': 'true', 'aria-expanded': 'false',
      onclick: () => this.toggle() }, '🔔', this.count);
    this.panel = h('div', { class: 'bell-panel', id: 'bell-panel', hidden: true, role: 'dialog', 'aria-label': 'Notifications',
      onkeydown: (e) => { if (e.key === 'Escape') this.toggle(false); } });
    this.el = h('div', { class: 'bell-wrap' }, this.button, this.panel);
  }

  start() {
    this.stopped = false;
    this.load();
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retry);
    if (this.ws) this.ws.close(1000);
    this.ws = null;
  }

  async load() {
    try {
      this.items = await get('/api/notifications?limit=50');
      this.unread = this.items.filter((n) => !n.read).length;
      this.render();
    } catch { /* shown as zero; the next notification refreshes */ }
  }

  connect() {
    if (this.stopped || !session.token) return;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}/ws`);
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token: session.token }));
    ws.onmessage = (ev) => {
      let m;
      try { m = JSON.parse(ev.data); } catch { return; }
      if (m.type === 'welcome') {
        this.attempt = 0;
        this.button.dataset.live = 'true';
      }
      if (m.type === 'notification' && m.notification) this.arrived(m.notification);
    };
    ws.onclose = (ev) => {
      if (ws === this.ws) delete this.button.dataset.live;
      if (ws !== this.ws || this.stopped || ev.code === 4401) return;
      this.attempt += 1;
      this.retry = setTimeout(() => { this.load(); this.connect(); }, Math.min(30000, 1000 * 2 ** Math.min(this.attempt, 5)));
    };
  }

  arrived(n) {
    if (this.items.some((x) => x.id === n.id)) return;
    this.items.unshift(n);
    if (!n.read) this.unread += 1;
    this.render();
    toast(n.text, 'info');
  }

  toggle(force) {
    this.open = force ?? !this.open;
    this.panel.hidden = !this.open;
    this.button.setAttribute('aria-expanded', String(this.open));
    if (this.open) this.render();
  }

  async markRead(n) {
    if (n.read) return;
    n.read = true;
    this.unread = Math.max(0, this.unread - 1);
    this.render();
    try { await post(`/api/notifications/${encodeURIComponent(n.id)}/read`); } catch { /* stays read here; the list reloads later */ }
  }

  async markAll() {
    this.items.forEach((n) => { n.read = true; });
    this.unread = 0;
    this.render();
    try { await post('/api/notifications/read-all'); } catch { this.load(); }
  }

  render() {
    this.count.textContent = this.unread > 99 ? '99+' : String(this.unread);
    this.count.hidden = this.unread === 0;
    this.button.setAttribute('aria-label', `Notifications${this.unread ? `, ${this.unread} unread` : ''}`);
    if (!this.open) return;
    replaceChildren(this.panel,
      h('div', { class: 'bell-head' }, h('strong', null, 'Notifications'), ' ',
        this.unread ? h('button', { class: 'btn btn-ghost btn-small', id: 'bell-read-all', onclick: () => this.markAll() }, 'Mark all read') : null),
      this.items.length ? h('ul', { class: 'notification-list' }, this.items.map((n) => h('li', { class: `notification ${n.read ? '' : 'unread'}`, dataset: { id: n.id } },
        h('a', { href: n.board ? `#/board/${encodeURIComponent(n.board)}` : '#/', onclick: () => { this.markRead(n); this.toggle(false); } },
          h('span', { class: 'chip' }, KIND_LABELS[n.kind] || n.kind), ' ', n.text,
          h('div', { class: 'muted small' }, new Date(n.at).toLocaleString())))))
        : h('p', { class: 'muted small' }, 'Nothing yet. Mentions, assignments, status changes and due dates show up here.'));
  }
}

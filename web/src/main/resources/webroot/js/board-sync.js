// Keeps one board's replica in step with the server over the WebSocket (CONTRACT §5).
//
// - Connects to /ws, authenticates with an `auth` message (browsers cannot set headers on the
//   upgrade), joins the board, and after a drop reconnects with backoff and rejoins with `since`.
// - Own ops go to the replica first (optimistic), then to the server with a cid; unacknowledged
//   ops are re-sent with their original cids after every rejoin (the server dedups by cid) and
//   kept in localStorage so a reload loses nothing.
// - A seq gap in acks or ops means something was missed: rejoin with `since`.
// - Presence: peers from `joined.peers` and `presence` messages; own state sent throttled.
//
// Status for the UI: 'connecting' | 'live' | 'reconnecting' | 'offline' (+ pending count).

import { BoardReplica } from './replica.js';
import { session } from './session.js';

const PING_EVERY_MS = 20000;
const PONG_TIMEOUT_MS = 10000;
const PRESENCE_THROTTLE_MS = 200;
const MAX_OP_BYTES = 200 * 1024;

function storageKey(userId, boardId) {
  return `linkboard.pending.${userId}.${boardId}`;
}

export class BoardSync {
  constructor(boardId, { url } = {}) {
    this.boardId = boardId;
    this.url = url || `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    const tab = Math.random().toString(36).slice(2, 8) + Date.now().toString(36).slice(-4);
    this.replica = new BoardReplica(`c${tab}`, boardId);
    this.status = 'connecting';
    this.ws = null;
    this.joined = false;
    this.joining = false;
    this.stopped = false;
    this.manualOffline = false;
    this.dropOps = 0;
    this.attempt = 0;
    this.me = session.user;
    this.mySession = null;
    /** session id → {session, user:{id,name}, state} */
    this.peers = new Map();
    this.presenceState = {};
    this.presenceTimer = null;
    this.presenceDirty = false;
    this.listeners = new Map();
    this.timers = new Set();
    this.lastHeard = Date.now();
    this.unsubscribeSession = session.onChange((why) => {
      if (why === 'refreshed' && this.ws && this.ws.readyState === WebSocket.OPEN) this.send({ type: 'auth', token: session.token });
    });
    const saved = this.loadPending();
    if (saved.length) this.replica.restorePending(saved);
  }

  on(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(fn);
    return () => this.listeners.get(type).delete(fn);
  }

  emit(type, detail) {
    for (const fn of this.listeners.get(type) || []) {
      try { fn(detail); } catch (e) { console.error(e); }
    }
  }

  // ---- storage of unacknowledged edits -------------------------------------------------------

  loadPending() {
    try {
      return JSON.parse(localStorage.getItem(storageKey(session.user?.id, this.boardId)) || '[]');
    } catch {
      return [];
    }
  }

  savePending() {
    const key = storageKey(session.user?.id, this.boardId);
    const list = this.replica.pendingForStorage();
    try {
      if (list.length) localStorage.setItem(key, JSON.stringify(list));
      else localStorage.removeItem(key);
    } catch { /* storage full: edits still live in memory */ }
  }

  // ---- connection lifecycle ------------------------------------------------------------------

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.unsubscribeSession();
    for (const t of this.timers) clearTimeout(t);
    clearInterval(this.pingTimer);
    if (this.ws) {
      try { this.send({ type: 'leave', board: this.boardId }); } catch { /* closing anyway */ }
      this.ws.close(1000);
    }
    this.ws = null;
  }

  /** Test/ops hook: drop the connection and stay offline until reconnect(). */
  disconnect() {
    this.manualOffline = true;
    if (this.ws) this.ws.close(4000, 'client offline');
    this.setStatus('offline');
  }

  reconnect() {
    this.manualOffline = false;
    this.attempt = 0;
    if (!this.ws) this.connect();
  }

  later(fn, ms) {
    const t = setTimeout(() => { this.timers.delete(t); fn(); }, ms);
    this.timers.add(t);
  }

  setStatus(status) {
    this.status = status;
    this.emit('status', { status, pending: this.replica.pending.length });
  }

  connect() {
    if (this.stopped || this.manualOffline || !session.token) return;
    this.setStatus(this.attempt === 0 && !this.replica.loaded ? 'connecting' : 'reconnecting');
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    this.joined = false;
    this.joining = false;
    ws.onopen = () => {
      this.lastHeard = Date.now();
      ws.send(JSON.stringify({ type: 'auth', token: session.token }));
    };
    ws.onmessage = (ev) => {
      if (ws !== this.ws) return;
      this.lastHeard = Date.now();
      let msg;
      try { msg = JSON.parse(ev.data); } catch { return; }
      this.handle(msg);
    };
    ws.onclose = (ev) => {
      if (ws !== this.ws) return;
      this.ws = null;
      this.joined = false;
      clearInterval(this.pingTimer);
      this.peers.clear();
      this.emit('presence', this.peerList());
      if (this.stopped) return;
      if (ev.code === 4401) {
        // Token refused: ask the user to sign in again, then come back.
        this.setStatus('offline');
        this.emit('auth-failed', {});
        return;
      }
      if (this.manualOffline) {
        this.setStatus('offline');
        return;
      }
      this.scheduleReconnect();
    };
    ws.onerror = () => { /* onclose follows and reconnects */ };
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => this.heartbeat(), PING_EVERY_MS);
  }

  scheduleReconnect() {
    this.attempt += 1;
    // After a few failures, tell the user we are offline (edits keep queueing).
    this.setStatus(this.attempt > 3 ? 'offline' : 'reconnecting');
    const base = Math.min(10000, 300 * 2 ** Math.min(this.attempt, 6));
    this.later(() => this.connect(), base / 2 + Math.random() * base / 2);
  }

  heartbeat() {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastHeard > PING_EVERY_MS + PONG_TIMEOUT_MS) {
      // Silent connection (e.g. a dead network path): close it and reconnect.
      this.ws.close(4000, 'no pong');
      return;
    }
    this.send({ type: 'ping' });
  }

  send(msg) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(msg));
      return true;
    }
    return false;
  }

  join() {
    this.joining = true;
    const msg = { type: 'join', board: this.boardId };
    if (this.replica.loaded) msg.since = this.replica.version;
    this.send(msg);
  }

  // ---- protocol ------------------------------------------------------------------------------

  handle(msg) {
    if (this.dropOps > 0 && msg.type === 'op') {
      // Test hook (window.__linkboard.dropNextOp): lose a frame to exercise gap detection.
      this.dropOps -= 1;
      return;
    }
    switch (msg.type) {
      case 'welcome':
        this.mySession = msg.session;
        if (msg.user) this.me = msg.user;
        this.join();
        break;
      case 'joined':
        if (msg.board !== this.boardId) break;
        this.onJoined(msg);
        break;
      case 'ack':
        if (msg.board !== this.boardId || this.joining) break;
        if (this.replica.ack(msg.cid, msg.seq, msg.assigned) === 'gap') this.join();
        this.changed();
        break;
      case 'reject': {
        if (msg.board !== this.boardId) break;
        const op = this.replica.reject(msg.cid);
        if (op) this.emit('reject', { op, error: msg.error || {} });
        this.changed();
        break;
      }
      case 'op':
        if (msg.board !== this.boardId || this.joining) break;
        if (this.replica.remote(msg.seq, msg.op, msg.cid) === 'gap') this.join();
        else this.changed({ remote: msg });
        break;
      case 'rollup':
        if (msg.board !== this.boardId) break;
        this.replica.setRollup(msg.item, msg.rollup);
        this.changed();
        break;
      case 'presence':
        if (msg.board !== this.boardId || msg.session === this.mySession) break;
        if (msg.left) this.peers.delete(msg.session);
        else this.peers.set(msg.session, { session: msg.session, user: msg.user || {}, state: msg.state || {} });
        this.emit('presence', this.peerList());
        break;
      case 'error':
        this.onError(msg);
        break;
      default:
        break; // pong and future message types
    }
  }

  onJoined(msg) {
    this.joining = false;
    this.joined = true;
    this.attempt = 0;
    if (msg.snapshot) {
      this.replica.loadSnapshot(msg.snapshot.items || {}, msg.version);
    } else {
      let gap = false;
      for (const o of msg.ops || []) {
        if (this.replica.remote(o.seq, o.op, o.cid) === 'gap') { gap = true; break; }
      }
      if (gap) {
        // Should not happen; a fresh snapshot is the safe way back.
        this.replica.loaded = false;
        this.join();
        return;
      }
    }
    this.peers.clear();
    for (const p of msg.peers || []) {
      const sessionId = p.session ?? p.id;
      if (sessionId === this.mySession) continue;
      this.peers.set(sessionId, { session: sessionId, user: p.user || { id: p.userId, name: p.name }, state: p.state || {} });
    }
    this.setStatus('live');
    // Re-send everything not yet acknowledged, in order, with the original cids.
    for (const p of this.replica.pending) this.send({ type: 'op', board: this.boardId, cid: p.cid, op: p.op });
    this.sendPresenceNow();
    this.emit('presence', this.peerList());
    this.changed({ joined: true });
  }

  onError(msg) {
    const err = msg.error || {};
    if (msg.board && msg.board !== this.boardId) return;
    if (err.code === 'NOT_FOUND' && msg.board === this.boardId) {
      this.emit('fatal', err);
      this.stop();
      return;
    }
    if (err.code === 'BAD_REQUEST' && !this.joined) return;
    if (err.code === 'UNAUTHENTICATED') {
      this.emit('auth-failed', err);
      return;
    }
    this.emit('error', err);
  }

  changed(detail = {}) {
    this.savePending();
    this.emit('change', detail);
    this.emit('status', { status: this.status, pending: this.replica.pending.length });
  }

  // ---- own edits -----------------------------------------------------------------------------

  /** Applies own ops optimistically and sends them; `history` as in BoardReplica.submit. */
  submit(ops, history = 'edit') {
    if (!ops.length) return [];
    // The server closes the socket (1009) on a frame over 256 KiB; re-sending it after the
    // reconnect would loop, so an op that large never leaves the page.
    const tooBig = ops.find((op) => new Blob([JSON.stringify(op)]).size > MAX_OP_BYTES);
    if (tooBig) {
      this.emit('reject', { op: tooBig, error: { code: 'PAYLOAD_TOO_LARGE', message: 'This change is too large to save (over 200 KB).' } });
      return [];
    }
    const sent = this.replica.submit(ops, history);
    this.savePending();
    if (this.joined) for (const p of sent) this.send({ type: 'op', board: this.boardId, cid: p.cid, op: p.op });
    this.changed({ local: true });
    return sent;
  }

  undo() {
    return this.replay(this.replica.takeUndo(), 'undo');
  }

  redo() {
    return this.replay(this.replica.takeRedo(), 'redo');
  }

  replay(taken, history) {
    if (!taken) return { done: false };
    this.submit(taken.ops, history);
    return { done: true, skipped: taken.skipped, empty: taken.ops.length === 0 };
  }

  // ---- presence ------------------------------------------------------------------------------

  setPresence(state) {
    this.presenceState = { ...this.presenceState, ...state };
    this.presenceDirty = true;
    if (this.presenceTimer) return;
    this.sendPresenceNow();
    this.presenceTimer = setTimeout(() => {
      this.presenceTimer = null;
      if (this.presenceDirty) this.sendPresenceNow();
    }, PRESENCE_THROTTLE_MS);
  }

  sendPresenceNow() {
    if (!this.joined) return;
    this.presenceDirty = false;
    this.send({ type: 'presence', board: this.boardId, state: this.presenceState });
  }

  peerList() {
    return [...this.peers.values()];
  }
}

// Names of users by id, for comment authors and mention autocomplete, from
// GET /api/users/lookup (readable by any signed-in user: id, username, name only).

import { get } from './api.js';

const byId = new Map(); // id → {id, username, name} | null while loading
const waiting = new Set();
let timer = null;

/** The display name of a user id if known; otherwise starts a lookup and calls `onLoaded` once it arrives. */
export function userName(id, onLoaded) {
  if (!id) return 'Someone';
  const u = byId.get(id);
  if (u) return u.name || u.username;
  if (onLoaded) waiting.add(onLoaded);
  if (!byId.has(id)) {
    byId.set(id, null);
    // Batch the ids asked for during one render into a single request.
    clearTimeout(timer);
    timer = setTimeout(loadPending, 0);
  }
  return id;
}

export function rememberUser(u) {
  if (u && u.id) byId.set(u.id, { id: u.id, username: u.username, name: u.name });
}

async function loadPending() {
  const ids = [...byId.entries()].filter(([, v]) => v === null).map(([k]) => k);
  if (!ids.length) return;
  try {
    const found = await get(`/api/users/lookup?ids=${encodeURIComponent(ids.join(','))}`);
    for (const u of found) rememberUser(u);
    for (const id of ids) if (!byId.get(id)) byId.set(id, { id, username: id, name: 'Unknown user' });
  } catch {
    for (const id of ids) byId.delete(id);
    return;
  }
  const calls = [...waiting];
  waiting.clear();
  calls.forEach((f) => f());
}

/** Users whose username or name starts with (or contains) `q`, for @mention autocomplete. */
export async function searchUsers(q) {
  const found = await get(`/api/users/lookup?q=${encodeURIComponent(q)}`);
  found.forEach(rememberUser);
  return found;
}

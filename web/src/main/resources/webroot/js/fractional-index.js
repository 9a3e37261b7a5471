// Position keys (CONTRACT §4 `pos`): a port of the server's FractionalIndex, which is the scheme
// of the npm package `fractional-indexing` (base-62 digits "0-9A-Za-z"; see docs/board-model.md).
//
// A key is an integer part — a head letter telling its length (a: 2 chars … z: 27; Z: 2 … A: 27
// for negative integers) followed by that many minus one digits — then an optional fraction
// without a trailing "0". Keys compare with plain `<` (never localeCompare), like Java's
// String.compareTo on the server. The first key is "a0"; appending gives a1 … az b00 …
//
// The server rejects malformed keys, so only keys from this module are sent.

export const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;
const SMALLEST_INTEGER = 'A' + '0'.repeat(26);
export const MAX_LENGTH = 1024;

function digit(c) {
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  if (c >= 'A' && c <= 'Z') return c.charCodeAt(0) - 65 + 10;
  if (c >= 'a' && c <= 'z') return c.charCodeAt(0) - 97 + 36;
  return -1;
}

function integerLength(head) {
  if (head >= 'a' && head <= 'z') return head.charCodeAt(0) - 97 + 2;
  if (head >= 'A' && head <= 'Z') return 90 - head.charCodeAt(0) + 2;
  return -1;
}

function integerPart(key) {
  return key.slice(0, integerLength(key[0]));
}

/** Whether `key` is a valid position key. */
export function isValidKey(key) {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_LENGTH) return false;
  const n = integerLength(key[0]);
  if (n < 0 || n > key.length) return false;
  for (let i = 1; i < key.length; i++) if (digit(key[i]) < 0) return false;
  if (key.length > n && key[key.length - 1] === '0') return false;
  return key !== SMALLEST_INTEGER;
}

/** A fraction strictly between fractions a and b (b null = 1); neither has trailing zeros. */
function midpoint(a, b) {
  if (b != null) {
    let n = 0;
    while (n < b.length && (n < a.length ? a[n] : '0') === b[n]) n++;
    if (n > 0) return b.slice(0, n) + midpoint(n < a.length ? a.slice(n) : '', b.slice(n));
  }
  const da = a.length === 0 ? 0 : digit(a[0]);
  const db = b != null ? digit(b[0]) : BASE;
  if (db - da > 1) {
    // Java's Math.round(0.5 * x): half rounds up, like JavaScript's Math.round for positives.
    return DIGITS[Math.round(0.5 * (da + db))];
  }
  if (b != null && b.length > 1) return b.slice(0, 1);
  return DIGITS[da] + midpoint(a.length === 0 ? '' : a.slice(1), null);
}

function incrementInteger(x) {
  const head = x[0];
  const digs = x.slice(1).split('');
  let carry = true;
  for (let i = digs.length - 1; carry && i >= 0; i--) {
    const d = digit(digs[i]) + 1;
    if (d === BASE) digs[i] = '0';
    else { digs[i] = DIGITS[d]; carry = false; }
  }
  if (!carry) return head + digs.join('');
  if (head === 'Z') return 'a0';
  if (head === 'z') return null;
  const h = String.fromCharCode(head.charCodeAt(0) + 1);
  const rest = digs.join('');
  return h > 'a' ? h + rest + '0' : h + rest.slice(0, rest.length - 1);
}

function decrementInteger(x) {
  const head = x[0];
  const digs = x.slice(1).split('');
  let borrow = true;
  for (let i = digs.length - 1; borrow && i >= 0; i--) {
    const d = digit(digs[i]) - 1;
    if (d === -1) digs[i] = 'z';
    else { digs[i] = DIGITS[d]; borrow = false; }
  }
  if (!borrow) return head + digs.join('');
  if (head === 'a') return 'Zz';
  if (head === 'A') return null;
  const h = String.fromCharCode(head.charCodeAt(0) - 1);
  const rest = digs.join('');
  return h < 'Z' ? h + rest + 'z' : h + rest.slice(0, rest.length - 1);
}

/**
 * A key strictly between `before` and `after` (either null for an open end), the same key the
 * server's FractionalIndex.between gives. Returns null (instead of throwing) when the keys are
 * invalid or not in order — e.g. equal neighbours — so the caller can re-space.
 */
export function keyBetween(before, after) {
  if (before != null && !isValidKey(before)) return null;
  if (after != null && !isValidKey(after)) return null;
  if (before != null && after != null && !(before < after)) return null;
  if (before == null) {
    if (after == null) return 'a0';
    const ib = integerPart(after);
    const fb = after.slice(ib.length);
    if (ib === SMALLEST_INTEGER) return ib + midpoint('', fb);
    if (ib.length < after.length) return ib;
    return decrementInteger(ib);
  }
  if (after == null) {
    const ia = integerPart(before);
    const fa = before.slice(ia.length);
    const inc = incrementInteger(ia);
    return inc == null ? ia + midpoint(fa, null) : inc;
  }
  const ia = integerPart(before);
  const fa = before.slice(ia.length);
  const ib = integerPart(after);
  const fb = after.slice(ib.length);
  if (ia === ib) return ia + midpoint(fa, fb);
  const inc = incrementInteger(ia);
  if (inc != null && inc < after) return inc;
  return ia + midpoint(fa, null);
}

/** `count` fresh increasing keys: a0, a1, … (used to re-space siblings whose keys collide). */
export function spacedKeys(count) {
  const keys = [];
  let k = null;
  for (let i = 0; i < count; i++) {
    k = keyBetween(k, null);
    keys.push(k);
  }
  return keys;
}

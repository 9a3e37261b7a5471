// Fractional-index position keys (CONTRACT §4: siblings order by `pos`, then `id`).
//
// A key is a non-empty string over the base-62 alphabet "0-9A-Za-z". That alphabet is in
// ASCII order, so keys compare with plain string comparison (`<`), exactly like the server's
// Java String.compareTo — never localeCompare, which orders case differently.
//
// keyBetween works on any keys of the alphabet, including ones with trailing zeros that another
// client or the server may have made. For some pairs no key exists in between ("A" and "A0"),
// and equal keys have nothing between them either; then it returns null and the caller
// re-spaces the siblings (see spacedKeys).

export const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = DIGITS.length;
const MID = DIGITS[BASE >> 1]; // 'V'

function digit(ch) {
  const d = DIGITS.indexOf(ch);
  if (d < 0) throw new Error(`not a position digit: ${JSON.stringify(ch)}`);
  return d;
}

/** Compares two keys the way the server does (UTF-16 code units, like Java's compareTo). */
export function compareKeys(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True if every character of `key` is in the alphabet and it is not empty. */
export function isValidKey(key) {
  return typeof key === 'string' && key.length > 0 && [...key].every((c) => DIGITS.includes(c));
}

/** A key greater than `a` (any string of the alphabet, possibly empty). Never null. */
function after(a) {
  for (let i = 0; i < a.length; i++) {
    const d = digit(a[i]);
    if (d < BASE - 1) {
      // Bump this digit half-way to the top: keeps keys short when items are appended repeatedly.
      return a.slice(0, i) + DIGITS[d + Math.ceil((BASE - 1 - d) / 2)];
    }
  }
  return a + MID;
}

/** A non-empty key smaller than `b` (b non-empty), or null if none exists (b is "0"). */
function before(b) {
  for (let i = 0; i < b.length; i++) {
    const d = digit(b[i]);
    if (d >= 2) return b.slice(0, i) + DIGITS[d >> 1];
    if (d === 1) return b.slice(0, i) + '0' + MID;
    // d === 0: must tie here and look further.
  }
  // b is all zeros: a shorter run of zeros is a proper prefix, hence smaller.
  return b.length > 1 ? b.slice(0, b.length - 1) : null;
}

/**
 * A key strictly between `a` and `b` in string order; `a` null means "before everything",
 * `b` null "after everything". Returns null when no key fits (equal keys, or pairs like "A"/"A0").
 */
export function keyBetween(a, b) {
  if (a == null && b == null) return MID;
  if (b == null) return after(a);
  if (a == null || a === '') return before(b);
  if (!(a < b)) return null;
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  if (n === a.length) {
    // a is a proper prefix of b: extend a with something below the rest of b.
    const rest = before(b.slice(n));
    return rest == null ? null : a + rest;
  }
  const da = digit(a[n]);
  const db = digit(b[n]);
  if (db - da > 1) return a.slice(0, n) + DIGITS[(da + db) >> 1];
  // Adjacent digits: a prefix of b one digit longer than the common part is already between...
  if (b.length > n + 1) return b.slice(0, n + 1);
  // ...otherwise tie with a at n and go above the rest of a.
  return a.slice(0, n + 1) + after(a.slice(n + 1));
}

/** `count` fresh, increasing, evenly spread keys (used to re-space siblings). */
export function spacedKeys(count) {
  const keys = [];
  // Two digits give 3844 slots: plenty for a lane; beyond that, use three.
  const width = count < BASE * BASE - 2 ? 2 : 3;
  const slots = BASE ** width;
  for (let i = 1; i <= count; i++) {
    let n = Math.floor((i * slots) / (count + 1));
    let s = '';
    for (let w = 0; w < width; w++) {
      s = DIGITS[n % BASE] + s;
      n = Math.floor(n / BASE);
    }
    keys.push(s.replace(/0+$/, '') || DIGITS[1]);
  }
  return keys;
}

package org.linkboard.server.board;

/**
 * Position keys that order siblings: strings compared with {@link String#compareTo}, with a key
 * between any two different keys (CONTRACT §4, {@code pos}).
 *
 * <p>The scheme is the one of David Greenspan's "Implementing Fractional Indexing", in the
 * variant published as the npm package {@code fractional-indexing} (base-62 digits
 * {@code 0-9A-Za-z}), so a JavaScript client can use that package and produce exactly the keys
 * the server would. A key is an integer part — a head letter telling its length ({@code a}: 2
 * chars, {@code b}: 3, … {@code z}: 27; {@code Z}: 2, {@code Y}: 3, … {@code A}: 27, for the
 * negative integers) followed by that many minus one digits — then an optional fraction without
 * trailing {@code 0}. The first key is {@code a0}; appending gives {@code a1, a2, …, az, b00,
 * …}, prepending {@code Zz, Zy, …}: keys stay short under repeated insertion at either end.
 * Repeated insertion between the same two neighbours halves the gap each time and so grows the
 * key by about one character every six insertions, which no scheme of this kind avoids.
 *
 * <p>Stateless; safe from any thread. Methods throw {@link IllegalArgumentException} for
 * invalid keys or when {@code before >= after}.
 */
public final class FractionalIndex {

    /** The digits, in ascending character order. */
    public static final String DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    /** Longest key accepted from clients; far beyond what normal editing produces. */
    public static final int MAX_LENGTH = 1024;

    private static final int BASE = DIGITS.length();
    private static final char ZERO = '0';
    private static final char LAST = 'z';
    /** The smallest integer: nothing can be placed before it without a fraction, so it is no key. */
    private static final String SMALLEST_INTEGER = "A" + "0".repeat(26);

    private FractionalIndex() {
    }

    /** The key of the first item of an empty list, {@code "a0"}. */
    public static String first() {
        return "a0";
    }

    /** A key after {@code last}; {@code null} means the list is empty. */
    public static String after(String last) {
        return between(last, null);
    }

    /** A key before {@code first}; {@code null} means the list is empty. */
    public static String before(String first) {
        return between(null, first);
    }

    /**
     * A key strictly between {@code before} and {@code after}; either may be null for an open
     * end. Deterministic: the same arguments always give the same key.
     */
    public static String between(String before, String after) {
        if (before != null) requireValid(before);
        if (after != null) requireValid(after);
        if (before != null && after != null && before.compareTo(after) >= 0) {
            throw new IllegalArgumentException(before + " is not before " + after);
        }
        if (before == null) {
            if (after == null) return first();
            String ib = integerPart(after);
            String fb = after.substring(ib.length());
            if (ib.equals(SMALLEST_INTEGER)) return ib + midpoint("", fb);
            if (ib.length() < after.length()) return ib; // after has a fraction: its integer is smaller
            String dec = decrementInteger(ib);
            if (dec == null) throw new IllegalArgumentException("cannot place a key before " + after);
            return dec;
        }
        if (after == null) {
            String ia = integerPart(before);
            String fa = before.substring(ia.length());
            String inc = incrementInteger(ia);
            return inc == null ? ia + midpoint(fa, null) : inc;
        }
        String ia = integerPart(before);
        String fa = before.substring(ia.length());
        String ib = integerPart(after);
        String fb = after.substring(ib.length());
        if (ia.equals(ib)) return ia + midpoint(fa, fb);
        String inc = incrementInteger(ia);
        if (inc != null && inc.compareTo(after) < 0) return inc;
        return ia + midpoint(fa, null);
    }

    /** Whether {@code key} is a valid position key (and at most {@link #MAX_LENGTH} chars). */
    public static boolean isValid(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) return false;
        int intLength = integerLength(key.charAt(0));
        if (intLength < 0 || intLength > key.length()) return false;
        for (int i = 1; i < key.length(); i++) {
            if (digit(key.charAt(i)) < 0) return false;
        }
        if (key.length() > intLength && key.charAt(key.length() - 1) == ZERO) return false;
        return !key.equals(SMALLEST_INTEGER);
    }

    private static void requireValid(String key) {
        if (!isValid(key)) throw new IllegalArgumentException("invalid position key: " + key);
    }

    /** A fraction strictly between fractions a and b (b null = 1); neither has trailing zeros. */
    private static String midpoint(String a, String b) {
        if (b != null) {
            int n = 0;
            while (n < b.length() && (n < a.length() ? a.charAt(n) : ZERO) == b.charAt(n)) n++;
            if (n > 0) {
                return b.substring(0, n) + midpoint(n < a.length() ? a.substring(n) : "", b.substring(n));
            }
        }
        int digitA = a.isEmpty() ? 0 : digit(a.charAt(0));
        int digitB = b != null ? digit(b.charAt(0)) : BASE;
        if (digitB - digitA > 1) {
            int mid = (int) Math.round(0.5 * (digitA + digitB));
            return String.valueOf(DIGITS.charAt(mid));
        }
        if (b != null && b.length() > 1) return b.substring(0, 1);
        return DIGITS.charAt(digitA) + midpoint(a.isEmpty() ? "" : a.substring(1), null);
    }

    private static int integerLength(char head) {
        if (head >= 'a' && head <= 'z') return head - 'a' + 2;
        if (head >= 'A' && head <= 'Z') return 'Z' - head + 2;
        return -1;
    }

    private static String integerPart(String key) {
        return key.substring(0, integerLength(key.charAt(0)));
    }

    private static int digit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
        if (c >= 'a' && c <= 'z') return c - 'a' + 36;
        return -1;
    }

    /** The next integer, or null past the largest one. */
    private static String incrementInteger(String x) {
        char head = x.charAt(0);
        char[] digs = x.substring(1).toCharArray();
        boolean carry = true;
        for (int i = digs.length - 1; carry && i >= 0; i--) {
            int d = digit(digs[i]) + 1;
            if (d == BASE) {
                digs[i] = ZERO;
            } else {
                digs[i] = DIGITS.charAt(d);
                carry = false;
            }
        }
        if (!carry) return head + new String(digs);
        if (head == 'Z') return "a" + ZERO;
        if (head == 'z') return null;
        char h = (char) (head + 1);
        String rest = new String(digs);
        // Positive integers get longer as the head grows; negative ones get shorter.
        return h > 'a' ? h + rest + ZERO : h + rest.substring(0, rest.length() - 1);
    }

    /** The previous integer, or null before the smallest one. */
    private static String decrementInteger(String x) {
        char head = x.charAt(0);
        char[] digs = x.substring(1).toCharArray();
        boolean borrow = true;
        for (int i = digs.length - 1; borrow && i >= 0; i--) {
            int d = digit(digs[i]) - 1;
            if (d == -1) {
                digs[i] = LAST;
            } else {
                digs[i] = DIGITS.charAt(d);
                borrow = false;
            }
        }
        if (!borrow) return head + new String(digs);
        if (head == 'a') return "Z" + LAST;
        if (head == 'A') return null;
        char h = (char) (head - 1);
        String rest = new String(digs);
        return h < 'Z' ? h + rest + LAST : h + rest.substring(0, rest.length() - 1);
    }
}

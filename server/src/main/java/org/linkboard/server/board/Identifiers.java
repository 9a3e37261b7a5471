package org.linkboard.server.board;

/**
 * Syntax of the names that ops carry: item ids (CONTRACT §4) and field names.
 *
 * <p>Checked with hand-written loops rather than regular expressions because they run for
 * every op on the board actor's hot path. Stateless; safe from any thread.
 */
public final class Identifiers {

    /** Longest item id (CONTRACT §4). */
    public static final int MAX_ITEM_ID = 64;
    /** Longest field name. */
    public static final int MAX_FIELD_NAME = 64;

    private Identifiers() {
    }

    /** Whether {@code s} is 1–64 chars of {@code [A-Za-z0-9_-]}. */
    public static boolean isItemId(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_ITEM_ID) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isAsciiLetterOrDigit(c) || c == '_' || c == '-')) return false;
        }
        return true;
    }

    /** Whether {@code s} matches {@code [A-Za-z][A-Za-z0-9_]{0,63}}. */
    public static boolean isFieldName(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_FIELD_NAME) return false;
        char first = s.charAt(0);
        if (!((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z'))) return false;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isAsciiLetterOrDigit(c) || c == '_')) return false;
        }
        return true;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}

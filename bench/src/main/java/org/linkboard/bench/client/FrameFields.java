package org.linkboard.bench.client;

/**
 * The few top-level members of a server message the generator needs ({@code type}, {@code board},
 * {@code cid}, {@code seq}, {@code version}, and {@code code} of a nested {@code error}), read by a
 * scanner that skips nested values without building a tree.
 *
 * <p>Why not a JSON parser: at the fan-out rates of S2/S4 the generator reads several hundred
 * thousand frames a second on the same two cores as the server; a full parse per frame would make
 * the generator, not the server, the bottleneck. Nested objects are skipped (string-aware), so an
 * {@code "type":"card"} inside {@code op} never shadows the message's own {@code type}.
 *
 * <p>Not thread-safe: one instance per frame, used by the thread that received it.
 */
public final class FrameFields {
    /** Message type, or null when absent. */
    public String type;
    public String board;
    public String cid;
    /** {@code seq}, or -1 when absent. */
    public long seq = -1;
    /** {@code version} (of {@code joined}), or -1 when absent. */
    public long version = -1;
    /** {@code error.code} of an {@code error} or {@code reject}, or null. */
    public String errorCode;

    private final String s;
    private int i;

    private FrameFields(String s) {
        this.s = s;
    }

    /**
     * Scans one message.
     *
     * @throws IllegalArgumentException when the text is not a JSON object
     */
    public static FrameFields scan(String json) {
        FrameFields f = new FrameFields(json);
        f.readObject(true);
        return f;
    }

    private void readObject(boolean top) {
        ws();
        expect('{');
        ws();
        if (peek() == '}') {
            i++;
            return;
        }
        while (true) {
            ws();
            String key = readString();
            ws();
            expect(':');
            ws();
            char c = peek();
            if (top && c == '"' && (key.equals("type") || key.equals("board") || key.equals("cid"))) {
                String v = readString();
                switch (key) {
                    case "type" -> type = v;
                    case "board" -> board = v;
                    default -> cid = v;
                }
            } else if (top && (key.equals("seq") || key.equals("version")) && (c == '-' || Character.isDigit(c))) {
                long v = readLong();
                if (key.equals("seq")) {
                    seq = v;
                } else {
                    version = v;
                }
            } else if (top && key.equals("error") && c == '{') {
                readErrorObject();
            } else {
                skipValue();
            }
            ws();
            char n = next();
            if (n == '}') {
                return;
            }
            if (n != ',') {
                throw bad("expected , or }");
            }
        }
    }

    private void readErrorObject() {
        expect('{');
        ws();
        if (peek() == '}') {
            i++;
            return;
        }
        while (true) {
            ws();
            String key = readString();
            ws();
            expect(':');
            ws();
            if (key.equals("code") && peek() == '"') {
                errorCode = readString();
            } else {
                skipValue();
            }
            ws();
            char n = next();
            if (n == '}') {
                return;
            }
            if (n != ',') {
                throw bad("expected , or }");
            }
        }
    }

    private void skipValue() {
        char c = peek();
        if (c == '"') {
            skipString();
        } else if (c == '{' || c == '[') {
            int depth = 0;
            do {
                char d = s.charAt(i);
                if (d == '"') {
                    skipString();
                    continue;
                }
                if (d == '{' || d == '[') {
                    depth++;
                } else if (d == '}' || d == ']') {
                    depth--;
                }
                i++;
            } while (depth > 0 && i < s.length());
            if (depth != 0) {
                throw bad("unbalanced");
            }
        } else {
            while (i < s.length() && ",}] \t\r\n".indexOf(s.charAt(i)) < 0) {
                i++;
            }
        }
    }

    private String readString() {
        expect('"');
        int start = i;
        StringBuilder sb = null;
        while (true) {
            if (i >= s.length()) {
                throw bad("unterminated string");
            }
            char c = s.charAt(i);
            if (c == '"') {
                String v = sb == null ? s.substring(start, i) : sb.append(s, start, i).toString();
                i++;
                return v;
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(s, start, i);
                char e = s.charAt(i + 1);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                        i += 4;
                    }
                    default -> sb.append(e);
                }
                i += 2;
                start = i;
                continue;
            }
            i++;
        }
    }

    private void skipString() {
        i++;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            i++;
            if (c == '"') {
                return;
            }
        }
        throw bad("unterminated string");
    }

    private long readLong() {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i < s.length() && ".eE".indexOf(s.charAt(i)) >= 0) {
            // A fractional seq is a protocol violation; keep it visible instead of truncating.
            throw bad("non-integer number");
        }
        return Long.parseLong(s, start, i, 10);
    }

    private void ws() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }

    private char peek() {
        if (i >= s.length()) {
            throw bad("unexpected end");
        }
        return s.charAt(i);
    }

    private char next() {
        char c = peek();
        i++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            throw bad("expected " + c);
        }
    }

    private IllegalArgumentException bad(String why) {
        return new IllegalArgumentException(why + " at " + i + " in " + (s.length() > 200 ? s.substring(0, 200) + "..." : s));
    }
}

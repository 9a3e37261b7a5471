package org.linkboard.bench.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
 * <p>It reads the frame's UTF-8 bytes as they came off the socket: keys are compared as bytes and
 * only the values the generator keeps become strings, so a frame costs no decoding of the whole
 * message into a {@code String} (at S4's knee the generator reads ~750 000 frames a second on the
 * cores the server needs).
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
    /**
     * The entries of a {@code joined}'s {@code ops} (the replay form), each with its {@code seq}
     * and {@code cid}; null when the message has no {@code ops} (the snapshot form). Read in the
     * same pass: a rejoin's replay can be 100 000 ops, tens of MB, and a tree of it built on the
     * client's event loop held that loop (and every client on it) for seconds.
     */
    public java.util.List<FrameFields> ops;

    private static final byte[] TYPE = ascii("type");
    private static final byte[] BOARD = ascii("board");
    private static final byte[] CID = ascii("cid");
    private static final byte[] SEQ = ascii("seq");
    private static final byte[] VERSION = ascii("version");
    private static final byte[] ERROR = ascii("error");
    private static final byte[] CODE = ascii("code");
    private static final byte[] OPS = ascii("ops");
    /** Message types handed out as constants, not as a new string per frame. */
    private static final String[] KNOWN_TYPES = {"op", "ack", "joined", "welcome", "reject", "error", "presence", "pong", "rollup"};
    private static final byte[][] KNOWN_TYPE_BYTES = new byte[KNOWN_TYPES.length][];

    static {
        for (int k = 0; k < KNOWN_TYPES.length; k++) KNOWN_TYPE_BYTES[k] = ascii(KNOWN_TYPES[k]);
    }

    private final byte[] s;
    private final int offset;
    private final int end;
    private int i;

    private FrameFields(byte[] utf8, int offset, int length) {
        this.s = utf8;
        this.offset = offset;
        this.i = offset;
        this.end = offset + length;
    }

    /**
     * Scans one message.
     *
     * @throws IllegalArgumentException when the text is not a JSON object
     */
    public static FrameFields scan(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return scan(b, 0, b.length);
    }

    /**
     * Scans one message given as UTF-8 bytes.
     *
     * @throws IllegalArgumentException when they are not a JSON object
     */
    public static FrameFields scan(byte[] utf8, int offset, int length) {
        FrameFields f = new FrameFields(utf8, offset, length);
        f.readObject(true);
        return f;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
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
            int keyStart = i + 1;
            skipString();
            int keyLen = i - 1 - keyStart;
            ws();
            expect(':');
            ws();
            char c = peek();
            boolean number = c == '-' || (c >= '0' && c <= '9');
            if (top && c == '"' && keyIs(keyStart, keyLen, TYPE)) {
                type = readType();
            } else if (top && c == '"' && keyIs(keyStart, keyLen, BOARD)) {
                board = readString();
            } else if (top && c == '"' && keyIs(keyStart, keyLen, CID)) {
                cid = readString();
            } else if (top && number && keyIs(keyStart, keyLen, SEQ)) {
                seq = readLong();
            } else if (top && number && keyIs(keyStart, keyLen, VERSION)) {
                version = readLong();
            } else if (top && c == '{' && keyIs(keyStart, keyLen, ERROR)) {
                readErrorObject();
            } else if (top && c == '[' && keyIs(keyStart, keyLen, OPS)) {
                ops = readOpsArray();
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

    /** Whether the key at {@code start} (raw, between its quotes) is {@code name}. */
    private boolean keyIs(int start, int len, byte[] name) {
        return len == name.length && Arrays.equals(s, start, start + len, name, 0, len);
    }

    private String readType() {
        int start = i + 1;
        int save = i;
        skipString();
        int len = i - 1 - start;
        for (int k = 0; k < KNOWN_TYPES.length; k++) {
            if (keyIs(start, len, KNOWN_TYPE_BYTES[k])) {
                return KNOWN_TYPES[k];
            }
        }
        i = save;
        return readString();
    }

    private java.util.List<FrameFields> readOpsArray() {
        expect('[');
        java.util.List<FrameFields> out = new java.util.ArrayList<>();
        ws();
        if (peek() == ']') {
            i++;
            return out;
        }
        while (true) {
            ws();
            FrameFields entry = new FrameFields(s, i, end - i);
            entry.readObject(true);
            i = entry.i;
            out.add(entry);
            ws();
            char n = next();
            if (n == ']') {
                return out;
            }
            if (n != ',') {
                throw bad("expected , or ]");
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
            int keyStart = i + 1;
            skipString();
            int keyLen = i - 1 - keyStart;
            ws();
            expect(':');
            ws();
            if (peek() == '"' && keyIs(keyStart, keyLen, CODE)) {
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
                char d = at(i);
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
            } while (depth > 0 && i < end);
            if (depth != 0) {
                throw bad("unbalanced");
            }
        } else {
            while (i < end && ",}] \t\r\n".indexOf(at(i)) < 0) {
                i++;
            }
        }
    }

    private String readString() {
        expect('"');
        int start = i;
        StringBuilder sb = null;
        while (true) {
            if (i >= end) {
                throw bad("unterminated string");
            }
            byte c = s[i];
            if (c == '"') {
                String segment = new String(s, start, i - start, StandardCharsets.UTF_8);
                String v = sb == null ? segment : sb.append(segment).toString();
                i++;
                return v;
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(new String(s, start, i - start, StandardCharsets.UTF_8));
                char e = at(i + 1);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(new String(s, i + 2, 4, StandardCharsets.US_ASCII), 16));
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
        expect('"');
        while (i < end) {
            byte c = s[i];
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
        boolean negative = peek() == '-';
        if (negative) {
            i++;
        }
        int start = i;
        long v = 0;
        while (i < end && s[i] >= '0' && s[i] <= '9') {
            if (v > (Long.MAX_VALUE - (s[i] - '0')) / 10) {
                throw bad("number out of range");
            }
            v = v * 10 + (s[i] - '0');
            i++;
        }
        if (i == start) {
            throw bad("expected digits");
        }
        if (i < end && (s[i] == '.' || s[i] == 'e' || s[i] == 'E')) {
            // A fractional seq is a protocol violation; keep it visible instead of truncating.
            throw bad("non-integer number");
        }
        return negative ? -v : v;
    }

    private void ws() {
        while (i < end && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) {
            i++;
        }
    }

    /** The byte at {@code k} as a char (structural characters are ASCII). */
    private char at(int k) {
        if (k >= end) {
            throw bad("unexpected end");
        }
        return (char) (s[k] & 0xFF);
    }

    private char peek() {
        return at(i);
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
        String text = new String(s, offset, end - offset, StandardCharsets.UTF_8);
        return new IllegalArgumentException(why + " at " + (i - offset) + " in " + (text.length() > 200 ? text.substring(0, 200) + "..." : text));
    }
}

package org.linkboard.server.board;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canonical, immutable plain-Java form of JSON values held in ops and items.
 *
 * <p>Why: replicas compare state with {@code equals}, and the same number may reach them as an
 * {@code Integer} (parsed from JSON), a {@code Long} (built in Java) or a {@code Double}
 * ({@code 5.0}). Every value therefore goes through {@link #canonical(Object)} once, when an op
 * or item is built: whole numbers with magnitude up to 2^53 become {@code Long}, every other
 * number a {@code Double}; maps become unmodifiable {@code LinkedHashMap}s (key order kept),
 * lists unmodifiable {@code ArrayList}s. Values are never mutated afterwards, so items and
 * copies may share them without deep copies. Stateless; safe from any thread.
 */
public final class JsonValues {

    /** Largest magnitude at which every whole double is exact (2^53). */
    private static final double EXACT_LIMIT = 9_007_199_254_740_992.0;
    /** Nesting deeper than this is refused, so hostile input cannot exhaust the stack. */
    static final int MAX_DEPTH = 32;

    private static final com.fasterxml.jackson.core.JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactory();

    private JsonValues() {
    }

    /**
     * A plain JSON value (maps, lists, {@code JsonObject}s…) as UTF-8 JSON, written straight into
     * one array: for big values (a board's items) where a String and its re-encoding would each
     * copy megabytes.
     */
    public static byte[] encode(Object value) {
        return write(g -> io.vertx.core.json.jackson.JacksonCodec.encodeJson(value, g));
    }

    /** Writes a JSON value with a generator. */
    @FunctionalInterface
    interface JsonWriter {
        void write(com.fasterxml.jackson.core.JsonGenerator g) throws java.io.IOException;
    }

    /** What {@code writer} writes, as UTF-8 JSON in one array (as {@link #encode} does). */
    static byte[] write(JsonWriter writer) {
        try (com.fasterxml.jackson.core.util.ByteArrayBuilder out = new com.fasterxml.jackson.core.util.ByteArrayBuilder(8192)) {
            try (com.fasterxml.jackson.core.JsonGenerator g = JSON.createGenerator(out)) {
                writer.write(g);
            }
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new io.vertx.core.json.EncodeException(e.getMessage(), e);
        }
    }

    /**
     * The canonical form of a plain JSON value (null, String, Boolean, Number, List, Map with
     * String keys). Throws {@link IllegalArgumentException} for anything else, for NaN or
     * infinite numbers and for nesting deeper than 32.
     */
    public static Object canonical(Object value) {
        return canonical(value, 0);
    }

    /**
     * Reads the JSON value at the parser's current token straight into its canonical form (the
     * same as {@link #canonical(Object)} of the parsed value, without the parsed copy). Throws
     * {@link IllegalArgumentException} as {@code canonical} does, and for malformed JSON.
     */
    public static Object read(com.fasterxml.jackson.core.JsonParser p) throws java.io.IOException {
        return read(p, 0);
    }

    private static Object read(com.fasterxml.jackson.core.JsonParser p, int depth) throws java.io.IOException {
        com.fasterxml.jackson.core.JsonToken t = p.currentToken();
        if (t == null) throw new IllegalArgumentException("no JSON value");
        switch (t) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberType() == com.fasterxml.jackson.core.JsonParser.NumberType.BIG_INTEGER
                        ? canonicalNumber(p.getBigIntegerValue()) : (Number) p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return canonicalDouble(p.getDoubleValue());
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case START_OBJECT: {
                if (depth >= MAX_DEPTH) throw new IllegalArgumentException("JSON value nested too deeply");
                Map<String, Object> out = new LinkedHashMap<>();
                while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    out.put(key, read(p, depth + 1));
                }
                return Collections.unmodifiableMap(out);
            }
            case START_ARRAY: {
                if (depth >= MAX_DEPTH) throw new IllegalArgumentException("JSON value nested too deeply");
                List<Object> out = new ArrayList<>();
                while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                    out.add(read(p, depth + 1));
                }
                return Collections.unmodifiableList(out);
            }
            default:
                throw new IllegalArgumentException("unexpected JSON token " + t);
        }
    }

    /** A parser over UTF-8 JSON text. */
    static com.fasterxml.jackson.core.JsonParser parser(String json) throws java.io.IOException {
        return JSON.createParser(json);
    }

    /** {@link #canonical(Object)} of a JSON object; null stays an empty map. */
    public static Map<String, Object> canonicalObject(Map<?, ?> map) {
        if (map == null) return Map.of();
        return canonicalMap(map, 0);
    }

    /** The canonical form of a number: Long when whole and within ±2^53 (or any long), else Double. */
    public static Number canonicalNumber(Number n) {
        if (n instanceof Long) return n;
        if (n instanceof Integer || n instanceof Short || n instanceof Byte) return n.longValue();
        if (n instanceof BigInteger b) {
            return b.bitLength() < 64 ? (Number) b.longValue() : canonicalDouble(b.doubleValue());
        }
        if (n instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException notWholeOrTooBig) {
                return canonicalDouble(d.doubleValue());
            }
        }
        return canonicalDouble(n.doubleValue());
    }

    private static Number canonicalDouble(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("not a JSON number: " + d);
        }
        if (d == Math.rint(d) && Math.abs(d) <= EXACT_LIMIT) return (long) d;
        return d;
    }

    private static Object canonical(Object v, int depth) {
        if (v == null || v instanceof String || v instanceof Boolean) return v;
        if (v instanceof Number n) return canonicalNumber(n);
        if (depth >= MAX_DEPTH) throw new IllegalArgumentException("JSON value nested too deeply");
        if (v instanceof Map<?, ?> m) return canonicalMap(m, depth + 1);
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object e : l) out.add(canonical(e, depth + 1));
            return Collections.unmodifiableList(out);
        }
        throw new IllegalArgumentException("not a plain JSON value: " + v.getClass().getName());
    }

    private static Map<String, Object> canonicalMap(Map<?, ?> m, int depth) {
        Map<String, Object> out = new LinkedHashMap<>(Math.max(4, m.size() * 2));
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k)) {
                throw new IllegalArgumentException("JSON object key is not a string: " + e.getKey());
            }
            out.put(k, canonical(e.getValue(), depth));
        }
        return Collections.unmodifiableMap(out);
    }
}

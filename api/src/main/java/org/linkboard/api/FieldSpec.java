package org.linkboard.api;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One field of an item type or of a module's settings schema: its name, label, value type,
 * whether it is required, and its limits.
 *
 * <p>Built with {@link #builder(String, FieldType)}; immutable and thread-safe once built. The
 * server validates every value written to the field against this spec before any module hook
 * runs, so a hook never sees a value of the wrong type.
 */
public final class FieldSpec {

    private final String name;
    private final String label;
    private final FieldType type;
    private final boolean required;
    private final Integer maxLength;
    private final Double min;
    private final Double max;
    private final List<String> values;
    private final String help;

    private FieldSpec(Builder b) {
        this.name = Objects.requireNonNull(b.name, "name");
        this.label = b.label == null ? b.name : b.label;
        this.type = Objects.requireNonNull(b.type, "type");
        this.required = b.required;
        this.maxLength = b.maxLength;
        this.min = b.min;
        this.max = b.max;
        this.values = List.copyOf(b.values);
        this.help = b.help;
        if (type == FieldType.ENUM && values.isEmpty()) {
            throw new IllegalArgumentException("enum field '" + name + "' needs values");
        }
    }

    /** Starts a spec of a field {@code name} of {@code type}; the label defaults to the name. */
    public static Builder builder(String name, FieldType type) {
        return new Builder(name, type);
    }

    /** The field's key in an item's {@code fields}. */
    public String name() { return name; }
    /** The name shown to users. */
    public String label() { return label; }
    /** The value type. */
    public FieldType type() { return type; }
    /** Whether a {@code create} must give it and a {@code set} may not remove it. */
    public boolean required() { return required; }
    /** Longest string (or longest list) accepted; null for no limit beyond the server's. */
    public Integer maxLength() { return maxLength; }
    /** Smallest number accepted; null for none. */
    public Double min() { return min; }
    /** Largest number accepted; null for none. */
    public Double max() { return max; }
    /** The allowed values of an {@code enum} field; empty for other types. */
    public List<String> values() { return values; }
    /** A short hint shown under the field in forms; may be null. */
    public String help() { return help; }

    /**
     * Checks one JSON value for this field and throws {@link LinkboardException} with
     * {@link ErrorCode#VALIDATION_FAILED} and {@code details.field} when it does not fit. Null (the
     * field removed or absent) fails only for a required field. Pure; safe from any thread.
     */
    public void check(Object value) {
        if (value == null) {
            if (required) throw LinkboardException.invalidField(name, "'" + name + "' is required");
            return;
        }
        switch (type) {
            case STRING, TEXT, USER, UNIT -> {
                String s = string(value);
                if (maxLength != null && s.codePointCount(0, s.length()) > maxLength) {
                    throw LinkboardException.invalidField(name, "'" + name + "' is longer than " + maxLength + " characters");
                }
                if ((type == FieldType.USER || type == FieldType.UNIT) && s.isEmpty()) {
                    throw LinkboardException.invalidField(name, "'" + name + "' must name a " + type.jsonName());
                }
            }
            case NUMBER -> checkRange(number(value));
            case INTEGER -> {
                double d = number(value);
                if (d != Math.rint(d)) throw LinkboardException.invalidField(name, "'" + name + "' must be a whole number");
                checkRange(d);
            }
            case BOOLEAN -> {
                if (!(value instanceof Boolean)) throw LinkboardException.invalidField(name, "'" + name + "' must be true or false");
            }
            case DATE -> {
                try {
                    LocalDate.parse(string(value));
                } catch (DateTimeParseException e) {
                    throw LinkboardException.invalidField(name, "'" + name + "' must be a date yyyy-MM-dd");
                }
            }
            case ENUM -> {
                if (!values.contains(string(value))) {
                    throw LinkboardException.invalidField(name, "'" + name + "' must be one of " + values);
                }
            }
            case LIST -> {
                if (!(value instanceof List<?> l) || l.stream().anyMatch(x -> !(x instanceof String))) {
                    throw LinkboardException.invalidField(name, "'" + name + "' must be a list of strings");
                }
                if (maxLength != null && l.size() > maxLength) {
                    throw LinkboardException.invalidField(name, "'" + name + "' has more than " + maxLength + " entries");
                }
            }
        }
    }

    /**
     * Checks a whole object against a schema (e.g. a module's settings): every key must be a field
     * of the schema, every value must pass {@link #check}, and every required field must be
     * present. Throws like {@link #check}.
     */
    public static void checkObject(List<FieldSpec> schema, Map<String, ?> values) {
        for (String key : values.keySet()) {
            if (schema.stream().noneMatch(f -> f.name.equals(key))) {
                throw LinkboardException.invalidField(key, "unknown field '" + key + "'");
            }
        }
        for (FieldSpec f : schema) {
            f.check(values.get(f.name));
        }
    }

    private String string(Object value) {
        if (value instanceof String s) return s;
        throw LinkboardException.invalidField(name, "'" + name + "' must be a string");
    }

    private double number(Object value) {
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) return n.doubleValue();
        throw LinkboardException.invalidField(name, "'" + name + "' must be a number");
    }

    private void checkRange(double d) {
        if (min != null && d < min) throw LinkboardException.invalidField(name, "'" + name + "' must be at least " + fmt(min));
        if (max != null && d > max) throw LinkboardException.invalidField(name, "'" + name + "' must be at most " + fmt(max));
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** The JSON shape of CONTRACT §6: {@code {"name","label","type","required", …limits}}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("label", label);
        m.put("type", type.jsonName());
        m.put("required", required);
        if (maxLength != null) m.put("maxLength", maxLength);
        if (min != null) m.put("min", min);
        if (max != null) m.put("max", max);
        if (!values.isEmpty()) m.put("values", values);
        if (help != null) m.put("help", help);
        return m;
    }

    @Override
    public String toString() {
        return "FieldSpec" + toMap();
    }

    /** Builds a {@link FieldSpec}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private final FieldType type;
        private String label;
        private boolean required;
        private Integer maxLength;
        private Double min;
        private Double max;
        private final List<String> values = new ArrayList<>();
        private String help;

        private Builder(String name, FieldType type) {
            this.name = name;
            this.type = type;
        }

        public Builder label(String label) { this.label = label; return this; }
        public Builder required() { this.required = true; return this; }
        public Builder required(boolean required) { this.required = required; return this; }
        public Builder maxLength(int maxLength) { this.maxLength = maxLength; return this; }
        public Builder min(double min) { this.min = min; return this; }
        public Builder max(double max) { this.max = max; return this; }
        public Builder range(double min, double max) { this.min = min; this.max = max; return this; }
        public Builder values(String... values) { this.values.addAll(List.of(values)); return this; }
        public Builder values(List<String> values) { this.values.addAll(values); return this; }
        public Builder help(String help) { this.help = help; return this; }

        public FieldSpec build() { return new FieldSpec(this); }
    }
}

package org.linkboard.api;

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

    public static Builder builder(String name, FieldType type) {
        return new Builder(name, type);
    }

    public String name() { return name; }
    public String label() { return label; }
    public FieldType type() { return type; }
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

package org.linkboard.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An item type: its id (local to the module; items carry {@code moduleId:typeId}), its name,
 * its fields and its optional workflow stages.
 *
 * <p>Immutable once built. Declared by a module through {@code LinkboardModule#itemTypes()}; the
 * server reads it when the module starts and validates every {@code create} and {@code set} of
 * an item of this type against it.
 */
public final class ItemTypeSpec {

    private final String id;
    private final String name;
    private final String icon;
    private final String description;
    private final List<FieldSpec> fields;
    private final List<StageSpec> stages;
    private final boolean allowExtraNumbers;

    private ItemTypeSpec(Builder b) {
        this.id = Objects.requireNonNull(b.id, "id");
        this.name = b.name == null ? b.id : b.name;
        this.icon = b.icon;
        this.description = b.description;
        this.fields = List.copyOf(b.fields);
        this.stages = List.copyOf(b.stages);
        this.allowExtraNumbers = b.allowExtraNumbers;
        for (StageSpec s : stages) {
            for (String n : s.next()) {
                if (stages.stream().noneMatch(t -> t.id().equals(n))) {
                    throw new IllegalArgumentException("stage '" + s.id() + "' names unknown next stage '" + n + "'");
                }
            }
        }
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    public String id() { return id; }
    public String name() { return name; }
    /** A short icon hint for the web app (an emoji or a name); may be null. */
    public String icon() { return icon; }
    public String description() { return description; }
    public List<FieldSpec> fields() { return fields; }
    /** The workflow, first stage first; empty when the type has no workflow. */
    public List<StageSpec> stages() { return stages; }
    /**
     * Whether fields not declared here are accepted when their value is a number (so a goal's
     * {@code metric} can name them, CONTRACT §4). True for the built-in {@code card}.
     */
    public boolean allowExtraNumbers() { return allowExtraNumbers; }

    public Optional<FieldSpec> field(String name) {
        for (FieldSpec f : fields) {
            if (f.name().equals(name)) return Optional.of(f);
        }
        return Optional.empty();
    }

    public Optional<StageSpec> stage(String id) {
        for (StageSpec s : stages) {
            if (s.id().equals(id)) return Optional.of(s);
        }
        return Optional.empty();
    }

    /** The name of the field that holds an item's workflow stage. */
    public static final String STAGE_FIELD = "stage";

    /**
     * Checks the fields of a {@code create} and returns them completed: with the first stage when
     * the type has stages and none is given. Throws {@link LinkboardException}
     * ({@link ErrorCode#VALIDATION_FAILED}, {@code details.field}) for an unknown field, a value
     * that does not fit its spec, a missing required field, or an unknown stage. Pure.
     */
    public Map<String, Object> checkCreate(Map<String, Object> values) {
        Map<String, Object> out = new LinkedHashMap<>(values == null ? Map.of() : values);
        out.values().removeIf(Objects::isNull);
        for (Map.Entry<String, Object> e : out.entrySet()) {
            checkKnown(e.getKey(), e.getValue());
        }
        for (FieldSpec f : fields) {
            f.check(out.get(f.name()));
        }
        if (!stages.isEmpty()) {
            Object stage = out.get(STAGE_FIELD);
            if (stage == null) {
                out.put(STAGE_FIELD, stages.get(0).id());
            } else if (!(stage instanceof String s) || stage(s).isEmpty()) {
                throw LinkboardException.invalidField(STAGE_FIELD, "unknown stage '" + stage + "'");
            }
        }
        return out;
    }

    /**
     * Checks a {@code set} of one field on an item whose current fields are {@code current}.
     * Besides the field's spec, a stage may only move to one of the current stage's
     * {@link StageSpec#next()} stages (setting the current stage again is allowed). Throws like
     * {@link #checkCreate}. Pure.
     */
    public void checkSet(String field, Object value, Map<String, Object> current) {
        if (!stages.isEmpty() && STAGE_FIELD.equals(field)) {
            if (!(value instanceof String to) || stage(to).isEmpty()) {
                throw LinkboardException.invalidField(STAGE_FIELD, "unknown stage '" + value + "'");
            }
            Object from = current == null ? null : current.get(STAGE_FIELD);
            if (from == null || from.equals(to)) return;
            Optional<StageSpec> fromStage = stage(String.valueOf(from));
            if (fromStage.isPresent() && !fromStage.get().next().contains(to)) {
                throw LinkboardException.invalidField(STAGE_FIELD,
                        "cannot move from stage '" + from + "' to '" + to + "'; allowed: " + fromStage.get().next());
            }
            return;
        }
        checkKnown(field, value);
        Optional<FieldSpec> spec = field(field);
        if (spec.isPresent()) spec.get().check(value);
    }

    private void checkKnown(String field, Object value) {
        if (field(field).isPresent()) return;
        if (!stages.isEmpty() && STAGE_FIELD.equals(field)) return;
        if (allowExtraNumbers && (value == null || value instanceof Number)) return;
        throw LinkboardException.invalidField(field, "'" + id + "' has no field '" + field + "'");
    }

    /** The JSON shape of {@code GET /api/modules}: {@code {"id","name","fields":[…],"stages":[…]}}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        if (icon != null) m.put("icon", icon);
        if (description != null) m.put("description", description);
        List<Object> fs = new ArrayList<>();
        fields.forEach(f -> fs.add(f.toMap()));
        m.put("fields", fs);
        List<Object> ss = new ArrayList<>();
        stages.forEach(s -> ss.add(s.toMap()));
        m.put("stages", ss);
        return m;
    }

    /** Builds an {@link ItemTypeSpec}; not thread-safe. */
    public static final class Builder {
        private final String id;
        private String name;
        private String icon;
        private String description;
        private final List<FieldSpec> fields = new ArrayList<>();
        private final List<StageSpec> stages = new ArrayList<>();
        private boolean allowExtraNumbers;

        private Builder(String id) { this.id = id; }

        public Builder name(String name) { this.name = name; return this; }
        public Builder icon(String icon) { this.icon = icon; return this; }
        public Builder description(String description) { this.description = description; return this; }
        public Builder field(FieldSpec field) { this.fields.add(field); return this; }
        public Builder fields(List<FieldSpec> fields) { this.fields.addAll(fields); return this; }
        public Builder stage(StageSpec stage) { this.stages.add(stage); return this; }
        public Builder stages(List<StageSpec> stages) { this.stages.addAll(stages); return this; }
        public Builder allowExtraNumbers(boolean allow) { this.allowExtraNumbers = allow; return this; }

        public ItemTypeSpec build() { return new ItemTypeSpec(this); }
    }
}

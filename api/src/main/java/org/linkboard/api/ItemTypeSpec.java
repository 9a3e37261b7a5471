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

    /** Starts a spec of the type {@code id} (local to the module, {@code [A-Za-z0-9_-]}). */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** The local type id; items carry {@code moduleId:id}. */
    public String id() { return id; }
    /** The name shown to users (defaults to the id). */
    public String name() { return name; }
    /** A short icon hint for the web app (an emoji or a name); may be null. */
    public String icon() { return icon; }
    /** One sentence for users; may be null. */
    public String description() { return description; }
    /** The declared fields, in display order. */
    public List<FieldSpec> fields() { return fields; }
    /** The workflow, first stage first; empty when the type has no workflow. */
    public List<StageSpec> stages() { return stages; }
    /**
     * Whether fields not declared here are accepted when their value is a number (so a goal's
     * {@code metric} can name them, CONTRACT §4). True for the built-in {@code card}.
     */
    public boolean allowExtraNumbers() { return allowExtraNumbers; }

    /** The spec of a declared field. */
    public Optional<FieldSpec> field(String name) {
        for (FieldSpec f : fields) {
            if (f.name().equals(name)) return Optional.of(f);
        }
        return Optional.empty();
    }

    /** The stage with that id. */
    public Optional<StageSpec> stage(String id) {
        for (StageSpec s : stages) {
            if (s.id().equals(id)) return Optional.of(s);
        }
        return Optional.empty();
    }

    /** The name of the field that holds an item's workflow stage. */
    public static final String STAGE_FIELD = "stage";

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

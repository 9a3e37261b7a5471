package org.linkboard.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One stage of an item type's workflow: its id, display name, and the stages an item may move
 * to from here. An item of a type with stages keeps its stage in the field {@code stage}; the
 * server rejects a {@code set} of {@code stage} to a stage not listed in {@link #next()} with
 * {@link ErrorCode#VALIDATION_FAILED}. Immutable.
 */
public record StageSpec(String id, String name, List<String> next) {

    public StageSpec {
        Objects.requireNonNull(id, "id");
        name = name == null ? id : name;
        next = next == null ? List.of() : List.copyOf(next);
    }

    /** A stage: {@code of("interview", "Interview", "offer", "rejected")}. */
    public static StageSpec of(String id, String name, String... next) {
        return new StageSpec(id, name, List.of(next));
    }

    /** The JSON shape of CONTRACT §6: {@code {"id","name","next":[…]}}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        m.put("next", next);
        return m;
    }
}

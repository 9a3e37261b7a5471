package org.linkboard.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A starting layout for a new board that a module offers (for example "Exchange programme
 * 2026/27" with lanes "Planning", "Applications", "Abroad", "Returned"). The web app lists the
 * templates of the modules enabled for a unit; choosing one creates the board and then one
 * {@code lane} per entry of {@link #lanes}, in order. Immutable.
 *
 * @param id          unique within the module
 * @param name        shown to users
 * @param description one sentence, may be null
 * @param lanes       lane titles, in order
 */
public record BoardTemplate(String id, String name, String description, List<String> lanes) {

    public BoardTemplate {
        Objects.requireNonNull(id, "id");
        name = name == null ? id : name;
        lanes = lanes == null ? List.of() : List.copyOf(lanes);
    }

    /** A template without description: {@code of("onboarding", "Onboarding", "To do", "Done")}. */
    public static BoardTemplate of(String id, String name, String... lanes) {
        return new BoardTemplate(id, name, null, List.of(lanes));
    }

    /** The JSON shape listed in {@code GET /api/modules} under {@code boardTemplates}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("name", name);
        if (description != null) m.put("description", description);
        m.put("lanes", lanes);
        return m;
    }
}

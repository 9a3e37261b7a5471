package org.linkboard.server.board;

import org.linkboard.api.FieldSpec;
import org.linkboard.api.FieldType;
import org.linkboard.api.ItemTypeSpec;

import java.util.Map;

/**
 * The built-in item types of CONTRACT §4: {@code lane}, {@code card} and {@code goal}.
 * Immutable constants.
 */
public final class BuiltInTypes {

    /** A column or group that holds cards. */
    public static final ItemTypeSpec LANE = ItemTypeSpec.builder("lane")
            .name("Lane")
            .field(FieldSpec.builder("title", FieldType.STRING).label("Title").maxLength(200).build())
            .build();

    /**
     * A unit of work. Accepts extra numeric fields (allowExtraNumbers) so a goal's {@code metric}
     * can name any of them, e.g. {@code students}.
     */
    public static final ItemTypeSpec CARD = ItemTypeSpec.builder("card")
            .name("Card")
            .field(FieldSpec.builder("title", FieldType.STRING).label("Title").required().maxLength(200).build())
            .field(FieldSpec.builder("description", FieldType.TEXT).label("Description").maxLength(20_000).build())
            .field(FieldSpec.builder("status", FieldType.ENUM).label("Status").values("todo", "doing", "done").build())
            .field(FieldSpec.builder("assignee", FieldType.STRING).label("Assignee").build())
            .field(FieldSpec.builder("due", FieldType.DATE).label("Due").build())
            .field(FieldSpec.builder("progress", FieldType.NUMBER).label("Progress").range(0, 100).build())
            .field(FieldSpec.builder("tags", FieldType.LIST).label("Tags").build())
            .allowExtraNumbers(true)
            .build();

    /** A target that linked items contribute to; its rollup is computed from them. */
    public static final ItemTypeSpec GOAL = ItemTypeSpec.builder("goal")
            .name("Goal")
            .field(FieldSpec.builder("title", FieldType.STRING).label("Title").required().build())
            .field(FieldSpec.builder("metric", FieldType.STRING).label("Metric")
                    .maxLength(Identifiers.MAX_FIELD_NAME)
                    .help("the numeric field of linked items to add up").build())
            .field(FieldSpec.builder("target", FieldType.NUMBER).label("Target").min(0).build())
            .field(FieldSpec.builder("due", FieldType.DATE).label("Due").build())
            // The base-year figure the linkage view compares the rollup sum with (docs/linkage.md).
            .field(FieldSpec.builder("baseline", FieldType.NUMBER).label("Baseline").min(0)
                    .help("the metric's value in the base year, e.g. students sent abroad in 2019").build())
            .field(FieldSpec.builder("baselineYear", FieldType.INTEGER).label("Baseline year").range(1900, 2200).build())
            .build();

    /** The type name of goals: the only link targets for now. */
    public static final String GOAL_TYPE = "goal";

    static final ItemTypes ALL = ItemTypes.of(Map.of("lane", LANE, "card", CARD, "goal", GOAL));

    private BuiltInTypes() {
    }
}

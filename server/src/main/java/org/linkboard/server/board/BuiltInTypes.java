package org.linkboard.server.board;

import org.linkboard.api.FieldSpec;
import org.linkboard.api.FieldType;
import org.linkboard.api.ItemTypeSpec;

import java.util.Map;

/**
 * The built-in item types of CONTRACT §4: {@code lane}, {@code card} and {@code goal}; and the
 * collaboration types of docs/collaboration.md: {@code comment} and {@code check} (checklist entry),
 * children of a card.
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

    /**
     * A comment in the thread of a card (or goal, or module item): a child of it, ordered by pos.
     * {@code author} is filled by the server with the id of the user who created it (see
     * {@link #stampAuthor}); a client cannot set or change it.
     */
    public static final ItemTypeSpec COMMENT = ItemTypeSpec.builder("comment")
            .name("Comment")
            .field(FieldSpec.builder("text", FieldType.TEXT).label("Text").required().maxLength(20_000).build())
            .field(FieldSpec.builder("author", FieldType.STRING).label("Author").maxLength(64)
                    .help("filled by the server: the id of the user who wrote it").build())
            .build();

    /** One entry of a card's checklist: a child of the card, ordered by pos. */
    public static final ItemTypeSpec CHECK = ItemTypeSpec.builder("check")
            .name("Checklist entry")
            .field(FieldSpec.builder("text", FieldType.STRING).label("Text").required().maxLength(1_000).build())
            .field(FieldSpec.builder("done", FieldType.BOOLEAN).label("Done").build())
            .field(FieldSpec.builder("assignee", FieldType.STRING).label("Assignee").build())
            .field(FieldSpec.builder("due", FieldType.DATE).label("Due").build())
            .build();

    /** The type name of goals: the only link targets for now. */
    public static final String GOAL_TYPE = "goal";
    public static final String COMMENT_TYPE = "comment";
    public static final String CHECK_TYPE = "check";
    /** The field of a comment naming its author's user id. */
    public static final String AUTHOR_FIELD = "author";

    static final ItemTypes ALL = ItemTypes.of(Map.of("lane", LANE, "card", CARD, "goal", GOAL,
            COMMENT_TYPE, COMMENT, CHECK_TYPE, CHECK));

    /** Whether items of this type are attachments of their parent (comments, checklist entries) that hold no children. */
    public static boolean isLeafAnnex(String type) {
        return COMMENT_TYPE.equals(type) || CHECK_TYPE.equals(type);
    }

    /**
     * The op with the author of a new comment filled in: the id of the user who submits it,
     * replacing whatever the client sent, so a comment cannot be forged in someone else's name.
     * The system user and managers of the board's unit ({@code mayNameAuthor}) may name an author
     * themselves: module automation, imports, and undoing the deletion of a card with others'
     * comments. Deterministic, as the stamped op is what is logged and replayed.
     */
    public static Op stampAuthor(Op op, String userId, boolean mayNameAuthor) {
        if (!(op instanceof Op.Create c) || !COMMENT_TYPE.equals(c.type())) return op;
        if (mayNameAuthor && c.fields().get(AUTHOR_FIELD) instanceof String) return op;
        if (userId.equals(c.fields().get(AUTHOR_FIELD))) return op;
        Map<String, Object> fields = new java.util.LinkedHashMap<>(c.fields());
        fields.put(AUTHOR_FIELD, userId);
        return new Op.Create(c.id(), c.type(), c.parent(), c.pos(), fields);
    }

    private BuiltInTypes() {
    }
}

package org.linkboard.api;

/**
 * Everything a {@link LinkboardModule#validate} hook may look at: the operation, the item as it
 * is before the operation, who makes it, and the board it lands on. The server creates one per
 * hook call; it is only valid during that call.
 *
 * @param boardId   the board the operation is for
 * @param boardUnit the unit that owns the board (the unit whose enablement and settings apply)
 * @param op        the operation, already checked against the item type's fields and stages
 * @param before    the target item before the operation, or null for a {@code create}
 * @param user      who makes the operation (the system user for module follow-ups)
 * @param board     the board's state the operation would apply to
 */
public record OpContext(String boardId, String boardUnit, OpView op, ItemView before, UserView user,
                        BoardView board) {

    /** Whether the operation targets an item of {@code typeId} of module {@code moduleId}. */
    public boolean concerns(String moduleId, String typeId) {
        return (moduleId + ":" + typeId).equals(op.type());
    }

    /**
     * The value a field will have once the operation is applied: the new value for a {@code create}
     * or a {@code set} of that field, else the current one; null when absent.
     */
    public Object fieldAfter(String field) {
        if (op.kind() == OpView.Kind.CREATE) return op.fields().get(field);
        if (op.sets(field)) return op.value();
        return before == null ? null : before.fields().get(field);
    }
}

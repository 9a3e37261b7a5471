package org.linkboard.api;

/**
 * An operation that has been applied and is durable, as told to
 * {@link LinkboardModule#onApplied}. Immutable.
 *
 * @param boardId the board
 * @param unit    the unit that owns the board
 * @param seq     the operation's seq on that board
 * @param op      the operation in the server's completed form (e.g. with the assigned {@code pos})
 * @param by      the id of the user who made it; {@link UserView#SYSTEM_ID} for module follow-ups
 * @param at      when the server accepted it, epoch milliseconds
 * @param item    the target item after the operation, or null when it was deleted
 */
public record AppliedOpEvent(String boardId, String unit, long seq, OpView op, String by, long at, ItemView item) {

    /** Whether a module (any module) made this operation through {@link ModuleContext#submit}. */
    public boolean bySystem() {
        return UserView.SYSTEM_ID.equals(by);
    }
}

package org.linkboard.server.board;

import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.auth.Principal;

import java.util.Map;

/**
 * Who may change a comment: its author, a manager of the board's unit, or the system user. Other
 * writers of the board may reply but not edit or delete someone else's words. Deleting the card
 * deletes its thread, which stays a card writer's right. Called by the board actor after
 * validation, on its thread; stateless.
 */
final class CommentRules {

    private CommentRules() {
    }

    /** Throws FORBIDDEN when {@code by} may not apply {@code op} to the comment it targets; otherwise does nothing. */
    static void requireMayChange(BoardState state, Op op, Principal by, boolean managesBoard) {
        if (op instanceof Op.Create || op instanceof Op.Link || op instanceof Op.Unlink) return;
        Item item = state.item(op.id());
        if (item == null || !BuiltInTypes.COMMENT_TYPE.equals(item.type())) return;
        if (managesBoard || by.isSystem()) return;
        Object author = item.fields().get(BuiltInTypes.AUTHOR_FIELD);
        if (author == null || by.userId().equals(author)) return;
        throw new LinkboardException(ErrorCode.FORBIDDEN, "only the author of a comment may change it",
                Map.of("item", item.id()));
    }
}

package org.linkboard.server.plugins;

import io.vertx.core.Future;
import org.linkboard.api.OpContext;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.board.BoardState;
import org.linkboard.server.board.Op;
import org.linkboard.server.board.OpGate;
import org.linkboard.server.store.BoardRecord;

/**
 * The board actor's gate to modules: an op on an item of a module type needs the module enabled
 * for the board's unit and running (else MODULE_DISABLED), and must pass the module's validate
 * hook (run on the module's worker pool within its budget; see {@link ModuleHost#checkOp}).
 *
 * <p>{@link #concerns} runs on the actor's event loop for every op and only looks at the op's
 * type, so built-in ops stay on the actor's synchronous path. {@link #check} builds the hook's
 * views on the actor's thread (the engine's items are live) and completes on the actor's context.
 */
public final class ModuleOpGate implements OpGate {

    private final ModuleHost host;
    private final RecentDeletes deletes;

    public ModuleOpGate(ModuleHost host, RecentDeletes deletes) {
        this.host = host;
        this.deletes = deletes;
    }

    @Override
    public boolean concerns(BoardRecord board, BoardState state, Op op) {
        return host.concerns(BoardViews.targetType(state, op));
    }

    @Override
    public Future<Void> check(BoardRecord board, BoardState state, Op op, Principal user) {
        String type = BoardViews.targetType(state, op);
        OpContext ctx = new OpContext(board.id(), board.unit(), BoardViews.op(op, type),
                op instanceof Op.Create ? null : BoardViews.item(state.item(op.id())),
                ModuleRoutes.user(user), BoardViews.live(board.id(), board.unit(), state));
        Future<Void> verdict = host.checkOp(ctx);
        if (op instanceof Op.Delete) {
            // The applied event of a delete no longer has the item; remember whose it was.
            verdict = verdict.onSuccess(v -> deletes.remember(board.id(), op.id(), type));
        }
        return verdict;
    }
}

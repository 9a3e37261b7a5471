package org.linkboard.server.board;

import io.vertx.core.Future;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.store.BoardRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * Several {@link OpGate}s consulted as one, in order: the op is accepted when every gate that
 * {@link OpGate#concerns concerns} it accepts, and rejected with the first failure. Lets the module
 * gate and the linkage gate both stand in front of the board actor without knowing of each other.
 *
 * <p>Threading as {@link OpGate}: called on the board actor's context; a gate's check starts only
 * after the previous one completed, so each sees the same, unchanged board state.
 */
public final class CompositeOpGate implements OpGate {

    private final List<OpGate> gates;

    private CompositeOpGate(List<OpGate> gates) {
        this.gates = gates;
    }

    /** The gates as one; {@link OpGate#NONE} entries are dropped, one gate is returned as it is. */
    public static OpGate of(List<OpGate> gates) {
        List<OpGate> real = new ArrayList<>();
        for (OpGate g : gates) {
            if (g != null && g != OpGate.NONE) real.add(g);
        }
        if (real.isEmpty()) return OpGate.NONE;
        if (real.size() == 1) return real.get(0);
        return new CompositeOpGate(List.copyOf(real));
    }

    @Override
    public boolean concerns(BoardRecord board, BoardState state, Op op) {
        for (OpGate g : gates) {
            if (g.concerns(board, state, op)) return true;
        }
        return false;
    }

    @Override
    public Future<Void> check(BoardRecord board, BoardState state, Op op, Principal user) {
        // Decided up front, on the actor's context, while the state is the one to judge.
        List<OpGate> concerned = new ArrayList<>(gates.size());
        for (OpGate g : gates) {
            if (g.concerns(board, state, op)) concerned.add(g);
        }
        Future<Void> chain = Future.succeededFuture();
        for (OpGate g : concerned) {
            chain = chain.compose(v -> {
                try {
                    return g.check(board, state, op, user);
                } catch (RuntimeException e) {
                    return Future.failedFuture(e);
                }
            });
        }
        return chain;
    }
}

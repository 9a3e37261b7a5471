package org.linkboard.server.linkage;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.auth.AccessPolicy;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.board.BoardRegistry;
import org.linkboard.server.board.BoardState;
import org.linkboard.server.board.BuiltInTypes;
import org.linkboard.server.board.Item;
import org.linkboard.server.board.LinkRef;
import org.linkboard.server.board.Op;
import org.linkboard.server.board.OpGate;
import org.linkboard.server.store.BoardRecord;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks of a {@code link} op that need data outside its board (CONTRACT §4), made by the
 * board actor before the op gets a seq. The board's own {@code OpValidator} has already checked
 * the source item and, for a same-board target, that it is a goal without a same-board cycle.
 *
 * <ul>
 *   <li>target on another board: the board exists, is not archived and is in the user's read
 *       scope (else {@code NOT_FOUND}); its unit is the source board's unit or above it (else
 *       {@code VALIDATION_FAILED}, field {@code to}); the item exists ({@code NOT_FOUND}) and is a
 *       goal ({@code VALIDATION_FAILED});</li>
 *   <li>any target: the link must not close a cycle through goals of any board
 *       ({@code LINK_CYCLE}); an accepted goal → goal link is reserved in the {@link GoalGraph}
 *       until the linkage has indexed it.</li>
 * </ul>
 *
 * <p>Threading: {@link #check} is called on the board actor's context; the target board is read
 * through its own actor (at its durable version), and the cycle check runs back on the calling
 * context, where the passed state may be read.
 */
public final class LinkageGate implements OpGate {

    private final BoardRegistry boards;
    private final AccessPolicy access;
    private final GoalGraph graph;

    public LinkageGate(BoardRegistry boards, AccessPolicy access, GoalGraph graph) {
        this.boards = boards;
        this.access = access;
        this.graph = graph;
    }

    @Override
    public boolean concerns(BoardRecord board, BoardState state, Op op) {
        // Every link: even a same-board link may close a cycle that passes through other boards.
        return op instanceof Op.Link;
    }

    @Override
    public Future<Void> check(BoardRecord board, BoardState state, Op op, Principal user) {
        Op.Link link = (Op.Link) op;
        Item source = state.item(link.id());
        LinkRef to = link.to();
        if (source == null || to == null || source.links().contains(to)) {
            return Future.succeededFuture(); // the validator judged it; linking again changes nothing
        }
        if (to.board().equals(board.id())) {
            return cycleCheck(board, state, source, to);
        }
        Context caller = Vertx.currentContext();
        return targetBoard(board, to, user)
                .compose(target -> boards.actor(target.id()))
                .recover(e -> Future.failedFuture(e instanceof LinkboardException le && le.code() == ErrorCode.NOT_FOUND
                        ? notFound(to, "board " + to.board() + " not found") : e))
                .compose(actor -> actor.read(s -> {
                    Item t = s.item(to.item());
                    return t == null ? "" : t.type();
                }))
                .compose(type -> {
                    if (type.isEmpty()) return Future.failedFuture(notFound(to, "link target '" + to.item() + "' does not exist"));
                    if (!BuiltInTypes.GOAL_TYPE.equals(type)) {
                        return Future.failedFuture(LinkboardException.invalidField("to",
                                "items can only link to a goal; '" + to.item() + "' is a " + type));
                    }
                    return onContext(caller, () -> cycleCheck(board, state, source, to));
                });
    }

    private Future<BoardRecord> targetBoard(BoardRecord source, LinkRef to, Principal user) {
        return boards.store().getBoard(to.board()).compose(target -> {
            if (target == null || target.archived() || !access.canRead(user, target.unit())) {
                return Future.failedFuture(notFound(to, "board " + to.board() + " not found"));
            }
            if (!access.units().isSameOrBelow(source.unit(), target.unit())) {
                return Future.failedFuture(LinkboardException.invalidField("to", "items of unit " + source.unit()
                        + " can only link to goals of the same unit or a unit above it; board " + target.id()
                        + " belongs to " + target.unit()));
            }
            return Future.succeededFuture(target);
        });
    }

    private Future<Void> cycleCheck(BoardRecord board, BoardState state, Item source, LinkRef to) {
        if (!RollupIndex.isGoal(source)) {
            // Only goals are ever linked to, so nothing can lead back to an item that is not a goal.
            return Future.succeededFuture();
        }
        LinkRef from = new LinkRef(board.id(), source.id());
        boolean cycle = graph.reserveUnlessCycle(from, to, board.id(), id -> {
            Item i = state.item(id);
            return RollupIndex.isGoal(i) ? List.copyOf(i.links()) : List.of();
        }, System.nanoTime());
        if (cycle) {
            return Future.failedFuture(new LinkboardException(ErrorCode.LINK_CYCLE,
                    "linking " + source.id() + " to " + to.board() + "/" + to.item() + " would make a cycle",
                    Map.of("item", source.id(), "field", "to")));
        }
        return Future.succeededFuture();
    }

    private static LinkboardException notFound(LinkRef to, String message) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("board", to.board());
        details.put("item", to.item());
        details.put("field", "to");
        return new LinkboardException(ErrorCode.NOT_FOUND, message, details);
    }

    private static <T> Future<T> onContext(Context context, java.util.function.Supplier<Future<T>> work) {
        if (context == null || Vertx.currentContext() == context) return work.get();
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> {
            try {
                work.get().onComplete(promise);
            } catch (RuntimeException e) {
                promise.fail(e);
            }
        });
        return promise.future();
    }
}

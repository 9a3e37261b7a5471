package org.linkboard.server.transfer;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.Errors;
import org.linkboard.server.audit.AuditLog;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.board.BoardRegistry;
import org.linkboard.server.board.BoardState;
import org.linkboard.server.board.Op;
import org.linkboard.server.board.OpValidator;
import org.linkboard.server.http.Json;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.LoggedOp;
import org.linkboard.server.store.Store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Exports boards (JSON with optional history, CSV of cards) and imports them (Linkboard JSON,
 * Trello JSON) as a new board built by ops of the importing user, so history and live clients
 * see the import like any edit.
 *
 * <p>An import is validated whole — format, then every op against a scratch board with the same
 * validator the board actor uses — before the board is created; a malformed import creates
 * nothing. Should an op still be refused when submitted (a module hook, a module disabled for
 * the unit), the half-built board is archived and the error returned.
 *
 * <p>Threading: called on event loops; store and board work is asynchronous.
 */
public final class BoardTransfer {

    private static final int HISTORY_PAGE = 10_000;
    /** Validator fields that are item members; any other names a field in {@code fields}. */
    private static final java.util.Set<String> STRUCTURAL = java.util.Set.of("id", "type", "parent", "pos", "to", "kind", "fields");

    private final io.vertx.core.Vertx vertx;
    private final Store store;
    private final BoardRegistry boards;
    private final AuditLog audit;

    public BoardTransfer(io.vertx.core.Vertx vertx, Store store, BoardRegistry boards, AuditLog audit) {
        this.vertx = vertx;
        this.store = store;
        this.boards = boards;
        this.audit = audit;
    }

    /**
     * The export document of a readable board. With its history it is assembled on a worker: it
     * parses every op of the board, which for a big board would hold up an event loop a long while.
     */
    public Future<JsonObject> exportJson(BoardRecord board, boolean history) {
        return boards.actor(board.id()).compose(a -> a.snapshot(Json.board(board, board.version()))).compose(snap -> {
            long version = snap.getLong("version");
            JsonObject items = snap.getJsonObject("items");
            if (!history) return Future.succeededFuture(LinkboardFormat.export(board, version, items, null));
            List<LoggedOp> all = new ArrayList<>();
            return readHistory(board.id(), 0, version, all)
                    .compose(v -> vertx.executeBlocking(() -> LinkboardFormat.export(board, version, items, all), false));
        });
    }

    private Future<Void> readHistory(String boardId, long since, long upTo, List<LoggedOp> into) {
        return store.readOps(boardId, since, HISTORY_PAGE).compose(page -> {
            for (LoggedOp op : page) if (op.seq() <= upTo) into.add(op);
            if (page.size() < HISTORY_PAGE || page.get(page.size() - 1).seq() >= upTo) return Future.succeededFuture();
            return readHistory(boardId, page.get(page.size() - 1).seq(), upTo, into);
        });
    }

    /**
     * The cards of a readable board as CSV. Only the items' copy is made on the board's loop; the
     * tree walk and the text, which for a big board take a while, on a worker.
     */
    public Future<String> exportCsv(BoardRecord board) {
        return boards.actor(board.id()).compose(a -> a.read(BoardState::detachedItems))
                .compose(items -> vertx.executeBlocking(() -> LinkboardFormat.csv(BoardState.ofItems(board.id(), 0, items)), false));
    }

    /**
     * Imports {@code data} of {@code format} ({@code linkboard} or {@code trello}) as a new board
     * of {@code unit}. Answers {@code {"board","created","skippedItems","skippedLinks"}}.
     */
    public Future<JsonObject> importBoard(Principal p, String format, String unit, String title, JsonObject data) {
        String boardId = "b-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        ImportPlan plan = switch (format) {
            case LinkboardFormat.FORMAT -> LinkboardFormat.plan(data, boardId, title);
            case TrelloFormat.FORMAT -> TrelloFormat.plan(data, title);
            default -> throw LinkboardException.invalidField("format", "format is 'linkboard' or 'trello'");
        };
        String boardTitle = plan.title() == null ? "Imported board" : plan.title().strip();
        if (boardTitle.isEmpty() || boardTitle.length() > 200) throw LinkboardException.invalidField("title", "a board title is 1–200 characters");
        validate(boardId, plan);
        BoardRecord record = new BoardRecord(boardId, boardTitle, unit, System.currentTimeMillis(), 0, false);
        return store.createBoard(record).compose(created -> submitAll(created, plan.ops(), p)
                .recover(e -> boards.archive(created).transform(ar -> Future.failedFuture(e)))
                .compose(v -> crossBoardLinks(created, plan.crossBoardLinks(), p))
                .compose(skippedLinks -> {
                    JsonObject result = new JsonObject()
                            .put("board", Json.board(created, boards.liveVersion(created)))
                            .put("created", plan.ops().stream().filter(o -> o instanceof Op.Create).count())
                            .put("skippedItems", plan.skippedItems()).put("skippedLinks", skippedLinks);
                    return audit.record(p, "board.import", boardId, new JsonObject().put("format", format).put("unit", unit)
                            .put("items", result.getLong("created"))).map(x -> result);
                }));
    }

    /** Applies the plan to a scratch board: whatever the actor would refuse is refused now. */
    private void validate(String boardId, ImportPlan plan) {
        BoardState scratch = new BoardState(boardId);
        OpValidator validator = new OpValidator(boards.itemTypes());
        long seq = 0;
        for (Op op : plan.ops()) {
            try {
                Op completed = scratch.complete(op, boards.itemTypes());
                validator.validate(scratch, completed);
                scratch.apply(completed, ++seq);
            } catch (LinkboardException e) {
                Map<String, Object> details = new HashMap<>();
                Object field = e.details() == null ? null : e.details().get("field");
                String f = field == null ? "" : STRUCTURAL.contains(field.toString()) ? "." + field : ".fields." + field;
                details.put("field", "data.items." + op.id() + f);
                details.put("item", op.id());
                details.put("cause", e.code().name());
                throw new LinkboardException(ErrorCode.VALIDATION_FAILED, "item " + op.id() + ": " + e.getMessage(), details);
            } catch (RuntimeException e) {
                throw LinkboardException.invalidField("data.items." + op.id(), "item " + op.id() + " cannot be imported: " + e.getMessage());
            }
        }
    }

    private Future<Void> submitAll(BoardRecord board, List<Op> ops, Principal p) {
        String batch = UUID.randomUUID().toString().substring(0, 8);
        List<Future<Long>> all = new ArrayList<>(ops.size());
        // Submitted together: the actor takes them in order and group-commits them.
        for (int i = 0; i < ops.size(); i++) {
            all.add(boards.submit(board.id(), ops.get(i), p, "import-" + batch + "-" + i));
        }
        return Future.all(all).mapEmpty();
    }

    /** Links to goals on other boards: submitted one by one; a refused one is skipped and counted. */
    private Future<Integer> crossBoardLinks(BoardRecord board, List<Op.Link> links, Principal p) {
        AtomicInteger skipped = new AtomicInteger();
        Future<Void> chain = Future.succeededFuture();
        for (int i = 0; i < links.size(); i++) {
            Op.Link link = links.get(i);
            String cid = "import-link-" + i;
            chain = chain.compose(v -> boards.submit(board.id(), link, p, cid)
                    .transform(ar -> {
                        if (ar.failed()) skipped.incrementAndGet();
                        return Future.<Void>succeededFuture();
                    }));
        }
        return chain.map(v -> skipped.get());
    }

    static LinkboardException notFound(String id) {
        return Errors.notFound("board " + id + " not found");
    }
}

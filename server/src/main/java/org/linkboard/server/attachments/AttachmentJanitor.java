package org.linkboard.server.attachments;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.linkboard.server.board.AppliedOp;
import org.linkboard.server.board.AppliedOps;
import org.linkboard.server.board.BoardRegistry;
import org.linkboard.server.board.Op;
import org.linkboard.server.store.AttachmentRecord;
import org.linkboard.server.store.Store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Leaves no orphaned files behind (docs/collaboration.md). When a {@code delete} op removes items,
 * their attachments are marked removed (listening to {@link AppliedOp#ADDRESS}); a periodic
 * {@link #sweep()} deletes the files and records of those removed longer than the retention ago,
 * unless the item exists again (undo re-created it), in which case the mark is cleared. Archived
 * boards keep their files: archiving removes no item. Failures are logged and retried next sweep.
 */
public final class AttachmentJanitor {

    private static final Logger LOG = Logger.getLogger(AttachmentJanitor.class.getName());
    private static final int BATCH = 500;

    private final Vertx vertx;
    private final Store store;
    private final BoardRegistry boards;
    private final AttachmentStore files;
    private final long retentionMs;
    private final LongSupplier clock;
    private long timer = -1;

    public AttachmentJanitor(Vertx vertx, Store store, BoardRegistry boards, AttachmentStore files, long retentionMs, LongSupplier clock) {
        this.vertx = vertx;
        this.store = store;
        this.boards = boards;
        this.files = files;
        this.retentionMs = retentionMs;
        this.clock = clock;
    }

    public void start(long sweepEveryMs) {
        vertx.eventBus().<AppliedOps>localConsumer(AppliedOp.ADDRESS, m -> m.body().forEach(this::applied));
        timer = vertx.setPeriodic(sweepEveryMs, sweepEveryMs, t -> sweep());
    }

    public void stop() {
        if (timer >= 0) vertx.cancelTimer(timer);
    }

    private void applied(AppliedOp a) {
        if (!(a.op() instanceof Op.Delete)) return;
        List<String> removed = new ArrayList<>();
        for (Map.Entry<String, ?> e : a.changed().entrySet()) {
            if (e.getValue() == null) removed.add(e.getKey());
        }
        if (removed.isEmpty()) return;
        store.markAttachmentsRemoved(a.board().id(), removed, clock.getAsLong())
                .onFailure(e -> LOG.log(Level.WARNING, "cannot mark attachments of removed items of board " + a.board().id(), e));
    }

    /** Deletes what is past its retention; completes when done (never fails). */
    public Future<Void> sweep() {
        return store.attachmentsRemovedBefore(clock.getAsLong() - retentionMs, BATCH).compose(list -> {
            Future<Void> chain = Future.succeededFuture();
            for (AttachmentRecord a : list) chain = chain.compose(v -> expire(a));
            return chain;
        }).recover(e -> {
            LOG.log(Level.WARNING, "attachment sweep failed", e);
            return Future.succeededFuture();
        });
    }

    private Future<Void> expire(AttachmentRecord a) {
        Future<Boolean> exists = boards.actor(a.board()).compose(actor -> actor.read(state -> state.item(a.item()) != null))
                .recover(e -> store.getBoard(a.board()).map(b -> b != null && b.archived()));
        return exists.compose(back -> {
            if (back) return store.markAttachmentsRemoved(a.board(), List.of(a.item()), null);
            return files.delete(a.board(), a.id()).compose(v -> store.deleteAttachment(a.board(), a.id())).mapEmpty();
        }).recover(e -> {
            LOG.log(Level.WARNING, "cannot expire attachment " + a.id(), e);
            return Future.succeededFuture();
        });
    }
}

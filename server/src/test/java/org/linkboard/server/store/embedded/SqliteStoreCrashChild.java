package org.linkboard.server.store.embedded;

import io.vertx.core.Vertx;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.Durability;
import org.linkboard.server.store.LoggedOp;

import java.nio.file.Path;
import java.util.List;

/**
 * The process {@link SqliteStoreCrashTest} kills: appends single-op batches to board
 * {@code crash} with up to {@link #IN_FLIGHT} appends outstanding, like a busy board actor, and
 * prints each seq on its own line only after its append's future completed (i.e. was acked).
 * Runs until killed. Arguments: the data dir, then the {@link Durability} ({@code power} by default).
 */
public final class SqliteStoreCrashChild {

    static final String BOARD = "crash";
    private static final int IN_FLIGHT = 64;

    private final SqliteStore store;
    private long nextSeq = 1;
    private int inFlight;

    private SqliteStoreCrashChild(SqliteStore store) {
        this.store = store;
    }

    public static void main(String[] args) {
        Vertx vertx = Vertx.vertx();
        Durability durability = args.length > 1 ? Durability.parse(args[1]) : Durability.POWER;
        SqliteStore store = new SqliteStore(vertx, Path.of(args[0]), durability);
        store.open().await();
        store.createBoard(new BoardRecord(BOARD, "Crash", "cs", System.currentTimeMillis(), 0, false)).await();
        System.out.println("ready");
        SqliteStoreCrashChild child = new SqliteStoreCrashChild(store);
        vertx.runOnContext(v -> child.pump());
    }

    /** Runs on one event-loop context, so appends are queued in seq order. */
    private void pump() {
        while (inFlight < IN_FLIGHT) {
            long seq = nextSeq++;
            inFlight++;
            store.append(BOARD, List.of(new LoggedOp(seq, "{\"n\":" + seq + "}", "u1", "c" + seq,
                    System.currentTimeMillis()))).onComplete(ar -> {
                inFlight--;
                if (ar.succeeded()) {
                    // println flushes: the parent sees the seq as soon as it is acked.
                    System.out.println(seq);
                } else {
                    System.err.println("append " + seq + " failed: " + ar.cause());
                    System.exit(2);
                }
                pump();
            });
        }
    }
}

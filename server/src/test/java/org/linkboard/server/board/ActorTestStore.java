package org.linkboard.server.board;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.linkboard.server.auth.AccessPolicy;
import org.linkboard.server.auth.UnitDirectory;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.LoggedOp;
import org.linkboard.server.store.Store;
import org.linkboard.server.store.embedded.SqliteStore;
import org.linkboard.server.testing.TestServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * For board actor tests, registered with {@code @RegisterExtension}: before each test, a Vert.x
 * that carries {@link AppliedOp} on its event bus and an open embedded store in a fresh directory
 * holding {@link #RECORD}; after it (and after the test's own {@code @AfterEach}), both closed and
 * the directory deleted.
 */
final class ActorTestStore implements BeforeEachCallback, AfterEachCallback {

    static final BoardRecord RECORD = new BoardRecord("b1", "B", "university", 1, 0, false);

    Vertx vertx;
    SqliteStore store;
    private Path dir;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("linkboard-actor-test");
        vertx = Vertx.vertx();
        vertx.eventBus().registerDefaultCodec(AppliedOp.class, new LocalCodec<>(AppliedOp.class));
        vertx.eventBus().registerDefaultCodec(AppliedOps.class, new LocalCodec<>(AppliedOps.class));
        store = new SqliteStore(vertx, dir);
        store.open().await();
        store.createBoard(RECORD).await();
    }

    /** An embedded-mode actor of an empty {@code board} on {@code context}, over this store. */
    BoardActor actor(Context context, BoardRecord board, BoardActor.EvictionListener evicted) {
        return actor(context, board, evicted, store);
    }

    /** The same over {@code over} (a store wrapped around {@link #store}, say). */
    BoardActor actor(Context context, BoardRecord board, BoardActor.EvictionListener evicted, Store over) {
        return new BoardActor(context, over, vertx.eventBus(), new AccessPolicy(new UnitDirectory()), ItemTypes.builtIn(),
                OpGate.NONE, 1_000_000, board, new BoardState(board.id()), 0, List.of(), evicted, BoardObserver.NONE);
    }

    /** An embedded-mode actor of {@code board} loaded as the registry loads one: its state and the log's recent ops. */
    BoardActor loadedActor(Context context, BoardRecord board, BoardState state, List<LoggedOp> recent) {
        return new BoardActor(context, store, vertx.eventBus(), new AccessPolicy(new UnitDirectory()), ItemTypes.builtIn(),
                OpGate.NONE, 1_000_000, board, state, 0, recent, a -> { }, BoardObserver.NONE);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            store.close().await();
            vertx.close().await();
        } finally {
            TestServer.deleteRecursively(dir);
        }
    }
}

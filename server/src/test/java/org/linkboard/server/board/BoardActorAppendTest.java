package org.linkboard.server.board;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.auth.AccessPolicy;
import org.linkboard.server.auth.UnitDirectory;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.embedded.SqliteStore;
import org.linkboard.server.testing.Await;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.linkboard.server.board.FakeSubscriber.USER;

/**
 * How an embedded board hands its ops to the store: ops read while a commit runs are sent at once
 * (the store orders them and groups them into its next commit), and a failed commit fails every op
 * sent after it too, and every read that waited for it.
 */
class BoardActorAppendTest {

    private static final BoardRecord RECORD = new BoardRecord("b1", "B", "university", 1, 0, false);

    @TempDir
    Path dir;

    private Vertx vertx;
    private SqliteStore store;
    private BoardActor actor;
    private final AtomicInteger evictions = new AtomicInteger();

    @BeforeEach
    void open() {
        vertx = Vertx.vertx();
        vertx.eventBus().registerDefaultCodec(AppliedOp.class, new LocalCodec<>(AppliedOp.class));
        store = new SqliteStore(vertx, dir);
        store.open().await();
        store.createBoard(RECORD).await();
        actor = actorOf(RECORD);
    }

    private BoardActor actorOf(BoardRecord board) {
        return new BoardActor(vertx.getOrCreateContext(), store, vertx.eventBus(), new AccessPolicy(new UnitDirectory()),
                ItemTypes.builtIn(), OpGate.NONE, 1_000_000, board, new BoardState(board.id()), 0, List.of(),
                a -> evictions.incrementAndGet(), BoardObserver.NONE);
    }

    @AfterEach
    void close() {
        store.close().await();
        vertx.close().await();
    }

    @Test
    void opsReadWhileACommitRunsJoinTheStoresNextCommitWithoutWaitingForTheRunningOne() {
        CountDownLatch release = new CountDownLatch(1);
        Future<Void> held = store.holdWriterUntil(release);
        Future<Long> first = submitCreate("c1");
        afterTheActorsNextTurns();
        Future<Long> second = submitCreate("c2");
        afterTheActorsNextTurns();
        long commitsBefore = store.commitCount();

        release.countDown();
        held.await();

        assertEquals(1L, Await.result(first));
        assertEquals(2L, Await.result(second));
        // The held write's commit, then one commit for both appends: the second was queued at the
        // store while the first waited, not sent after the first's answer came back.
        assertEquals(commitsBefore + 2, store.commitCount());
        assertEquals(2, store.appendCount());
    }

    @Test
    void whenACommitFailsEveryOpSentBehindItIsRejectedAndTheBoardIsEvictedOnce() {
        // The store has no such board, so the first append fails; the second, sent before that
        // answer came, fails on its seq gap.
        actor = actorOf(new BoardRecord("gone", "G", "university", 1, 0, false));
        CountDownLatch release = new CountDownLatch(1);
        Future<Void> held = store.holdWriterUntil(release);
        Future<Long> first = submitCreate("c1");
        afterTheActorsNextTurns();
        Future<Long> second = submitCreate("c2");
        afterTheActorsNextTurns();

        release.countDown();
        held.await();

        Await.until("both ops answered", () -> first.isComplete() && second.isComplete(), 10);
        assertEquals(ErrorCode.UNAVAILABLE, ((LinkboardException) first.cause()).code());
        assertEquals(ErrorCode.UNAVAILABLE, ((LinkboardException) second.cause()).code());
        Await.until("the eviction", () -> evictions.get() > 0, 10);
        afterTheActorsNextTurns();
        assertEquals(1, evictions.get());
        assertEquals(0, store.appendCount());
    }

    @Test
    void readsWaitingForTheDurableStateAreAnsweredUnavailableWhenTheCommitFails() {
        actor = actorOf(new BoardRecord("gone", "G", "university", 1, 0, false));
        CountDownLatch release = new CountDownLatch(1);
        Future<Void> held = store.holdWriterUntil(release);
        Future<Long> op = submitCreate("c1");
        afterTheActorsNextTurns();
        // Both wait for the state to equal the durable log, which the failing append never makes it.
        Future<Integer> read = actor.read(state -> state.items().size());
        Future<JsonObject> snapshot = actor.snapshot(new JsonObject().put("id", "gone"));

        release.countDown();
        held.await();

        Await.until("the op, the read and the snapshot answered",
                () -> op.isComplete() && read.isComplete() && snapshot.isComplete(), 10);
        assertEquals(ErrorCode.UNAVAILABLE, ((LinkboardException) read.cause()).code());
        assertEquals(ErrorCode.UNAVAILABLE, ((LinkboardException) snapshot.cause()).code());
    }

    private Future<Long> submitCreate(String id) {
        return actor.submit(USER, id, OpCodec.decode(new JsonObject().put("kind", "create").put("id", id)
                .put("type", "card").put("fields", new JsonObject().put("title", "t"))), null);
    }

    /** Returns once the actor ran what is queued on its context now and what that queued in turn (a flush). */
    private void afterTheActorsNextTurns() {
        Promise<Void> done = Promise.promise();
        actor.context().runOnContext(v -> actor.context().runOnContext(w -> done.complete()));
        Await.result(done.future());
    }
}

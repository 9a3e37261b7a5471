package org.linkboard.server.board;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.embedded.SqliteStore;
import org.linkboard.server.testing.Await;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.linkboard.server.board.FakeSubscriber.USER;

/**
 * What an embedded board does when the store fails its append: every op sent or waiting behind it
 * is rejected as UNAVAILABLE, the board is evicted once (to be reloaded from the store), and
 * every read that waited for the durable state is answered too.
 */
class BoardActorCommitFailureTest {

    /** A board the store does not hold: its first append fails. */
    private static final BoardRecord GONE = new BoardRecord("gone", "G", "university", 1, 0, false);

    @RegisterExtension
    final ActorTestStore testStore = new ActorTestStore();
    private SqliteStore store;
    private BoardActor actor;
    private final AtomicInteger evictions = new AtomicInteger();
    private CountDownLatch writerRelease;
    private Future<Void> heldWrite;

    @BeforeEach
    void open() {
        store = testStore.store;
        actor = actorOf(ActorTestStore.RECORD);
    }

    private BoardActor actorOf(BoardRecord board) {
        return testStore.actor(testStore.vertx.getOrCreateContext(), board, a -> evictions.incrementAndGet());
    }

    @Test
    void whenACommitFailsEveryOpWaitingBehindItIsRejectedAndTheBoardIsEvictedOnce() {
        // The store has no such board, so the first append fails; the second op waits behind it.
        actor = actorOf(GONE);
        holdTheWriter();
        List<Future<Long>> ops = twoOpsInTwoTurns();

        releaseTheWriter();

        Await.until("both ops answered", () -> ops.stream().allMatch(Future::isComplete), 10);
        for (Future<Long> op : ops) assertEquals(ErrorCode.UNAVAILABLE, ((LinkboardException) op.cause()).code());
        Await.until("the eviction", () -> evictions.get() > 0, 10);
        afterTheActorsNextTurns();
        assertEquals(1, evictions.get());
        assertEquals(0, store.appendCount());
    }

    @Test
    void readsWaitingForTheDurableStateAreAnsweredUnavailableWhenTheCommitFails() {
        actor = actorOf(GONE);
        holdTheWriter();
        Future<Long> op = submitCreate("c1");
        afterTheActorsNextTurns();
        // Both wait for the state to equal the durable log, which the failing append never makes it.
        Future<Integer> read = actor.read(state -> state.items().size());
        Future<JsonObject> snapshot = actor.snapshot(new JsonObject().put("id", "gone"));

        releaseTheWriter();

        Await.until("the op, the read and the snapshot answered",
                () -> op.isComplete() && read.isComplete() && snapshot.isComplete(), 10);
        assertEquals(ErrorCode.UNAVAILABLE, ((LinkboardException) read.cause()).code());
        assertEquals(ErrorCode.UNAVAILABLE, ((LinkboardException) snapshot.cause()).code());
    }

    /** Keeps the store's writer inside a transaction until {@link #releaseTheWriter()}, as a slow commit would. */
    private void holdTheWriter() {
        writerRelease = new CountDownLatch(1);
        heldWrite = store.holdWriterUntil(writerRelease);
    }

    private void releaseTheWriter() {
        writerRelease.countDown();
        heldWrite.await();
    }

    /** Two creates, each in a turn of the actor of its own: the first goes to the store, the second waits for its answer. */
    private List<Future<Long>> twoOpsInTwoTurns() {
        Future<Long> first = submitCreate("c1");
        afterTheActorsNextTurns();
        Future<Long> second = submitCreate("c2");
        afterTheActorsNextTurns();
        return List.of(first, second);
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

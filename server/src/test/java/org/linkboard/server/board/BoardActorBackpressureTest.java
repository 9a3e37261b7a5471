package org.linkboard.server.board;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.linkboard.server.store.embedded.SqliteStore;
import org.linkboard.server.testing.Await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.linkboard.server.board.FakeSubscriber.USER;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When a board tells its writers to hold off ({@link BoardActor#saturated()}): too many ops
 * waiting to be made durable, or most of its readers behind, but never one slow reader alone.
 */
class BoardActorBackpressureTest {

    @RegisterExtension
    final ActorTestStore testStore = new ActorTestStore();
    private SqliteStore store;
    private BoardActor actor;

    @BeforeEach
    void open() {
        store = testStore.store;
        actor = testStore.actor(testStore.vertx.getOrCreateContext(), ActorTestStore.RECORD, a -> { });
    }

    /** A reader whose backlog the test sets. */
    private static final class Reader extends FakeSubscriber {
        volatile boolean behind;

        Reader(String id) {
            super(id);
        }

        @Override
        public void deliver(byte[] utf8Json) {
        }

        @Override
        public boolean congested() {
            return behind;
        }
    }

    @Test
    void aBoardWithMoreOpsWaitingForTheStoreThanItsLimitIsSaturatedUntilTheyAreDurable() {
        CountDownLatch release = new CountDownLatch(1);
        Future<Void> held = store.holdWriterUntil(release);
        List<Future<Long>> acks = new ArrayList<>();
        for (int i = 0; i <= BoardActor.MAX_UNSETTLED; i++) {
            acks.add(actor.submit(USER, "c" + i, OpCodec.decode(new JsonObject().put("kind", "create").put("id", "c" + i)
                    .put("type", "card").put("fields", new JsonObject().put("title", "t"))), null));
        }

        assertTrue(actor.saturated());
        release.countDown();
        held.await();
        Await.result(Future.all(acks));
        assertFalse(actor.saturated());
    }

    @Test
    void mostReadersBehindSaturatesTheBoardButOneSlowReaderDoesNot() {
        Reader a = new Reader("a");
        Reader b = new Reader("b");
        Reader c = new Reader("c");
        for (Reader r : List.of(a, b, c)) Await.result(actor.join(r, null));

        a.behind = true;
        assertFalse(actor.saturated(), "one slow reader is cut off, not obeyed");
        b.behind = true;
        assertTrue(actor.saturated());
        actor.leave(b);
        Await.until("the leave", () -> actor.subscriberCount() == 2, 10);
        assertFalse(actor.saturated());
    }
}

package org.linkboard.server.board;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.linkboard.server.testing.Await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.linkboard.server.board.FakeSubscriber.USER;

/**
 * An applied op is announced to the listeners that derive views from it (linkage, notifications,
 * webhooks) before its submitter is answered, so a read made after the answer finds it.
 */
class BoardActorAppliedOpTest {

    @RegisterExtension
    final ActorTestStore testStore = new ActorTestStore();

    @Test
    void theAppliedOpIsPublishedBeforeTheSubmitterIsAnswered() {
        AtomicInteger published = new AtomicInteger();
        // Outbound interceptors run inside publish(), on the publishing thread: a synchronous witness.
        testStore.vertx.eventBus().addOutboundInterceptor(dc -> {
            if (AppliedOp.ADDRESS.equals(dc.message().address())) published.incrementAndGet();
            dc.next();
        });
        BoardActor actor = testStore.actor(testStore.vertx.getOrCreateContext(), ActorTestStore.RECORD, a -> { });
        AtomicBoolean publishedFirst = new AtomicBoolean();
        // Held, so the check below is in place before the commit can answer.
        CountDownLatch release = new CountDownLatch(1);
        Future<Void> held = testStore.store.holdWriterUntil(release);

        Future<Long> ack = actor.submit(USER, "c1", OpCodec.decode(new JsonObject().put("kind", "create").put("id", "c1")
                .put("type", "card").put("fields", new JsonObject().put("title", "t"))), null);
        ack.onSuccess(seq -> publishedFirst.set(published.get() == 1));
        release.countDown();
        held.await();

        Await.result(ack);
        assertTrue(publishedFirst.get(), "the AppliedOp was published before the submit future completed");
    }

    @Test
    void theOpsOfOneCommitAreAnnouncedInOneMessageInSeqOrder() {
        List<List<Long>> messages = new CopyOnWriteArrayList<>();
        testStore.vertx.eventBus().<AppliedOps>localConsumer(AppliedOp.ADDRESS,
                m -> messages.add(m.body().ops().stream().map(AppliedOp::seq).toList()));
        BoardActor actor = testStore.actor(testStore.vertx.getOrCreateContext(), ActorTestStore.RECORD, a -> { });
        // Sent while the writer is held back: at most the first goes alone (whether the actor
        // flushed it before the others arrived is timing), the rest share the next commit.
        CountDownLatch release = new CountDownLatch(1);
        Future<Void> held = testStore.store.holdWriterUntil(release);
        List<Future<Long>> acks = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            acks.add(actor.submit(USER, "c" + i, OpCodec.decode(new JsonObject().put("kind", "create").put("id", "c" + i)
                    .put("type", "card").put("fields", new JsonObject().put("title", "t" + i))), null));
        }
        release.countDown();
        held.await();
        Await.result(Future.all(acks));
        Await.until("the announcements", () -> messages.stream().mapToInt(List::size).sum() == 5, 10);

        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), messages.stream().flatMap(List::stream).toList());
        assertTrue(messages.size() <= 2, "one message per commit, got " + messages);
    }
}

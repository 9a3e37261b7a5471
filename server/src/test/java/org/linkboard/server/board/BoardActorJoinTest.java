package org.linkboard.server.board;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.LoggedOp;
import org.linkboard.server.store.Store;
import org.linkboard.server.store.embedded.SqliteStore;
import org.linkboard.server.testing.Await;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static org.linkboard.server.board.FakeSubscriber.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the board actor serves joins — a join {@code since} older than the recent log from the stored
 * log when that is smaller than a snapshot, the snapshot form built off the event loop — and writes
 * to its subscribers: encoded
 * items are reused while the version and the derived members' revision stay the same, a freshly
 * loaded board serves its stored snapshot, ops that land while a snapshot is being encoded follow
 * the {@code joined} frame without a gap, and a committed batch reaches each subscriber on its own
 * writer loop in one hand-over.
 */
class BoardActorJoinTest {

    private static final String BOARD = "b1";
    private static final BoardRecord RECORD = ActorTestStore.RECORD;

    @RegisterExtension
    final ActorTestStore testStore = new ActorTestStore();
    private Vertx vertx;
    private SqliteStore store;

    @BeforeEach
    void open() {
        vertx = testStore.vertx;
        store = testStore.store;
    }

    private BoardActor actor(Context context) {
        return testStore.actor(context, RECORD, a -> { });
    }

    /** An actor with {@code decorator} and {@code cards} cards on its board. */
    private BoardActor decoratedActor(CountingDecorator decorator, int cards) {
        BoardActor actor = actor(vertx.getOrCreateContext());
        actor.useDecorator(decorator);
        addCards(actor, cards);
        return actor;
    }

    private static Op card(String id) {
        return OpCodec.decode(new JsonObject().put("kind", "create").put("id", id).put("type", "card")
                .put("fields", new JsonObject().put("title", "card " + id)));
    }

    private static void addCards(BoardActor actor, int n) {
        Await.result(Future.all(submitCards(actor, "c", n)));
    }

    /** Submits cards {@code prefix}0… (cid and id alike); their acks. */
    private static List<Future<Long>> submitCards(BoardActor actor, String prefix, int n) {
        List<Future<Long>> acks = new ArrayList<>();
        for (int i = 0; i < n; i++) acks.add(actor.submit(USER, prefix + i, card(prefix + i), null));
        return acks;
    }

    /** Frames a subscriber received, parsed; optionally written by a given loop. */
    private static final class Recorder extends FakeSubscriber {
        final List<JsonObject> frames = new CopyOnWriteArrayList<>();
        final List<String> problems = new CopyOnWriteArrayList<>();
        final AtomicInteger handOvers = new AtomicInteger();

        Recorder(String id, EventExecutor loop) {
            super(id, loop);
        }

        @Override
        public void deliver(byte[] utf8Json) {
            frames.add(new JsonObject(new String(utf8Json, StandardCharsets.UTF_8)));
        }

        @Override
        public void deliverAll(List<byte[]> batch) {
            if (loop != null && !loop.inEventLoop()) problems.add("batch written on " + Thread.currentThread().getName());
            handOvers.incrementAndGet();
            batch.forEach(this::deliver);
        }

        JsonObject joined() {
            return frames.stream().filter(f -> "joined".equals(f.getString("type"))).findFirst().orElseThrow();
        }

        /** Seqs of the op frames after the joined frame. */
        List<Long> opSeqs() {
            List<Long> seqs = new ArrayList<>();
            for (JsonObject f : frames) if ("op".equals(f.getString("type"))) seqs.add(f.getLong("seq"));
            return seqs;
        }
    }

    /** Adds {@code derived: revision} to every item and counts how often it ran. */
    private static class CountingDecorator implements SnapshotDecorator {
        final AtomicInteger decorations = new AtomicInteger();
        final AtomicLong revision = new AtomicLong(1);

        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public void decorate(String boardId, Map<String, Object> items) {
            threads.add(Thread.currentThread().getName());
            decorations.incrementAndGet();
            for (Object item : items.values()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) item;
                m.put("derived", revision.get());
            }
        }

        @Override
        public long revision(String boardId) {
            return revision.get();
        }

        @Override
        public boolean decorates(String boardId, Item item) {
            return true;
        }
    }

    /** A {@link CountingDecorator} that holds each decoration (on its worker) until released. */
    private static final class HeldDecorator extends CountingDecorator {
        final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

        @Override
        public void decorate(String boardId, Map<String, Object> items) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            super.decorate(boardId, items);
        }
    }

    @Test
    void aSnapshotJoinContinuesFromItsEncodedVersionWhenMoreOpsThanTheRecentLogLandMeanwhile() throws Exception {
        HeldDecorator decorator = new HeldDecorator();
        BoardActor actor = decoratedActor(decorator, 3);
        Recorder r = new Recorder("s1", null);
        Future<Void> joined = actor.join(r, null);
        decorator.entered.await();
        int landed = BoardActor.RECENT_WINDOW + 50;
        Await.result(Future.all(submitCards(actor, "late", landed)));
        decorator.release.countDown();
        Await.result(joined);

        // Joined at the version it encoded, once; every op since follows it, none missing.
        assertEquals(1, decorator.decorations.get());
        assertEquals(3L, r.joined().getLong("version"));
        Await.until("the ops after the join", () -> r.opSeqs().size() >= landed, 10);
        assertEquals(LongStream.rangeClosed(4, 3 + landed).boxed().toList(), r.opSeqs());
    }

    @Test
    void joinsArrivingWhileASnapshotIsEncodedShareThatEncoding() throws Exception {
        HeldDecorator decorator = new HeldDecorator();
        BoardActor actor = decoratedActor(decorator, 5);
        Recorder first = new Recorder("s1", null);
        Recorder second = new Recorder("s2", null);
        Future<Void> firstJoined = actor.join(first, null);
        decorator.entered.await();
        Future<Void> secondJoined = actor.join(second, null);
        Await.result(actor.read(BoardState::version)); // the second join has reached the actor
        decorator.release.countDown();
        Await.result(Future.all(firstJoined, secondJoined));

        assertEquals(1, decorator.decorations.get());
        assertEquals(first.joined().getJsonObject("snapshot"), second.joined().getJsonObject("snapshot"));
    }

    @Test
    void onlyTheItemsTheDecoratorPicksAreBuiltAsMapsAndDecorated() {
        List<String> handed = new CopyOnWriteArrayList<>();
        SnapshotDecorator onlyC1 = new SnapshotDecorator() {
            @Override
            public void decorate(String boardId, Map<String, Object> items) {
                handed.addAll(items.keySet());
                for (Object item : items.values()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) item;
                    m.put("derived", true);
                }
            }

            @Override
            public boolean decorates(String boardId, Item item) {
                return item.id().equals("c1");
            }
        };
        BoardActor actor = actor(vertx.getOrCreateContext());
        actor.useDecorator(onlyC1);
        addCards(actor, 3);
        Recorder r = new Recorder("s1", null);
        Await.result(actor.join(r, null));

        JsonObject items = r.joined().getJsonObject("snapshot").getJsonObject("items");
        assertEquals(List.of("c1"), handed);
        assertEquals(List.of("c0", "c1", "c2"), List.copyOf(items.fieldNames()));
        assertEquals(true, items.getJsonObject("c1").getBoolean("derived"));
        assertTrue(!items.getJsonObject("c0").containsKey("derived") && !items.getJsonObject("c2").containsKey("derived"));
        assertEquals("card c0", items.getJsonObject("c0").getJsonObject("fields").getString("title"));
    }

    /** Runs offloaded work on a worker once the test lets it go ({@link #mayGo}); counts what it was given. */
    private final class HeldOffload implements BoardActor.Offload {
        final AtomicInteger given = new AtomicInteger();
        final Promise<Void> mayGo = Promise.promise();

        @Override
        public <T> Future<T> run(java.util.concurrent.Callable<T> work) {
            given.incrementAndGet();
            return mayGo.future().compose(v -> vertx.executeBlocking(work, false));
        }
    }

    @Test
    void aJoinManyOpsBehindIsEncodedOffTheLoopWhileTheBoardGoesOnCommitting() {
        BoardActor actor = actor(vertx.getOrCreateContext());
        int behind = BoardActor.INLINE_CATCH_UP + 100;
        addCards(actor, behind);
        HeldOffload offload = new HeldOffload();
        actor.offloadWith(offload);
        Recorder rejoining = new Recorder("s1", null);
        Future<Void> joined = actor.join(rejoining, 0L);
        Await.until("the catch-up handed to a worker", () -> offload.given.get() == 1, 10);
        // The loop is free meanwhile: these commit and are acknowledged before the catch-up is built.
        Await.result(Future.all(submitCards(actor, "late", 30)));
        assertTrue(!joined.isComplete(), "the join waits for its encoded catch-up");
        offload.mayGo.complete();
        Await.result(joined);

        // The ops form up to the version it encoded; the ops committed meanwhile follow it.
        JsonObject frame = rejoining.joined();
        assertEquals((long) behind, frame.getLong("version"));
        assertEquals(behind, frame.getJsonArray("ops").size());
        assertEquals(LongStream.rangeClosed(behind + 1, behind + 30).boxed().toList(), rejoining.opSeqs());
    }

    @Test
    void manyOpsThatLandWhileASnapshotIsEncodedAreFramedOffTheLoop() throws Exception {
        HeldDecorator decorator = new HeldDecorator();
        BoardActor actor = decoratedActor(decorator, 3);
        HeldOffload offload = new HeldOffload();
        offload.mayGo.complete();
        actor.offloadWith(offload);
        Recorder r = new Recorder("s1", null);
        Future<Void> joined = actor.join(r, null);
        decorator.entered.await();
        int landed = BoardActor.INLINE_CATCH_UP + 50;
        Await.result(Future.all(submitCards(actor, "late", landed)));
        decorator.release.countDown();
        Await.result(joined);

        assertEquals(2, offload.given.get(), "the items, then the frames of the ops after them");
        assertEquals(3L, r.joined().getLong("version"));
        assertEquals(LongStream.rangeClosed(4, 3 + landed).boxed().toList(), r.opSeqs());
    }

    @Test
    void aBoardLoadedWithLogOpsBeyondItsStateServesOnlyTheOpsItsStateHolds() {
        // In a cluster the log is read after the state: another node may have appended meanwhile.
        BoardState state = new BoardState(BOARD);
        state.apply(card("a"), 1);
        List<LoggedOp> log = List.of(
                new LoggedOp(1, OpCodec.encode(card("a")).encode(), USER.userId(), "a", 1),
                new LoggedOp(2, OpCodec.encode(card("b")).encode(), USER.userId(), "b", 2));
        BoardActor actor = testStore.loadedActor(vertx.getOrCreateContext(), RECORD, state, log);
        Recorder rejoining = new Recorder("s1", null);

        Await.result(actor.join(rejoining, 0L));

        assertEquals(1, rejoining.joined().getLong("version"));
        assertEquals(List.of(1L), rejoining.joined().getJsonArray("ops").stream()
                .map(o -> ((JsonObject) o).getLong("seq")).toList());
    }

    @Test
    void aFewOpsAfterAJoinAreFramedOnTheLoopWithoutAWorker() throws Exception {
        BoardActor actor = actor(vertx.getOrCreateContext());
        addCards(actor, 40);
        HeldOffload offload = new HeldOffload();
        actor.offloadWith(offload);
        Recorder rejoining = new Recorder("s1", null);
        Await.result(actor.join(rejoining, 10L));

        assertEquals(0, offload.given.get());
        assertEquals(30, rejoining.joined().getJsonArray("ops").size());
    }

    @Test
    void aJoinSinceOlderThanTheRecentLogIsAnsweredWithTheMissedOpsFromTheStore() {
        BoardActor actor = actor(vertx.getOrCreateContext());
        int n = BoardActor.RECENT_WINDOW + 40;
        addCards(actor, n);
        Recorder rejoining = new Recorder("s1", null);
        Await.result(actor.join(rejoining, 10L));

        // The stored ops in the joined frame, at the last of them; the recent log's after it as op frames.
        JsonObject joined = rejoining.joined();
        assertTrue(!joined.containsKey("snapshot"), "ops form, not a snapshot");
        var ops = joined.getJsonArray("ops");
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            JsonObject entry = ops.getJsonObject(i);
            long seq = entry.getLong("seq");
            seqs.add(seq);
            assertEquals("c" + (seq - 1), entry.getString("cid"));
            assertEquals("c" + (seq - 1), entry.getJsonObject("op").getString("id"));
            assertEquals(USER.userId(), entry.getString("by"));
        }
        assertEquals(seqs.get(seqs.size() - 1), joined.getLong("version"));
        seqs.addAll(rejoining.opSeqs());
        assertEquals(LongStream.rangeClosed(11, n).boxed().toList(), seqs);
    }

    @Test
    void aJoinFromTheStoredLogContinuesWhenMoreOpsThanTheRecentLogLandWhileItIsRead() {
        // The store's reads of the log wait for the test; everything else goes straight through.
        Promise<Void> readsMayGo = Promise.promise();
        AtomicInteger reads = new AtomicInteger();
        Store held = (Store) java.lang.reflect.Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[]{Store.class},
                (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(store, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (!method.getName().equals("readOps")) return result;
                    reads.incrementAndGet();
                    return readsMayGo.future().compose(v -> (Future<?>) result);
                });
        BoardActor actor = testStore.actor(vertx.getOrCreateContext(), RECORD, a -> { }, held);
        int before = BoardActor.RECENT_WINDOW + 40;
        addCards(actor, before);
        Recorder rejoining = new Recorder("s1", null);
        Future<Void> joined = actor.join(rejoining, 10L);
        Await.until("the read of the stored ops", () -> reads.get() == 1, 10);
        int landed = BoardActor.RECENT_WINDOW + 50;
        Await.result(Future.all(submitCards(actor, "late", landed)));
        readsMayGo.complete();
        Await.result(joined);

        // Still the ops form, at the last stored op read; every op after it follows, none missing.
        assertTrue(!rejoining.joined().containsKey("snapshot"), "ops form, not a snapshot");
        assertEquals(40L, rejoining.joined().getLong("version"));
        int total = before + landed;
        Await.until("the ops after the join", () -> rejoining.opSeqs().size() >= total - 40, 10);
        assertEquals(LongStream.rangeClosed(41, total).boxed().toList(), rejoining.opSeqs());
    }

    @Test
    void aJoinSinceFurtherBackThanTheBoardHasItemsGetsTheSnapshot() {
        BoardActor actor = actor(vertx.getOrCreateContext());
        addCards(actor, BoardActor.RECENT_WINDOW + 40);
        // Deleting most cards leaves a board far smaller than the ops a replay would carry.
        List<Future<Long>> acks = new ArrayList<>();
        for (int i = 0; i < BoardActor.RECENT_WINDOW + 30; i++) {
            acks.add(actor.submit(USER, "d" + i, OpCodec.decode(new JsonObject().put("kind", "delete").put("id", "c" + i)), null));
        }
        Await.result(Future.all(acks));
        Recorder rejoining = new Recorder("s1", null);
        Await.result(actor.join(rejoining, 10L));

        assertEquals(10, rejoining.joined().getJsonObject("snapshot").getJsonObject("items").size());
    }

    @Test
    void aSnapshotJoinBuildsAndDecoratesTheItemsOffTheBoardsEventLoop() {
        CountingDecorator decorator = new CountingDecorator();
        BoardActor actor = decoratedActor(decorator, 3);
        Await.result(actor.join(new Recorder("s1", null), null));

        assertEquals(1, decorator.threads.size());
        assertTrue(decorator.threads.get(0).startsWith("vert.x-worker-thread"), decorator.threads.toString());
    }

    @Test
    void aSecondJoinAtTheSameVersionAndRevisionReusesTheEncodedItems() {
        CountingDecorator decorator = new CountingDecorator();
        BoardActor actor = decoratedActor(decorator, 20);
        Recorder first = new Recorder("s1", null);
        Recorder second = new Recorder("s2", null);
        Await.result(actor.join(first, null));
        Await.result(actor.join(second, null));

        assertEquals(1, decorator.decorations.get());
        assertEquals(first.joined().getJsonObject("snapshot"), second.joined().getJsonObject("snapshot"));
        assertEquals(20, second.joined().getJsonObject("snapshot").getJsonObject("items").size());
    }

    @Test
    void aChangedRevisionOfDerivedMembersIsEncodedAfresh() {
        CountingDecorator decorator = new CountingDecorator();
        BoardActor actor = decoratedActor(decorator, 3);
        Recorder first = new Recorder("s1", null);
        Await.result(actor.join(first, null));
        decorator.revision.set(2);
        Recorder second = new Recorder("s2", null);
        Await.result(actor.join(second, null));

        assertEquals(2, decorator.decorations.get());
        assertEquals(2L, second.joined().getJsonObject("snapshot").getJsonObject("items").getJsonObject("c0").getLong("derived"));
    }

    @Test
    void aBoardAtItsStoredSnapshotVersionIsServedTheStoredItemsWhenNothingIsDerived() {
        BoardActor actor = actor(vertx.getOrCreateContext());
        addCards(actor, 2);
        // What a load hands over: the stored JSON at the board's version (here marked, to see it is the one served).
        String stored = "{\"c0\":{\"id\":\"c0\",\"type\":\"card\",\"stored\":true}}";
        actor.adoptStoredItems(2, stored.getBytes(StandardCharsets.UTF_8));
        Recorder r = new Recorder("s1", null);
        Await.result(actor.join(r, null));

        assertEquals(new JsonObject(stored), r.joined().getJsonObject("snapshot").getJsonObject("items"));
    }

    @Test
    void theStoredItemsAreNotServedWhenTheDecoratorAddsToThem() {
        BoardActor actor = actor(vertx.getOrCreateContext());
        actor.useDecorator(new CountingDecorator());
        addCards(actor, 2);
        actor.adoptStoredItems(2, "{\"c0\":{\"stored\":true}}".getBytes(StandardCharsets.UTF_8));
        Recorder r = new Recorder("s1", null);
        Await.result(actor.join(r, null));

        JsonObject items = r.joined().getJsonObject("snapshot").getJsonObject("items");
        assertEquals(2, items.size());
        assertEquals(1L, items.getJsonObject("c1").getLong("derived"));
    }

    @RepeatedTest(3)
    void opsCommittedWhileABigSnapshotIsEncodedFollowTheJoinedFrameWithoutAGap() throws Exception {
        BoardActor actor = actor(vertx.getOrCreateContext());
        addCards(actor, 20_000);
        Thread feeder = new Thread(() -> {
            for (int i = 0; i < 300; i++) actor.submit(USER, "late" + i, card("late" + i), null);
        });
        Recorder r = new Recorder("s1", null);
        feeder.start();
        Future<Void> joined = actor.join(r, null);
        feeder.join();
        Await.result(joined);
        Await.result(actor.submit(USER, "last", card("last"), null));
        long last = Await.result(actor.read(BoardState::version));

        long version = r.joined().getLong("version");
        assertEquals(version, r.joined().getJsonObject("snapshot").getJsonObject("items").size());
        List<Long> expected = new ArrayList<>();
        for (long seq = version + 1; seq <= last; seq++) expected.add(seq);
        Await.until("the ops after the join", () -> r.opSeqs().size() >= expected.size(), 10);
        assertEquals(expected, r.opSeqs());
    }

    @Test
    void aCommittedBatchReachesEachSubscriberOnItsOwnWriterLoopInOneHandOver() {
        ContextInternal actorContext = (ContextInternal) vertx.getOrCreateContext();
        EventExecutor another = null;
        for (EventExecutor loop : ((io.vertx.core.internal.VertxInternal) vertx).nettyEventLoopGroup()) {
            if (loop != actorContext.nettyEventLoop()) another = loop;
        }
        assertNotSame(null, another);
        BoardActor actor = actor(actorContext);
        Recorder sameLoop = new Recorder("same", actorContext.nettyEventLoop());
        Recorder otherLoop = new Recorder("other", another);
        Await.result(actor.join(sameLoop, null));
        Await.result(actor.join(otherLoop, null));
        int handOversBefore = otherLoop.handOvers.get();

        // Submitted in one turn of the actor's loop: one group commit, one batch.
        List<Future<Long>> acks = new ArrayList<>();
        actorContext.runOnContext(v -> {
            for (int i = 0; i < 5; i++) acks.add(actor.submit(USER, "b" + i, card("b" + i), null));
        });
        Await.until("the submits", () -> acks.size() == 5, 10);
        Await.result(Future.all(acks));
        Await.until("both batches", () -> otherLoop.opSeqs().size() == 5 && sameLoop.opSeqs().size() == 5, 10);

        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), otherLoop.opSeqs());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), sameLoop.opSeqs());
        assertEquals(1, otherLoop.handOvers.get() - handOversBefore);
        assertTrue(otherLoop.problems.isEmpty(), otherLoop.problems.toString());
        assertTrue(sameLoop.problems.isEmpty(), sameLoop.problems.toString());
    }
}

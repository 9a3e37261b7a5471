package org.linkboard.server.board;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.auth.AccessPolicy;
import org.linkboard.server.auth.UnitDirectory;
import org.linkboard.server.cluster.ClusterBus;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.LoggedOp;
import org.linkboard.server.store.embedded.SqliteStore;
import org.linkboard.server.testing.Await;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.linkboard.server.board.FakeSubscriber.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster mode of the board actor without Redis: two actors ("nodes") over one store that
 * refuses a seq that is not the next (the compare-and-append), with announcements delivered late,
 * out of order, twice or not at all. Whatever the interleaving: each request gets one outcome, the
 * same cid sent to both nodes gets one seq, ops racing for one item id are judged on the state
 * they land on, both replicas equal the log, and every subscriber sees 1..N in order.
 */
class BoardActorClusterTest {

    private static final String BOARD = "b1";

    @RegisterExtension
    final ActorTestStore testStore = new ActorTestStore();
    private Vertx vertx;
    private SqliteStore store;

    @BeforeEach
    void open() {
        vertx = testStore.vertx;
        store = testStore.store;
    }

    /** A cluster bus that carries nothing: announcements are delivered by the test itself. */
    private static ClusterBus bus(String node) {
        return new ClusterBus() {
            @Override
            public boolean clustered() {
                return true;
            }

            @Override
            public String nodeId() {
                return node;
            }

            @Override
            public boolean connected() {
                return true;
            }

            @Override
            public void listener(Listener listener) {
            }

            @Override
            public void publish(String topic, JsonObject message) {
            }

            @Override
            public void subscribe(String topic, Handler<JsonObject> handler) {
            }

            @Override
            public Future<Void> start() {
                return Future.succeededFuture();
            }

            @Override
            public Future<Void> close() {
                return Future.succeededFuture();
            }
        };
    }

    private BoardActor actor(Context context, String node) {
        return new BoardActor(context, store, vertx.eventBus(), new AccessPolicy(new UnitDirectory()), ItemTypes.builtIn(),
                OpGate.NONE, 1000, new BoardRecord(BOARD, "B", "university", 1, 0, false), new BoardState(BOARD), 0,
                List.of(), a -> { }, BoardObserver.NONE, bus(node));
    }

    /** Records the frames one actor writes; checks they come in strictly increasing seq order. */
    private static final class Recorder extends FakeSubscriber {
        final List<Long> seqs = new CopyOnWriteArrayList<>();
        final List<String> problems = new CopyOnWriteArrayList<>();

        Recorder(String id) {
            super(id);
        }

        @Override
        public void deliver(byte[] utf8Json) {
            JsonObject m = new JsonObject(new String(utf8Json, java.nio.charset.StandardCharsets.UTF_8));
            if (!"op".equals(m.getString("type"))) return;
            long seq = m.getLong("seq");
            long last = seqs.isEmpty() ? 0 : seqs.get(seqs.size() - 1);
            if (seq != last + 1) problems.add("seq " + seq + " after " + last);
            seqs.add(seq);
        }
    }

    private static Op op(JsonObject json) {
        return OpCodec.decode(json);
    }

    @RepeatedTest(5)
    void twoNodesOverOneCompareAndAppendLogAgreeWhateverTheAnnouncementsDo() {
        Context ca = vertx.getOrCreateContext();
        Context cb = vertx.getOrCreateContext();
        assertNotSame(ca, cb);
        BoardActor a = actor(ca, "a");
        BoardActor b = actor(cb, "b");
        Recorder ra = new Recorder("sa");
        Recorder rb = new Recorder("sb");
        Await.result(a.join(ra, null));
        Await.result(b.join(rb, null));
        Await.result(a.submit(USER, "lane", op(new JsonObject().put("kind", "create").put("id", "lane").put("type", "lane")
                .put("fields", new JsonObject().put("title", "L"))), null));

        Random random = new Random();
        // Announcements: every few ms each node hears a random, shuffled, partly duplicated,
        // partly lost selection of the recent log.
        long timer = vertx.setPeriodic(2, id -> store.readRecentOps(BOARD, 20).onSuccess(recent -> {
            for (BoardActor target : List.of(a, b)) {
                List<LoggedOp> some = new ArrayList<>();
                for (LoggedOp o : recent) if (random.nextInt(3) > 0) some.add(o);
                Collections.shuffle(some, random);
                if (!some.isEmpty()) target.remoteCommitted(some);
            }
        }));

        int perNode = 150;
        Map<String, Future<Long>> onA = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Future<Long>> onB = new java.util.concurrent.ConcurrentHashMap<>();
        // Each node gets its ops from its own thread, in bursts of random length: many small
        // commits that interleave with the other node's.
        Thread[] feeders = new Thread[2];
        for (int n = 0; n < 2; n++) {
            BoardActor target = n == 0 ? a : b;
            Map<String, Future<Long>> out = n == 0 ? onA : onB;
            String name = n == 0 ? "a" : "b";
            Random own = new Random(random.nextLong());
            feeders[n] = new Thread(() -> {
                Future<Long> last = Future.succeededFuture();
                for (int i = 0; i < perNode; i++) {
                    last = target.submit(USER, name + i, randomOp(own, name + i), null);
                    out.put(name + i, last);
                    if (i % 10 == 0) {
                        // The same op (same user, same cid) sent to both nodes.
                        out.put("both" + i, target.submit(USER, "both" + i,
                                op(new JsonObject().put("kind", "set").put("id", "lane").put("field", "title").put("value", "t" + i)), null));
                    }
                    if (i % 7 == 0) {
                        // Different cids creating the same item id on both nodes: exactly one wins.
                        out.put("dup" + name.toUpperCase() + i, target.submit(USER, "dup" + name.toUpperCase() + i,
                                op(new JsonObject().put("kind", "create").put("id", "dup" + i).put("type", "lane")
                                        .put("fields", new JsonObject().put("title", "D"))), null));
                    }
                    if (own.nextInt(4) == 0) {
                        Await.result(last.transform(ar -> Future.succeededFuture()), 60);
                    }
                }
            });
            feeders[n].start();
        }
        for (Thread t : feeders) {
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        Map<String, Long> ackedA;
        Map<String, Long> ackedB;
        try {
            ackedA = outcomes(onA);
            ackedB = outcomes(onB);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; a: " + Await.result(a.describe()) + "; b: " + Await.result(b.describe())
                    + "; pending a: " + onA.entrySet().stream().filter(x -> !x.getValue().isComplete()).map(Map.Entry::getKey).toList()
                    + "; pending b: " + onB.entrySet().stream().filter(x -> !x.getValue().isComplete()).map(Map.Entry::getKey).toList(), e);
        }
        vertx.cancelTimer(timer);

        long version = Await.result(store.getBoard(BOARD)).version();
        a.resync();
        b.resync();
        Await.until("node a caught up", () -> a.board().version() == version, 30);
        Await.until("node b caught up", () -> b.board().version() == version, 30);

        List<LoggedOp> log = Await.result(store.readOps(BOARD, 0, Integer.MAX_VALUE));
        Map<String, Long> logged = new HashMap<>();
        for (LoggedOp o : log) assertNull(logged.put(o.cid(), o.seq()), "cid " + o.cid() + " applied once");
        for (Map<String, Long> acked : List.of(ackedA, ackedB)) {
            acked.forEach((cid, seq) -> assertEquals(seq, logged.get(cid), cid + " acked with its logged seq"));
        }
        for (int i = 0; i < perNode; i += 10) {
            assertEquals(ackedA.get("both" + i), ackedB.get("both" + i), "one seq for cid both" + i + " on both nodes: "
                    + onA.get("both" + i) + " / " + onB.get("both" + i));
        }
        for (int i = 0; i < perNode; i += 7) {
            assertTrue(ackedA.containsKey("dupA" + i) ^ ackedB.containsKey("dupB" + i), "exactly one create of dup" + i + " wins");
        }
        BoardState replay = new BoardState(BOARD);
        for (LoggedOp o : log) replay.apply(OpCodec.decode(new JsonObject(o.opJson())), o.seq());
        Map<String, Object> expected = new JsonObject(replay.itemsToMap()).getMap();
        assertEquals(expected, Await.result(a.snapshot(new JsonObject())).getJsonObject("items").getMap(), "node a = log");
        assertEquals(expected, Await.result(b.snapshot(new JsonObject())).getJsonObject("items").getMap(), "node b = log");
        for (Recorder r : List.of(ra, rb)) {
            assertEquals(List.of(), r.problems, r.id + " saw seqs in order without gaps");
            assertEquals(version, r.seqs.size(), r.id + " saw every op");
        }
        System.out.printf("actor cluster test: version %d, lost races a=%d b=%d%n", version, a.lostRaces(), b.lostRaces());
    }

    /** cid → seq of the acked ones; a rejection must be a validation outcome, never a lost request. */
    private static Map<String, Long> outcomes(Map<String, Future<Long>> submitted) {
        Map<String, Long> acked = new HashMap<>();
        submitted.forEach((cid, f) -> {
            Future<Long> settled = f.transform(ar -> Future.succeededFuture(ar.succeeded() ? ar.result() : -1L));
            long seq = Await.result(settled, 20);
            if (seq > 0) {
                acked.put(cid, seq);
            } else {
                assertTrue(f.cause() instanceof LinkboardException le
                        && switch (le.code()) {
                            case NOT_FOUND, ID_TAKEN, VALIDATION_FAILED -> true;
                            default -> false;
                        }, cid + " rejected for a reason of its own: " + f.cause());
            }
        });
        return acked;
    }

    private static Op randomOp(Random random, String cid) {
        return switch (random.nextInt(3)) {
            case 0 -> op(new JsonObject().put("kind", "create").put("id", "i" + cid).put("type", "card").put("parent", "lane")
                    .put("fields", new JsonObject().put("title", cid)));
            case 1 -> op(new JsonObject().put("kind", "set").put("id", "lane").put("field", "title").put("value", cid));
            default -> op(new JsonObject().put("kind", "create").put("id", "x" + cid).put("type", "lane")
                    .put("fields", new JsonObject().put("title", cid)));
        };
    }
}

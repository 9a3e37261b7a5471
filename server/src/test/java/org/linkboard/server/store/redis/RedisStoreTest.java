package org.linkboard.server.store.redis;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.store.AttachmentRecord;
import org.linkboard.server.store.AuditQuery;
import org.linkboard.server.store.AuditRecord;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.StoreContractTest;
import org.linkboard.server.store.LoggedOp;
import org.linkboard.server.store.NamedVersion;
import org.linkboard.server.store.NotificationRecord;
import org.linkboard.server.store.Snapshot;
import org.linkboard.server.store.WebhookRecord;
import org.linkboard.server.store.UnitRecord;
import org.linkboard.server.store.UserRecord;
import org.linkboard.server.testing.Await;
import org.linkboard.server.testing.TestRedis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Store contract against a real Redis, mirroring SqliteStoreTest, plus what only the cluster
 * store does: cid refusal in the compare-and-append, announcements, the trimmed cid index, and two
 * stores racing for one board. Each test uses its own key prefix and deletes only its own keys.
 */
@ExtendWith(VertxExtension.class)
class RedisStoreTest extends StoreContractTest {

    private String uri;
    private String prefix;

    @BeforeEach
    void openStore(Vertx vertx) {
        uri = TestRedis.uriOrSkip();
        prefix = TestRedis.freshPrefix();
        this.vertx = vertx;
        store = new RedisStore(vertx, uri, prefix, "node-a");
        store.open().await();
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close().await();
        if (prefix != null && uri != null) TestRedis.deletePrefix(uri, prefix);
    }

    // ---- op log -----------------------------------------------------------------------------

    @Test
    void seqThatIsNotTheNextIsRejectedWithConflictNamingTheVersionAndNothingIsWritten() {
        board("b1");
        store.append("b1", List.of(op(1, "c1"), op(2, "c2"))).await();

        LinkboardException gap = failure(store.append("b1", List.of(op(4, "c4"))));
        assertEquals(ErrorCode.CONFLICT, gap.code());
        assertEquals(2L, gap.details().get("version"));
        assertEquals(ErrorCode.CONFLICT, failure(store.append("b1", List.of(op(3, "c3"), op(5, "c5")))).code());
        assertEquals(ErrorCode.CONFLICT, failure(store.append("b1", List.of(op(2, "again")))).code());

        assertEquals(List.of(op(1, "c1"), op(2, "c2")), store.readOps("b1", 0, 100).await());
        assertEquals(2, store.getBoard("b1").await().version());
        store.append("b1", List.of(op(3, "c3"))).await();
        assertEquals(3, store.getBoard("b1").await().version());
    }

    @Test
    void appendOfACidTheBoardHoldsForThatUserIsRefusedWithTheOriginalSeq() {
        board("b1");
        store.append("b1", List.of(op(1, "c1"), op(2, "c2"))).await();

        LinkboardException e = failure(store.append("b1", List.of(op(3, "c3"), op(4, "c2"))));

        assertEquals(ErrorCode.CONFLICT, e.code());
        assertEquals("duplicate-cid", e.details().get("reason"));
        assertEquals(2L, e.details().get("seq"));
        assertEquals(1, e.details().get("index"));
        assertEquals(2, store.getBoard("b1").await().version());
        // The same cid of another user is a different op.
        store.append("b1", List.of(new LoggedOp(3, "{}", "u2", "c2", 3))).await();
        assertEquals(3, store.getBoard("b1").await().version());
    }

    @Test
    void theCidIndexKeepsTheNewestCidsAndForgetsOlderOnes() {
        board("b1");
        int total = RedisStore.CID_KEEP + 1_500;
        for (int from = 1; from <= total; from += 1000) {
            List<LoggedOp> batch = new ArrayList<>();
            for (long seq = from; seq < from + 1000 && seq <= total; seq++) batch.add(op(seq, "c" + seq));
            store.append("b1", batch).await();
        }

        assertNull(store.findByCid("b1", "u1", "c1").await());
        assertNull(store.findByCid("b1", "u1", "c1500").await());
        assertEquals(1501, store.findByCid("b1", "u1", "c1501").await().seq());
        assertEquals(total, store.findByCid("b1", "u1", "c" + total).await().seq());
        assertEquals(RedisStore.CID_KEEP, redisLong(Request.cmd(Command.HLEN).arg(redis().keys().cids("b1"))));
        // A forgotten cid may be appended again: it is a new op now.
        store.append("b1", List.of(op(total + 1, "c1"))).await();
    }

    @Test
    void everyAppendIsAnnouncedOnTheClusterChannelWithItsNode() {
        board("b1");
        Redis subscriberClient = Redis.createClient(vertx, uri);
        RedisConnection sub = subscriberClient.connect().await();
        Promise<String> message = Promise.promise();
        sub.handler(r -> {
            if (r.size() >= 3 && "message".equals(r.get(0).toString())) message.tryComplete(r.get(2).toString());
        });
        sub.send(Request.cmd(Command.SUBSCRIBE).arg(redis().keys().clusterChannel())).await();

        store.append("b1", List.of(op(1, "c1"), new LoggedOp(2, "{\"a\":\"x\\ny\"}", "u1", null, 9))).await();

        OpAnnouncement a = OpAnnouncement.decode(new JsonObject(message.future().await()));
        assertEquals("node-a", a.node());
        assertEquals("b1", a.boardId());
        assertEquals(List.of(op(1, "c1"), new LoggedOp(2, "{\"a\":\"x\\ny\"}", "u1", null, 9)), a.ops());
        sub.close().await();
        subscriberClient.close().await();
    }

    @Test
    void opsKeepTheirJsonTextAndAnyCidExactly() {
        board("b1");
        List<LoggedOp> odd = List.of(
                new LoggedOp(1, "{\"kind\":\"set\",\"id\":\"i\",\"field\":\"t\",\"value\":\"a\\nb \\\"q\\\" é\"}", "u1", "line\nbreak", 1),
                new LoggedOp(2, "{\"kind\":\"delete\",\"id\":\"i\"}", "u1", null, 2),
                new LoggedOp(3, "{\"n\":1.50}", "system", "ünï\tcode", 3));
        store.append("b1", odd).await();

        assertEquals(odd, store.readOps("b1", 0, 10).await());
        assertEquals(odd.get(0), store.findByCid("b1", "u1", "line\nbreak").await());
    }

    @Test
    void newestSnapshotWinsWhateverTheOrderOfSaves() {
        board("b1");
        assertNull(store.latestSnapshot("b1").await());
        store.saveSnapshot("b1", new Snapshot(5, "{\"v\":5}")).await();
        store.saveSnapshot("b1", new Snapshot(10, "{\"v\":10}")).await();
        store.saveSnapshot("b1", new Snapshot(7, "{\"v\":7}")).await();

        assertEquals(new Snapshot(10, "{\"v\":10}"), store.latestSnapshot("b1").await());
        store.saveSnapshot("b1", new Snapshot(15, "{\"v\":15}")).await();
        assertEquals(new Snapshot(15, "{\"v\":15}"), store.latestSnapshot("b1").await());
    }

    // ---- boards, units, users ---------------------------------------------------------------

    // ---- modules and meta -------------------------------------------------------------------

    // ---- audit, webhooks, named versions, older snapshots -------------------------------------

    @Test
    void auditRecordsGetIncreasingIdsAndQueriesFilterNewestFirst() {
        store.appendAudit(new AuditRecord(0, 100, "u1", "Alice", "user.create", "u2", "{\"roles\":[\"editor\"]}")).await();
        store.appendAudit(new AuditRecord(0, 200, "u2", "Bob", "board.archive", "b1", null)).await();
        store.appendAudit(new AuditRecord(0, 300, "u1", "Alice", "board.archive", "b2", null)).await();

        List<AuditRecord> all = store.queryAudit(new AuditQuery(null, null, null, null, 10)).await();
        assertEquals(List.of(300L, 200L, 100L), all.stream().map(AuditRecord::at).toList());
        assertTrue(all.get(0).id() > all.get(1).id() && all.get(1).id() > all.get(2).id());
        assertEquals(new AuditRecord(all.get(2).id(), 100, "u1", "Alice", "user.create", "u2", "{\"roles\":[\"editor\"]}"), all.get(2));
        assertEquals(List.of("b2"), store.queryAudit(new AuditQuery("u1", "board.archive", null, null, 10)).await()
                .stream().map(AuditRecord::target).toList());
        assertEquals(List.of(200L), store.queryAudit(new AuditQuery(null, null, 150L, 300L, 10)).await()
                .stream().map(AuditRecord::at).toList());
        assertEquals(1, store.queryAudit(new AuditQuery(null, null, null, null, 1)).await().size());
    }

    @Test
    void webhooksAreSavedListedInCreationOrderMovedOnAndDeleted() {
        WebhookRecord second = new WebhookRecord("h2", "http://x/2", "s2", "b1", List.of("op"), "u1", 20, 0);
        WebhookRecord first = new WebhookRecord("h1", "http://x/1", "s1", "b1", List.of("op", "item.created"), "u1", 10, 0);
        store.saveWebhook(second).await();
        store.saveWebhook(first).await();
        store.setWebhookCursor("h1", 42).await();
        store.setWebhookCursor("gone", 7).await();

        assertEquals(List.of(first.withCursor(42), second), store.listWebhooks().await());
        assertTrue(store.deleteWebhook("h1").await());
        assertFalse(store.deleteWebhook("h1").await());
        assertEquals(List.of(second), store.listWebhooks().await());
    }

    @Test
    void namedVersionsComeBackInVersionOrder() {
        board("b1");
        store.saveNamedVersion(new NamedVersion("b1", "final", 9, "u1", 30)).await();
        store.saveNamedVersion(new NamedVersion("b1", "draft", 3, "u1", 10)).await();
        store.saveNamedVersion(new NamedVersion("b1", "draft again", 3, "u2", 20)).await();

        assertEquals(List.of(new NamedVersion("b1", "draft", 3, "u1", 10), new NamedVersion("b1", "draft again", 3, "u2", 20),
                new NamedVersion("b1", "final", 9, "u1", 30)), store.namedVersions("b1").await());
        assertEquals(List.of(), store.namedVersions("b2").await());
    }

    @Test
    void snapshotAtOrBeforeAnswersTheKeptSnapshotWhenItIsOldEnough() {
        board("b1");
        assertNull(store.snapshotAtOrBefore("b1", 100).await());
        store.saveSnapshot("b1", new Snapshot(10, "{}")).await();

        assertEquals(new Snapshot(10, "{}"), store.snapshotAtOrBefore("b1", 10).await());
        assertEquals(new Snapshot(10, "{}"), store.snapshotAtOrBefore("b1", 50).await());
        assertNull(store.snapshotAtOrBefore("b1", 9).await());
    }

    // ---- collaboration ------------------------------------------------------------------------

    @Test
    void notificationsListNewestFirstFilterAndGetMarkedRead() {
        NotificationRecord n1 = new NotificationRecord("n1", "u1", "mention", "b1", "i1", "u2", "hi @alice", 100, false);
        NotificationRecord n2 = new NotificationRecord("n2", "u1", "assigned", "b1", "i2", "u2", "yours", 200, false);
        NotificationRecord n3 = new NotificationRecord("n3", "u1", "due", "b1", "i3", null, "due today", 300, true);
        NotificationRecord other = new NotificationRecord("n4", "u2", "mention", "b1", "i1", "u1", "hey", 250, false);
        store.addNotifications(List.of(n1, n2, n3, other)).await();
        store.addNotifications(List.of(new NotificationRecord("n1", "u1", "mention", "b1", "i1", "u2", "again", 999, false))).await();

        assertEquals(List.of(n3, n2, n1), store.listNotifications("u1", false, 0, 10).await());
        assertEquals(List.of(n2, n1), store.listNotifications("u1", true, 0, 10).await());
        assertEquals(List.of(n3, n2), store.listNotifications("u1", false, 200, 10).await());
        assertEquals(List.of(n3), store.listNotifications("u1", false, 0, 1).await());

        assertTrue(store.markNotificationRead("u1", "n2").await());
        assertFalse(store.markNotificationRead("u1", "n4").await());
        assertEquals(List.of(n1), store.listNotifications("u1", true, 0, 10).await());
        assertEquals(1, store.markAllNotificationsRead("u1").await());
        assertEquals(List.of(), store.listNotifications("u1", true, 0, 10).await());
        assertEquals(List.of(other), store.listNotifications("u2", true, 0, 10).await());
    }

    @Test
    void watchesClaimsAndUserSettings() {
        store.setWatch("b1", "i1", "u2", true).await();
        store.setWatch("b1", "i1", "u1", true).await();
        store.setWatch("b1", "i2", "u3", true).await();
        store.setWatch("b1", "i1", "u2", false).await();
        assertEquals(List.of("u1"), store.watchers("b1", "i1").await());
        assertEquals(List.of("u3"), store.watchers("b1", "i2").await());

        assertTrue(store.claimReminder("due:b1:i1:2026-11-30").await());
        assertFalse(store.claimReminder("due:b1:i1:2026-11-30").await());

        assertNull(store.userSettings("u1").await());
        store.saveUserSettings("u1", "{\"email\":false}").await();
        assertEquals("{\"email\":false}", store.userSettings("u1").await());
    }

    @Test
    void attachmentsRespectTheBoardLimitAndTheirRemovalIsIndexed() {
        AttachmentRecord a1 = new AttachmentRecord("a1", "b1", "i1", "plan.pdf", "application/pdf", 600, "u1", 10, null);
        AttachmentRecord a2 = new AttachmentRecord("a2", "b1", "i1", "photo.png", "image/png", 300, "u1", 20, null);
        AttachmentRecord big = new AttachmentRecord("a3", "b1", "i2", "big.zip", "application/zip", 200, "u1", 30, null);
        assertTrue(store.addAttachment(a1, 1000).await());
        assertTrue(store.addAttachment(a2, 1000).await());
        assertFalse(store.addAttachment(big, 1000).await());
        assertNull(store.getAttachment("b1", "a3").await());

        assertEquals(List.of(a1, a2), store.listAttachments("b1", "i1").await());
        assertEquals(a2, store.getAttachment("b1", "a2").await());

        store.markAttachmentsRemoved("b1", List.of("i1"), 500L).await();
        AttachmentRecord removed1 = new AttachmentRecord("a1", "b1", "i1", "plan.pdf", "application/pdf", 600, "u1", 10, 500L);
        assertEquals(removed1, store.getAttachment("b1", "a1").await());
        assertEquals(2, store.attachmentsRemovedBefore(501, 10).await().size());
        assertEquals(List.of(), store.attachmentsRemovedBefore(500, 10).await());
        store.markAttachmentsRemoved("b1", List.of("i1"), null).await();
        assertEquals(List.of(), store.attachmentsRemovedBefore(10_000, 10).await());
        assertEquals(a1, store.getAttachment("b1", "a1").await());

        assertTrue(store.deleteAttachment("b1", "a1").await());
        assertFalse(store.deleteAttachment("b1", "a1").await());
        // The freed bytes count again.
        assertTrue(store.addAttachment(big, 1000).await());
    }

    @Test
    void anotherStoreOnTheSamePrefixSeesEverything() {
        board("b1");
        store.append("b1", List.of(op(1, "c1"), op(2, "c2"))).await();
        store.saveSnapshot("b1", new Snapshot(2, "{\"x\":{}}")).await();
        store.createUnit(new UnitRecord("university", "University", "university", null)).await();
        store.createUser(user("u1", "alice")).await();
        store.setModuleEnabled("university", "okr", true).await();
        store.putMetaIfAbsent("jwt", "secret").await();

        RedisStore other = new RedisStore(vertx, uri, prefix, "node-b");
        other.open().await();
        try {
            assertEquals(List.of(op(1, "c1"), op(2, "c2")), other.readOps("b1", 0, 10).await());
            assertEquals(2, other.getBoard("b1").await().version());
            assertEquals(new Snapshot(2, "{\"x\":{}}"), other.latestSnapshot("b1").await());
            assertEquals(1, other.listUnits().await().size());
            assertEquals(user("u1", "alice"), other.getUser("u1").await());
            assertEquals(Map.of("university", Map.of("okr", true)), other.moduleEnablement().await());
            assertEquals("secret", other.getMeta("jwt").await());
            assertEquals(ErrorCode.CONFLICT, failure(other.append("b1", List.of(op(1, "again")))).code());
            other.append("b1", List.of(op(3, "c3"))).await();
            assertEquals(3, store.getBoard("b1").await().version());
        } finally {
            other.close().await();
        }
    }

    @Test
    void anotherPrefixSeesNothing() {
        board("b1");
        String otherPrefix = TestRedis.freshPrefix();
        RedisStore other = new RedisStore(vertx, uri, otherPrefix, "node-b");
        other.open().await();
        try {
            assertNull(other.getBoard("b1").await());
            assertEquals(List.of(), other.listBoards(true).await());
        } finally {
            other.close().await();
            TestRedis.deletePrefix(uri, otherPrefix);
        }
    }

    @Test
    void unreachableRedisAnswersUnavailable() {
        RedisStore nowhere = new RedisStore(vertx, "redis://127.0.0.1:1", prefix, "node-x");
        assertEquals(ErrorCode.UNAVAILABLE, failure(nowhere.open()).code());
        assertEquals(ErrorCode.UNAVAILABLE, failure(nowhere.ping()).code());
        assertEquals(ErrorCode.UNAVAILABLE, failure(nowhere.append("b1", List.of(op(1, "c1")))).code());
        assertEquals(ErrorCode.UNAVAILABLE, failure(nowhere.getBoard("b1")).code());
        nowhere.close().await();
    }

    /**
     * Two stores (two nodes) append to one board as fast as they can, each reading the version it
     * must follow and retrying on CONFLICT: the log ends as one gap-free seq order holding every
     * op exactly once. Logs the rate and the conflicts (the two-node compare-and-append cost).
     */
    @Test
    void twoNodesRacingForOneBoardGetOneGapFreeOrder() {
        board("b1");
        RedisStore other = new RedisStore(vertx, uri, prefix, "node-b");
        other.open().await();
        int perNode = 1_000;
        AtomicInteger conflicts = new AtomicInteger();
        long start = System.nanoTime();
        try {
            Future<Void> a = racer(redis(), "a", perNode, conflicts);
            Future<Void> b = racer(other, "b", perNode, conflicts);
            Future.all(a, b).await();
        } finally {
            other.close().await();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<LoggedOp> log = store.readOps("b1", 0, Integer.MAX_VALUE).await();
        System.out.printf("RedisStore: 2 nodes x %d single-op compare-and-appends to one board in %.3f s = %.0f appends/s, "
                + "%d conflicts%n", perNode, seconds, 2 * perNode / seconds, conflicts.get());

        assertEquals(LongStream.rangeClosed(1, 2L * perNode).boxed().toList(), seqs(log));
        assertEquals(2L * perNode, log.stream().map(LoggedOp::cid).distinct().count());
    }

    /** Appends {@code count} ops with cids {@code name-i}, one at a time, following the stored version. */
    private Future<Void> racer(RedisStore s, String name, int count, AtomicInteger conflicts) {
        Promise<Void> done = Promise.promise();
        vertx.runOnContext(v -> new Object() {
            int next;

            void step() {
                if (next == count) {
                    done.complete();
                    return;
                }
                s.getBoard("b1").compose(b -> s.append("b1", List.of(op(b.version() + 1, name + "-" + next))))
                        .onComplete(ar -> {
                            if (ar.succeeded()) {
                                next++;
                            } else if (ar.cause() instanceof LinkboardException le && le.code() == ErrorCode.CONFLICT) {
                                conflicts.incrementAndGet();
                            } else {
                                done.fail(ar.cause());
                                return;
                            }
                            step();
                        });
            }
        }.step());
        return done.future();
    }

    // ---- helpers ----------------------------------------------------------------------------

    private RedisStore redis() {
        return (RedisStore) store;
    }

    private long redisLong(Request request) {
        return Await.result(redis().send(request)).toLong();
    }






}

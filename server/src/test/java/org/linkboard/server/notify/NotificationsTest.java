package org.linkboard.server.notify;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.Await;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mentions, assignments, watched status changes and due reminders become notifications for the right people. */
class NotificationsTest {

    static TestServer server;
    static final AtomicLong now = new AtomicLong(Instant.parse("2030-01-09T12:00:00Z").toEpochMilli());
    static String admin;
    static String alice;
    static String bob;
    static String carol;
    static String outsider;
    static String board;
    static final AtomicInteger seq = new AtomicInteger();

    @BeforeAll
    static void start() {
        // The sweep timer never fires on its own during the test: sweeps are run by hand on the injected clock.
        server = TestServer.start(o -> o.clock(now::get).reminderIntervalMillis(3_600_000));
        admin = server.adminToken();
        server.createUnit(admin, "n-own", "college", "university");
        server.createUnit(admin, "n-other", "college", "university");
        server.createUser(admin, "alice", "n-own", "editor");
        server.createUser(admin, "bob", "n-own", "editor");
        server.createUser(admin, "carol", "n-own", "viewer");
        server.createUser(admin, "outsider", "n-other", "editor");
        alice = server.login("alice", "alice-pw");
        bob = server.login("bob", "bob-pw");
        carol = server.login("carol", "carol-pw");
        outsider = server.login("outsider", "outsider-pw");
        board = server.createBoard(admin, "Plans", "n-own");
        assertEquals(200, op(admin, create("lane", "lane", null, new JsonObject().put("title", "Lane"))).statusCode());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonObject create(String id, String type, String parent, JsonObject fields) {
        JsonObject op = new JsonObject().put("kind", "create").put("id", id).put("type", type).put("fields", fields);
        if (parent != null) op.put("parent", parent);
        return op;
    }

    static JsonObject set(String id, String field, Object value) {
        return new JsonObject().put("kind", "set").put("id", id).put("field", field).put("value", value);
    }

    static HttpResponse<Buffer> op(String token, JsonObject op) {
        HttpResponse<Buffer> r = server.post("/api/boards/" + board + "/ops", token, new JsonObject().put("cid", "n" + seq.incrementAndGet()).put("op", op));
        return r;
    }

    static String card(String token, String title) {
        String id = "card" + seq.incrementAndGet();
        HttpResponse<Buffer> r = op(token, create(id, "card", "lane", new JsonObject().put("title", title)));
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return id;
    }

    static String userId(String token) {
        return server.get("/api/me", token).bodyAsJsonObject().getString("id");
    }

    static WsClient online(String token) {
        WsClient ws = server.connect(token);
        ws.next("welcome");
        return ws;
    }

    static JsonObject nextNotification(WsClient ws) {
        return ws.next("notification").getJsonObject("notification");
    }

    static JsonArray list(String token, boolean unread) {
        HttpResponse<Buffer> r = server.get("/api/notifications" + (unread ? "?unread=true" : ""), token);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonArray();
    }

    @Test
    void aMentionInACommentReachesTheMentionedUserLiveWithItsShape() {
        String c = card(alice, "Visa letters");
        try (WsClient ws = online(carol)) {
            assertEquals(200, op(bob, create("cm" + seq.incrementAndGet(), "comment", c, new JsonObject().put("text", "@carol can you check?"))).statusCode());
            JsonObject n = nextNotification(ws);
            assertEquals("mention", n.getString("kind"));
            assertEquals(board, n.getString("board"));
            assertEquals(c, n.getString("item"), "the notification points at the card, not the comment");
            assertEquals(userId(bob), n.getString("by"));
            assertTrue(n.getString("text").contains("Visa letters"), n.getString("text"));
            assertFalse(n.getBoolean("read"));
            assertTrue(n.getString("id").length() > 0 && n.getString("at").startsWith("20"));
        }
    }

    @Test
    void notificationsAreListedAndMarkedRead() {
        String c = card(bob, "Budget");
        try (WsClient ws = online(alice)) {
            op(bob, create("cm" + seq.incrementAndGet(), "comment", c, new JsonObject().put("text", "ping @alice")));
            String id = nextNotification(ws).getString("id");
            assertTrue(list(alice, true).stream().anyMatch(n -> ((JsonObject) n).getString("id").equals(id)));
            assertEquals(204, server.post("/api/notifications/" + id + "/read", alice, new JsonObject()).statusCode());
            assertFalse(list(alice, true).stream().anyMatch(n -> ((JsonObject) n).getString("id").equals(id)));
            assertTrue(list(alice, false).stream().anyMatch(n -> ((JsonObject) n).getString("id").equals(id) && ((JsonObject) n).getBoolean("read")));
        }
    }

    @Test
    void readAllEmptiesTheUnreadList() {
        String c = card(bob, "Rooms");
        try (WsClient ws = online(alice)) {
            op(bob, create("cm" + seq.incrementAndGet(), "comment", c, new JsonObject().put("text", "@alice one")));
            nextNotification(ws);
            assertEquals(200, server.post("/api/notifications/read-all", alice, new JsonObject()).statusCode());
            assertEquals(0, list(alice, true).size());
        }
    }

    @Test
    void someoneElsesNotificationCannotBeMarkedRead() {
        String c = card(bob, "Private");
        try (WsClient ws = online(alice)) {
            op(bob, create("cm" + seq.incrementAndGet(), "comment", c, new JsonObject().put("text", "@alice secret")));
            String id = nextNotification(ws).getString("id");
            assertEquals(404, server.post("/api/notifications/" + id + "/read", carol, new JsonObject()).statusCode());
        }
    }

    @Test
    void nobodyIsNotifiedOfTheirOwnAction() {
        String c = card(alice, "Self");
        try (WsClient ws = online(alice)) {
            op(alice, create("cm" + seq.incrementAndGet(), "comment", c, new JsonObject().put("text", "note to @alice")));
            op(alice, set(c, "assignee", "alice"));
            op(bob, create("cm" + seq.incrementAndGet(), "comment", c, new JsonObject().put("text", "@alice from bob")));
            JsonObject first = nextNotification(ws);
            assertEquals(userId(bob), first.getString("by"), "the first notification alice gets is bob's: " + first);
        }
    }

    @Test
    void onlyUsersWhoCanReadTheBoardAreNotified() {
        String c = card(bob, "Scoped");
        try (WsClient ws = online(alice)) {
            op(bob, create("cm" + seq.incrementAndGet(), "comment", c, new JsonObject().put("text", "@outsider and @alice")));
            nextNotification(ws); // stored together with any the outsider would have had
            assertEquals(0, list(outsider, false).size());
        }
    }

    @Test
    void assigningACardNotifiesTheAssignee() {
        String c = card(alice, "Hire interpreter");
        try (WsClient ws = online(bob)) {
            op(alice, set(c, "assignee", "bob"));
            JsonObject n = nextNotification(ws);
            assertEquals("assigned", n.getString("kind"));
            assertEquals(c, n.getString("item"));
        }
    }

    @Test
    void aStatusChangeNotifiesTheCreatorAndCommentersButNotTheOneWhoChangedIt() {
        String c = card(alice, "Book flights");
        op(carol, create("cm" + seq.incrementAndGet(), "comment", c, new JsonObject().put("text", "viewers cannot comment")));
        op(admin, create("cm" + seq.incrementAndGet(), "comment", c, new JsonObject().put("text", "admin comments")));
        try (WsClient a = online(alice); WsClient adm = online(admin)) {
            op(bob, set(c, "status", "doing"));
            JsonObject n = nextNotification(a);
            assertEquals("status", n.getString("kind"));
            assertTrue(n.getString("text").contains("doing"), n.getString("text"));
            assertEquals("status", nextNotification(adm).getString("kind"));
        }
    }

    @Test
    void anExplicitWatcherIsToldOfStatusChangesUntilUnwatching() {
        String c = card(alice, "Watch me");
        assertEquals(204, server.post("/api/boards/" + board + "/items/" + c + "/watch", carol, new JsonObject()).statusCode());
        try (WsClient ws = online(carol)) {
            op(bob, set(c, "status", "doing"));
            assertEquals("status", nextNotification(ws).getString("kind"));
            assertEquals(204, server.request(HttpMethod.DELETE, "/api/boards/" + board + "/items/" + c + "/watch", carol, null).statusCode());
            op(bob, set(c, "status", "done"));
            op(bob, create("cm" + seq.incrementAndGet(), "comment", c, new JsonObject().put("text", "@carol marker")));
            assertEquals("mention", nextNotification(ws).getString("kind"), "no status notification after unwatching");
        }
    }

    @Test
    void watchingAnItemOutsideTheReadScopeOrMissingIsNotFound() {
        String c = card(alice, "Hidden");
        assertEquals(404, server.post("/api/boards/" + board + "/items/" + c + "/watch", outsider, new JsonObject()).statusCode());
        assertEquals(404, server.post("/api/boards/" + board + "/items/nope/watch", alice, new JsonObject()).statusCode());
    }

    @Test
    void aDueCardRemindsItsAssigneeOnceAndAgainWhenOverdue() {
        String c = card(alice, "Submit grades");
        op(alice, set(c, "due", "2030-01-10"));
        try (WsClient ws = online(bob)) {
            op(alice, set(c, "assignee", "bob"));
            assertEquals("assigned", nextNotification(ws).getString("kind"));
            now.set(Instant.parse("2030-01-10T01:00:00Z").toEpochMilli());
            Await.result(server.server().reminders().sweep());
            Await.result(server.server().reminders().sweep());
            JsonObject due = nextNotification(ws);
            assertEquals("due", due.getString("kind"));
            assertEquals(c, due.getString("item"));
            now.set(Instant.parse("2030-01-11T00:30:00Z").toEpochMilli());
            Await.result(server.server().reminders().sweep());
            JsonObject overdue = nextNotification(ws);
            assertEquals("overdue", overdue.getString("kind"), "one due reminder only, then the overdue one: " + overdue);
        } finally {
            now.set(Instant.parse("2030-01-09T12:00:00Z").toEpochMilli());
        }
    }

    @Test
    void aDoneCardOrCheckIsNotReminded() {
        String c = card(alice, "Already done");
        op(alice, set(c, "due", "2030-01-09"));
        op(alice, set(c, "status", "done"));
        String ck = "ck" + seq.incrementAndGet();
        op(alice, create(ck, "check", c, new JsonObject().put("text", "Sign").put("assignee", "bob").put("due", "2030-01-09").put("done", true)));
        Await.result(server.server().reminders().sweep());
        java.util.function.Predicate<Object> reminderOfC = n -> ((JsonObject) n).getString("item").equals(c)
                && java.util.Set.of("due", "overdue").contains(((JsonObject) n).getString("kind"));
        assertEquals(0, list(bob, false).stream().filter(reminderOfC).count());
        assertEquals(0, list(alice, false).stream().filter(reminderOfC).count());
    }

    @Test
    void aChecklistEntryRemindsItsAssignee() {
        String c = card(alice, "Event");
        try (WsClient ws = online(bob)) {
            op(alice, create("ck" + seq.incrementAndGet(), "check", c, new JsonObject().put("text", "Order catering").put("assignee", "bob").put("due", "2030-01-09")));
            assertEquals("assigned", nextNotification(ws).getString("kind"));
            Await.result(server.server().reminders().sweep());
            JsonObject n = nextNotification(ws);
            assertEquals("due", n.getString("kind"));
            assertTrue(n.getString("text").contains("Order catering"), n.getString("text"));
        }
    }

    @Test
    void aReminderIsClaimedOnce() {
        assertTrue(Await.result(server.server().store().claimReminder("test:claim")));
        assertFalse(Await.result(server.server().store().claimReminder("test:claim")));
    }

    @Test
    void aGoalReachingItsTargetNotifiesItsWatchersOnce() {
        String g = "goal" + seq.incrementAndGet();
        op(alice, create(g, "goal", null, new JsonObject().put("title", "130 students").put("target", 130)));
        try (WsClient ws = online(alice)) {
            server.server().vertx().eventBus().publish(NotificationCenter.ROLLUP_ADDRESS, new JsonObject().put("board", board).put("item", g)
                    .put("rollup", new JsonObject().put("progress", 100)));
            server.server().vertx().eventBus().publish(NotificationCenter.ROLLUP_ADDRESS, new JsonObject().put("board", board).put("item", g)
                    .put("rollup", new JsonObject().put("progress", 100)));
            JsonObject n = nextNotification(ws);
            assertEquals("goal-reached", n.getString("kind"));
            op(bob, create("cm" + seq.incrementAndGet(), "comment", g, new JsonObject().put("text", "@alice after")));
            assertEquals("mention", nextNotification(ws).getString("kind"), "only one goal-reached notification");
        }
    }

    @Test
    void settingsAreValidatedAndKept() {
        assertEquals("off", server.get("/api/me/settings", bob).bodyAsJsonObject().getString("emailNotifications"));
        HttpResponse<Buffer> bad = server.request(HttpMethod.PUT, "/api/me/settings", bob, new JsonObject().put("emailNotifications", "hourly"));
        assertEquals(422, bad.statusCode());
        assertEquals(422, server.request(HttpMethod.PUT, "/api/me/settings", bob, new JsonObject().put("emailNotifications", "instant")).statusCode(),
                "instant needs an address");
        HttpResponse<Buffer> ok = server.request(HttpMethod.PUT, "/api/me/settings", bob,
                new JsonObject().put("emailNotifications", "daily").put("email", "bob@example.edu"));
        assertEquals(200, ok.statusCode(), ok.bodyAsString());
        JsonObject got = server.get("/api/me/settings", bob).bodyAsJsonObject();
        assertEquals("daily", got.getString("emailNotifications"));
        assertEquals("bob@example.edu", got.getString("email"));
        server.request(HttpMethod.PUT, "/api/me/settings", bob, new JsonObject().put("emailNotifications", "off"));
    }

    @Test
    void userLookupAnswersIdUsernameAndNameOnlyToAnyUser() {
        HttpResponse<Buffer> r = server.get("/api/users/lookup?q=ali", carol);
        assertEquals(200, r.statusCode());
        JsonObject first = r.bodyAsJsonArray().getJsonObject(0);
        assertEquals("alice", first.getString("username"));
        assertEquals(java.util.Set.of("id", "username", "name"), first.fieldNames());
        JsonArray byId = server.get("/api/users/lookup?ids=" + userId(alice), outsider).bodyAsJsonArray();
        assertEquals("alice", byId.getJsonObject(0).getString("username"));
    }
}

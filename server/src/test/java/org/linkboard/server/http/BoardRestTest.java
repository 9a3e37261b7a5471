package org.linkboard.server.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.TestServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CONTRACT §4 over REST, and the error shapes of §2. */
class BoardRestTest {

    static TestServer server;
    static String admin;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.adminToken();
        server.createUser(admin, "uni-editor", "university", "editor");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonObject card(String id, String title) {
        return new JsonObject().put("kind", "create").put("id", id).put("type", "card").put("fields", new JsonObject().put("title", title));
    }

    static void assertError(HttpResponse<Buffer> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.bodyAsString());
        assertEquals(code, r.bodyAsJsonObject().getJsonObject("error").getString("code"), r.bodyAsString());
        assertNotNull(r.bodyAsJsonObject().getJsonObject("error").getString("message"));
    }

    @Test
    void createdBoardHasContractShapeAndVersionZero() {
        HttpResponse<Buffer> r = server.post("/api/boards", admin, new JsonObject().put("title", "Plan").put("unit", "university"));
        assertEquals(201, r.statusCode());
        JsonObject b = r.bodyAsJsonObject();
        assertNotNull(b.getString("id"));
        assertEquals("Plan", b.getString("title"));
        assertEquals("university", b.getString("unit"));
        assertNotNull(b.getValue("createdAt"));
        assertEquals(0L, b.getLong("version"));
    }

    @Test
    void submittedOpsGetConsecutiveSeqsAndShowInSnapshotAndHistory() {
        String b = server.createBoard(admin, "ops", "university");
        for (int i = 1; i <= 3; i++) {
            HttpResponse<Buffer> r = server.post("/api/boards/" + b + "/ops", admin, new JsonObject().put("cid", "r" + i).put("op", card("k" + i, "card " + i)));
            assertEquals(200, r.statusCode(), r.bodyAsString());
            assertEquals((long) i, r.bodyAsJsonObject().getLong("seq"));
        }
        JsonObject snap = server.get("/api/boards/" + b + "/snapshot", admin).bodyAsJsonObject();
        assertEquals(3L, snap.getLong("version"));
        assertEquals(b, snap.getJsonObject("board").getString("id"));
        assertEquals(3, snap.getJsonObject("items").size());
        assertEquals("card 2", snap.getJsonObject("items").getJsonObject("k2").getJsonObject("fields").getString("title"));
        JsonArray ops = server.get("/api/boards/" + b + "/ops?since=1&limit=1", admin).bodyAsJsonObject().getJsonArray("ops");
        assertEquals(1, ops.size());
        JsonObject entry = ops.getJsonObject(0);
        assertEquals(2L, entry.getLong("seq"));
        assertEquals("u-admin", entry.getString("by"));
        assertNotNull(entry.getValue("at"));
        assertEquals("k2", entry.getJsonObject("op").getString("id"));
        assertEquals(3L, server.get("/api/boards/" + b, admin).bodyAsJsonObject().getLong("version"));
    }

    @Test
    void resentCidReturnsTheOriginalSeqAndAppliesNothing() {
        String b = server.createBoard(admin, "dedup", "university");
        server.post("/api/boards/" + b + "/ops", admin, new JsonObject().put("cid", "same").put("op", card("d1", "x")));
        HttpResponse<Buffer> again = server.post("/api/boards/" + b + "/ops", admin, new JsonObject().put("cid", "same").put("op", card("d1", "x")));
        assertEquals(200, again.statusCode());
        assertEquals(1L, again.bodyAsJsonObject().getLong("seq"));
        assertEquals(1L, server.get("/api/boards/" + b, admin).bodyAsJsonObject().getLong("version"));
    }

    @Test
    void invalidOpAnswers422WithTheField() {
        String b = server.createBoard(admin, "invalid", "university");
        HttpResponse<Buffer> r = server.post("/api/boards/" + b + "/ops", admin, new JsonObject().put("cid", "v")
                .put("op", new JsonObject().put("kind", "create").put("id", "c").put("type", "card")
                        .put("fields", new JsonObject().put("title", "t").put("status", "maybe"))));
        assertError(r, 422, "VALIDATION_FAILED");
        assertEquals("status", r.bodyAsJsonObject().getJsonObject("error").getJsonObject("details").getString("field"));
    }

    @Test
    void malformedJsonAnswersBadRequest() {
        assertError(server.post("/api/boards", admin, "{nope"), 400, "BAD_REQUEST");
    }

    @Test
    void missingFieldAnswersBadRequest() {
        assertError(server.post("/api/boards", admin, new JsonObject().put("title", "no unit")), 400, "BAD_REQUEST");
    }

    @Test
    void unknownUnitAnswersValidationFailed() {
        HttpResponse<Buffer> r = server.post("/api/boards", admin, new JsonObject().put("title", "t").put("unit", "atlantis"));
        assertError(r, 422, "VALIDATION_FAILED");
        assertEquals("unit", r.bodyAsJsonObject().getJsonObject("error").getJsonObject("details").getString("field"));
    }

    @Test
    void unknownBoardAnswersNotFound() {
        assertError(server.get("/api/boards/nope", admin), 404, "NOT_FOUND");
        assertError(server.get("/api/boards/nope/snapshot", admin), 404, "NOT_FOUND");
    }

    @Test
    void noTokenAnswersUnauthenticated() {
        assertError(server.get("/api/boards", null), 401, "UNAUTHENTICATED");
    }

    @Test
    void forgedTokenAnswersUnauthenticated() {
        String[] parts = admin.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + "AAAA" + parts[2].substring(4);
        assertError(server.get("/api/boards", forged), 401, "UNAUTHENTICATED");
    }

    @Test
    void bodyOverTheLimitAnswersPayloadTooLarge() {
        String huge = "{\"title\":\"" + "x".repeat(1100 * 1024) + "\",\"unit\":\"university\"}";
        assertError(server.post("/api/boards", admin, huge), 413, "PAYLOAD_TOO_LARGE");
    }

    @Test
    void wrongPasswordAnswersUnauthenticated() {
        assertError(server.post("/api/auth/login", null, new JsonObject().put("username", "admin").put("password", "wrong")), 401, "UNAUTHENTICATED");
    }

    @Test
    void loginAnswersTokenExpiryAndUserWithoutPassword() {
        JsonObject r = server.post("/api/auth/login", null, new JsonObject().put("username", "admin").put("password", TestServer.ADMIN_PASSWORD)).bodyAsJsonObject();
        assertNotNull(r.getString("token"));
        assertNotNull(r.getValue("expiresAt"));
        assertEquals("admin", r.getJsonObject("user").getString("username"));
        assertTrue(r.getJsonObject("user").getJsonArray("roles").contains("admin"));
        assertTrue(!r.getJsonObject("user").containsKey("password") && !r.getJsonObject("user").containsKey("passwordHash"));
    }

    @Test
    void archivedBoardDisappearsButEditorsMayNotArchive() {
        String b = server.createBoard(admin, "to archive", "university");
        assertError(server.request(HttpMethod.DELETE, "/api/boards/" + b, server.login("uni-editor", "uni-editor-pw"), null), 403, "FORBIDDEN");
        assertEquals(204, server.request(HttpMethod.DELETE, "/api/boards/" + b, admin, null).statusCode());
        assertError(server.get("/api/boards/" + b, admin), 404, "NOT_FOUND");
        assertTrue(server.get("/api/boards", admin).bodyAsJsonArray().stream().noneMatch(o -> b.equals(((JsonObject) o).getString("id"))));
    }

    @Test
    void unknownEndpointAnswersJsonNotFound() {
        assertError(server.get("/api/nothing-here", admin), 404, "NOT_FOUND");
    }

    @Test
    void healthIsUpAndReadyWhenTheStoreAnswers() {
        assertEquals("UP", server.get("/health", null).bodyAsJsonObject().getString("status"));
        assertEquals(200, server.get("/ready", null).statusCode());
    }

    @Test
    void historyRejectsANonNumericSince() {
        String b = server.createBoard(admin, "history", "university");
        assertError(server.get("/api/boards/" + b + "/ops?since=abc", admin), 400, "BAD_REQUEST");
    }
}

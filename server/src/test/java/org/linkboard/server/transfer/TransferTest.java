package org.linkboard.server.transfer;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.TestServer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Export as JSON and CSV; import from that JSON and from Trello; malformed imports create nothing. */
class TransferTest {

    static TestServer server;
    static String admin;
    static String editor;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.adminToken();
        server.createUser(admin, "t-editor", "university", "editor");
        editor = server.login("t-editor", "t-editor-pw");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static void op(String board, String cid, JsonObject op) {
        HttpResponse<Buffer> r = server.post("/api/boards/" + board + "/ops", editor, new JsonObject().put("cid", cid).put("op", op));
        assertEquals(200, r.statusCode(), r.bodyAsString());
    }

    static JsonObject create(String id, String type, String parent, JsonObject fields) {
        return new JsonObject().put("kind", "create").put("id", id).put("type", type).put("parent", parent).put("fields", fields);
    }

    static JsonObject importBody(String format, JsonObject data) {
        return new JsonObject().put("format", format).put("unit", "university").put("data", data);
    }

    static JsonObject items(String board) {
        return server.get("/api/boards/" + board + "/snapshot", editor).bodyAsJsonObject().getJsonObject("items");
    }

    static String sampleBoard() {
        String b = server.createBoard(editor, "Exchange plan", "university");
        op(b, "1", create("todo", "lane", null, new JsonObject().put("title", "To do")));
        op(b, "2", create("done", "lane", null, new JsonObject().put("title", "Done")));
        op(b, "3", create("goal", "goal", null, new JsonObject().put("title", "Send 130 students").put("metric", "students").put("target", 130)));
        op(b, "4", create("korea", "card", "todo", new JsonObject().put("title", "Exchange in Korea").put("students", 12)
                .put("tags", new JsonArray().add("Asia").add("semester")).put("due", "2026-03-15")));
        op(b, "5", create("lyon", "card", "todo", new JsonObject().put("title", "Summer school, Lyon").put("description", "He said \"oui\"")));
        op(b, "6", create("gone", "card", "todo", new JsonObject().put("title", "Deleted later")));
        op(b, "7", new JsonObject().put("kind", "link").put("id", "korea").put("to", new JsonObject().put("board", b).put("item", "goal")));
        op(b, "8", new JsonObject().put("kind", "move").put("id", "lyon").put("parent", "done"));
        op(b, "9", new JsonObject().put("kind", "set").put("id", "lyon").put("field", "status").put("value", "done"));
        op(b, "10", new JsonObject().put("kind", "delete").put("id", "gone"));
        return b;
    }

    @Test
    void exportThenImportGivesAnEqualBoard() {
        String b = sampleBoard();
        JsonObject export = server.get("/api/boards/" + b + "/export?history=true", editor).bodyAsJsonObject();
        assertEquals("linkboard", export.getString("format"));
        assertEquals(10L, export.getLong("version"));
        assertEquals(10, export.getJsonArray("history").size());
        assertNull(server.get("/api/boards/" + b + "/export", editor).bodyAsJsonObject().getValue("history"));

        HttpResponse<Buffer> r = server.post("/api/boards/import", editor, importBody("linkboard", export));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        JsonObject board = r.bodyAsJsonObject().getJsonObject("board");
        String copy = board.getString("id");
        assertEquals("Exchange plan", board.getString("title"));

        // Items are equal; links to goals of the exported board point at the same goal on the copy.
        JsonObject expected = new JsonObject(export.getJsonObject("items").encode().replace("\"board\":\"" + b + "\"", "\"board\":\"" + copy + "\""));
        assertEquals(expected, items(copy));
        JsonArray history = server.get("/api/boards/" + copy + "/ops", editor).bodyAsJsonObject().getJsonArray("ops");
        String me = server.get("/api/me", editor).bodyAsJsonObject().getString("id");
        assertTrue(history.stream().allMatch(o -> me.equals(((JsonObject) o).getString("by"))), "ops of the importing user");
    }

    @Test
    void importedOpsAreTheImportingUsers() {
        String b = sampleBoard();
        JsonObject export = server.get("/api/boards/" + b + "/export", editor).bodyAsJsonObject();
        String copy = server.post("/api/boards/import", admin, importBody("linkboard", export)).bodyAsJsonObject()
                .getJsonObject("board").getString("id");
        JsonArray history = server.get("/api/boards/" + copy + "/ops", admin).bodyAsJsonObject().getJsonArray("ops");
        assertEquals(6, history.size(), "five creates and one link");
        assertTrue(history.stream().allMatch(o -> "u-admin".equals(((JsonObject) o).getString("by"))));
    }

    @Test
    void trelloExportImportsListsCardsLabelsChecklistsAndDue() throws IOException {
        JsonObject trello;
        try (InputStream in = getClass().getResourceAsStream("/transfer/trello-exchange.json")) {
            trello = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        HttpResponse<Buffer> r = server.post("/api/boards/import", editor, importBody("trello", trello));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        JsonObject result = r.bodyAsJsonObject();
        assertEquals("Outbound Exchange 2026", result.getJsonObject("board").getString("title"));
        assertEquals(4, result.getInteger("skippedItems"), "closed list, closed card, card of the closed list, item of the closed card's checklist");
        JsonObject items = items(result.getJsonObject("board").getString("id"));

        List<JsonObject> lanes = items.stream().map(e -> (JsonObject) e.getValue()).filter(i -> "lane".equals(i.getString("type")))
                .sorted((x, y) -> x.getString("pos").compareTo(y.getString("pos"))).toList();
        assertEquals(List.of("Ideas", "Applications", "Done"), lanes.stream().map(l -> l.getJsonObject("fields").getString("title")).toList());

        JsonObject korea = items.getJsonObject("65a1f0c2b7d3e40012a4f001");
        assertEquals("card", korea.getString("type"));
        assertEquals("65a1f0c2b7d3e40012a4e002", korea.getString("parent"));
        JsonObject kf = korea.getJsonObject("fields");
        assertEquals("Exchange in Korea", kf.getString("title"));
        assertEquals("Semester exchange with Korea University, 12 places.", kf.getString("description"));
        assertEquals("2026-03-15", kf.getString("due"));
        assertEquals(new JsonArray().add("Korea").add("urgent"), kf.getJsonArray("tags"));
        assertFalse(kf.containsKey("status"));

        JsonObject lyon = items.getJsonObject("65a1f0c2b7d3e40012a4f002");
        assertEquals(new JsonArray().add("yellow"), lyon.getJsonObject("fields").getJsonArray("tags"), "an unnamed label is its colour");
        assertTrue(lyon.getString("pos").compareTo(korea.getString("pos")) < 0, "cards keep Trello's order");
        assertEquals("done", items.getJsonObject("65a1f0c2b7d3e40012a4f004").getJsonObject("fields").getString("status"));

        List<JsonObject> steps = items.stream().map(e -> (JsonObject) e.getValue())
                .filter(i -> "65a1f0c2b7d3e40012a4f001".equals(i.getString("parent")))
                .sorted((x, y) -> x.getString("pos").compareTo(y.getString("pos"))).toList();
        assertEquals(List.of("Collect transcripts", "Language test results", "Interview candidates"),
                steps.stream().map(s -> s.getJsonObject("fields").getString("title")).toList());
        assertEquals(List.of("done", "todo", "todo"), steps.stream().map(s -> s.getJsonObject("fields").getString("status")).toList());
        assertEquals(new JsonArray().add("Application steps"), steps.get(0).getJsonObject("fields").getJsonArray("tags"));

        for (String skipped : List.of("65a1f0c2b7d3e40012a4e004", "65a1f0c2b7d3e40012a4f005", "65a1f0c2b7d3e40012a4f006", "65a1f0c2b7d3e40012a4b201")) {
            assertFalse(items.containsKey(skipped), skipped + " is closed and skipped");
        }
        assertEquals(10, items.size(), "3 lanes, 4 cards, 3 checklist items");
    }

    @Test
    void malformedImportsAreRefusedAndCreateNothing() {
        int boardsBefore = server.get("/api/boards", admin).bodyAsJsonArray().size();
        JsonObject list = new JsonObject().put("id", "list1").put("name", "L");
        Map<String, JsonObject> cases = Map.of(
                "format", new JsonObject().put("format", "asana").put("unit", "university").put("data", new JsonObject()),
                "data.cards", importBody("trello", new JsonObject().put("lists", new JsonArray())),
                "data.cards[0].name", importBody("trello", new JsonObject().put("lists", new JsonArray().add(list))
                        .put("cards", new JsonArray().add(new JsonObject().put("id", "c1").put("idList", "list1")))),
                "data.cards[0].idList", importBody("trello", new JsonObject().put("lists", new JsonArray().add(list))
                        .put("cards", new JsonArray().add(new JsonObject().put("id", "c1").put("name", "x").put("idList", "nope")))),
                "data.items.b.parent", importBody("linkboard", new JsonObject().put("items", new JsonObject()
                        .put("a", item("a", "lane", null, "a0", new JsonObject().put("title", "ok")))
                        .put("b", item("b", "card", "missing", "a1", new JsonObject().put("title", "orphan"))))),
                "data.items.c.fields.status", importBody("linkboard", new JsonObject().put("items", new JsonObject()
                        .put("a", item("a", "lane", null, "a0", new JsonObject().put("title", "ok")))
                        .put("c", item("c", "card", "a", "a1", new JsonObject().put("title", "bad").put("status", "maybe"))))),
                "data.items", importBody("linkboard", new JsonObject().put("items", new JsonArray())));
        for (Map.Entry<String, JsonObject> c : cases.entrySet()) {
            HttpResponse<Buffer> r = server.post("/api/boards/import", editor, c.getValue());
            assertEquals(422, r.statusCode(), c.getKey() + ": " + r.bodyAsString());
            JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
            assertEquals("VALIDATION_FAILED", error.getString("code"));
            assertEquals(c.getKey(), error.getJsonObject("details").getString("field"), r.bodyAsString());
        }
        assertEquals(boardsBefore, server.get("/api/boards", admin).bodyAsJsonArray().size(), "no board was created");
    }

    static JsonObject item(String id, String type, String parent, String pos, JsonObject fields) {
        return new JsonObject().put("id", id).put("type", type).put("parent", parent).put("pos", pos).put("fields", fields).put("links", new JsonArray());
    }

    @Test
    void csvListsCardsWithTheirLanes() {
        String b = sampleBoard();
        HttpResponse<Buffer> r = server.get("/api/boards/" + b + "/export.csv", editor);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        assertTrue(r.getHeader("Content-Type").startsWith("text/csv"));
        List<String> lines = r.bodyAsString().lines().collect(Collectors.toList());
        assertEquals("id,lane,title,status,assignee,due,progress,tags,description", lines.get(0));
        assertEquals("korea,To do,Exchange in Korea,,,2026-03-15,,Asia; semester,", lines.get(1));
        assertEquals("lyon,Done,\"Summer school, Lyon\",done,,,,,\"He said \"\"oui\"\"\"", lines.get(2));
        assertEquals(3, lines.size());
    }

    @Test
    void exportOutsideReadScopeIsNotFound() {
        server.createUnit(admin, "t-college", "college", "university");
        server.createUser(admin, "t-college-editor", "t-college", "editor");
        String other = server.createBoard(admin, "college board", "t-college");
        server.createUnit(admin, "t-office", "office", "university");
        server.createUser(admin, "t-office-viewer", "t-office", "viewer");
        String outsider = server.login("t-office-viewer", "t-office-viewer-pw");
        assertEquals(404, server.get("/api/boards/" + other + "/export", outsider).statusCode());
        assertEquals(404, server.get("/api/boards/" + other + "/export.csv", outsider).statusCode());
    }
}

package org.linkboard.server.auth;

import java.nio.file.Files;
import java.nio.file.Path;
import org.linkboard.server.plugins.TestPlugins;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may do what (CONTRACT §3–§5), as one table: every {@code /api} route and WebSocket action,
 * for every role, against a unit that is the caller's own, a child, the parent, or a sibling.
 *
 * <p>The expected outcomes come from {@link #reads}, {@link #writes} and {@link #manages}: the
 * contract's rules restated over the relation between the caller's unit and the target's, written
 * without {@link AccessPolicy}, so a slip in either shows up as a failing cell.
 *
 * <p>Unit tree used: {@code university > acc-parent > acc-own > acc-child}, and
 * {@code acc-parent > acc-sibling}. Every caller lives in {@code acc-own}.
 *
 * <p>{@link #everyMountedApiRouteHasARow} fails when a route is mounted that no row covers: add a
 * row saying who may call it.
 */
class AccessMatrixTest {

    enum Role {
        ADMIN("admin"), UNIT_ADMIN("unit-admin"), EDITOR("editor"), VIEWER("viewer");

        final String name;

        Role(String name) {
            this.name = name;
        }
    }

    enum Rel {
        OWN("acc-own"), CHILD("acc-child"), PARENT("acc-parent"), SIBLING("acc-sibling");

        final String unit;

        Rel(String unit) {
            this.unit = unit;
        }
    }

    // ---- the rules, restated from CONTRACT §3 --------------------------------------------------------

    /** Read scope: own unit, below it, above it. A sibling is neither. Admins read everything. */
    static boolean reads(Role role, Rel rel) {
        return role == Role.ADMIN || rel == Rel.OWN || rel == Rel.CHILD || rel == Rel.PARENT;
    }

    /** Write scope: own unit and below, for editors and unit admins; viewers write nothing. */
    static boolean writes(Role role, Rel rel) {
        if (role == Role.ADMIN) return true;
        if (role == Role.VIEWER) return false;
        return rel == Rel.OWN || rel == Rel.CHILD;
    }

    /** Managing (archive boards, users, modules): unit admins for their subtree. */
    static boolean manages(Role role, Rel rel) {
        if (role == Role.ADMIN) return true;
        return role == Role.UNIT_ADMIN && (rel == Rel.OWN || rel == Rel.CHILD);
    }

    static boolean managesAnything(Role role) {
        return role == Role.ADMIN || role == Role.UNIT_ADMIN;
    }

    // ---- the table ----------------------------------------------------------------------------------

    /** One row: a route (as {@link org.linkboard.server.LinkboardServer#apiRoutes()} names it) or WS action. */
    record Row(String route, BiFunction<Role, Rel, String> expected, Action action) {
    }

    @FunctionalInterface
    interface Action {
        /** Performs the call as {@code token} (null: no token) against a target in {@code rel}; answers the outcome. */
        String run(String token, Role role, Rel rel);
    }

    static final String UNAUTHENTICATED = "401 UNAUTHENTICATED";

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("POST /api/auth/login", (role, rel) -> "200",
                (token, role, rel) -> status(server.post("/api/auth/login", null,
                        new JsonObject().put("username", username(role == null ? Role.VIEWER : role))
                                .put("password", username(role == null ? Role.VIEWER : role) + "-pw")))));
        rows.add(new Row("GET /api/me", (role, rel) -> "200 " + username(role),
                (token, role, rel) -> {
                    HttpResponse<Buffer> r = server.get("/api/me", token);
                    return r.statusCode() == 200 ? "200 " + r.bodyAsJsonObject().getString("username") : status(r);
                }));
        rows.add(new Row("GET /api/units", (role, rel) -> "200 all units",
                (token, role, rel) -> {
                    HttpResponse<Buffer> r = server.get("/api/units", token);
                    if (r.statusCode() != 200) return status(r);
                    Set<String> ids = new TreeSet<>();
                    r.bodyAsJsonArray().forEach(u -> ids.add(((JsonObject) u).getString("id")));
                    return ids.containsAll(List.of("university", "acc-parent", "acc-own", "acc-child", "acc-sibling")) ? "200 all units" : "200 " + ids;
                }));
        rows.add(new Row("POST /api/units", (role, rel) -> role == Role.ADMIN ? "201" : "403 FORBIDDEN",
                (token, role, rel) -> status(server.post("/api/units", token, new JsonObject().put("id", "u" + seq.incrementAndGet())
                        .put("name", "New unit").put("kind", "department").put("parent", rel.unit)))));
        rows.add(new Row("GET /api/users",
                (role, rel) -> !managesAnything(role) ? "403 FORBIDDEN" : manages(role, rel) ? "200 listed" : "200 hidden",
                (token, role, rel) -> {
                    HttpResponse<Buffer> r = server.get("/api/users", token);
                    if (r.statusCode() != 200) return status(r);
                    boolean listed = r.bodyAsJsonArray().stream().anyMatch(u -> ((JsonObject) u).getString("username").equals("resident-" + rel.unit));
                    return listed ? "200 listed" : "200 hidden";
                }));
        rows.add(new Row("POST /api/users", (role, rel) -> manages(role, rel) ? "201" : "403 FORBIDDEN",
                (token, role, rel) -> status(server.post("/api/users", token, userBody("new" + seq.incrementAndGet(), rel.unit, "editor")))));
        rows.add(new Row("DELETE /api/users/:id",
                (role, rel) -> manages(role, rel) ? "204" : managesAnything(role) ? "404 NOT_FOUND" : "403 FORBIDDEN",
                (token, role, rel) -> {
                    String id = adminCreatesUser("victim" + seq.incrementAndGet(), rel.unit);
                    return status(server.request(HttpMethod.DELETE, "/api/users/" + id, token, null));
                }));
        rows.add(new Row("GET /api/boards", (role, rel) -> reads(role, rel) ? "200 listed" : "200 hidden",
                (token, role, rel) -> {
                    HttpResponse<Buffer> r = server.get("/api/boards", token);
                    if (r.statusCode() != 200) return status(r);
                    boolean listed = r.bodyAsJsonArray().stream().anyMatch(b -> ((JsonObject) b).getString("id").equals(boardOf.get(rel)));
                    return listed ? "200 listed" : "200 hidden";
                }));
        rows.add(new Row("POST /api/boards", (role, rel) -> writes(role, rel) ? "201" : "403 FORBIDDEN",
                (token, role, rel) -> status(server.post("/api/boards", token, new JsonObject().put("title", "New").put("unit", rel.unit)))));
        rows.add(new Row("GET /api/boards/:id", AccessMatrixTest::readOutcome,
                (token, role, rel) -> status(server.get("/api/boards/" + boardOf.get(rel), token))));
        rows.add(new Row("GET /api/boards/:id/snapshot", AccessMatrixTest::readOutcome,
                (token, role, rel) -> status(server.get("/api/boards/" + boardOf.get(rel) + "/snapshot", token))));
        rows.add(new Row("GET /api/boards/:id/ops", AccessMatrixTest::readOutcome,
                (token, role, rel) -> status(server.get("/api/boards/" + boardOf.get(rel) + "/ops?since=0", token))));
        rows.add(new Row("POST /api/boards/:id/ops",
                (role, rel) -> writes(role, rel) ? "200" : reads(role, rel) ? "403 FORBIDDEN" : "404 NOT_FOUND",
                (token, role, rel) -> {
                    String id = "c" + seq.incrementAndGet();
                    return status(server.post("/api/boards/" + boardOf.get(rel) + "/ops", token,
                            new JsonObject().put("cid", id).put("op", card(id))));
                }));
        rows.add(new Row("DELETE /api/boards/:id",
                (role, rel) -> manages(role, rel) ? "204" : reads(role, rel) ? "403 FORBIDDEN" : "404 NOT_FOUND",
                (token, role, rel) -> {
                    String board = server.createBoard(rootAdmin, "to archive", rel.unit);
                    return status(server.request(HttpMethod.DELETE, "/api/boards/" + board, token, null));
                }));
        rows.add(new Row("GET /api/boards/:id/items/:item/linkage", AccessMatrixTest::readOutcome,
                (token, role, rel) -> {
                    // A goal on the target board (created once; ID_TAKEN after that).
                    server.post("/api/boards/" + boardOf.get(rel) + "/ops", rootAdmin, new JsonObject().put("cid", "goal-" + rel)
                            .put("op", new JsonObject().put("kind", "create").put("id", "goal").put("type", "goal")
                                    .put("fields", new JsonObject().put("title", "Goal"))));
                    return status(server.get("/api/boards/" + boardOf.get(rel) + "/items/goal/linkage", token));
                }));
        rows.add(new Row("WS join", (role, rel) -> reads(role, rel) ? "joined" : "error NOT_FOUND",
                (token, role, rel) -> {
                    try (WsClient ws = server.connect(token)) {
                        if (token != null) ws.next("welcome");
                        String board = boardOf.get(rel);
                        JsonObject m = ws.join(board);
                        if (m.getString("type").equals("joined")) return "joined";
                        return wsError(ws, m, board);
                    }
                }));
        rows.add(new Row("WS op",
                (role, rel) -> writes(role, rel) ? "ack" : reads(role, rel) ? "reject FORBIDDEN" : "error BAD_REQUEST",
                (token, role, rel) -> {
                    try (WsClient ws = server.connect(token)) {
                        if (token != null) ws.next("welcome");
                        String board = boardOf.get(rel);
                        JsonObject joined = ws.join(board);
                        if (token == null) return wsError(ws, joined, board);
                        // Not joinable: the op is refused like any op on a board not joined, revealing nothing.
                        String cid = "ws" + seq.incrementAndGet();
                        ws.send(new JsonObject().put("type", "op").put("board", board).put("cid", cid).put("op", card(cid)));
                        JsonObject m = ws.next(x -> cid.equals(x.getString("cid")) || "error".equals(x.getString("type")));
                        return switch (m.getString("type")) {
                            case "ack" -> "ack";
                            case "reject" -> "reject " + m.getJsonObject("error").getString("code");
                            default -> "error " + m.getJsonObject("error").getString("code");
                        };
                    }
                }));
        rows.addAll(moduleRows());
        rows.addAll(collaborationRows());
        rows.addAll(operationsRows());
        return rows;
    }

    /** The operations routes: audit, backup, export/import, history and versions, webhooks (docs/operations.md). */
    static List<Row> operationsRows() {
        List<Row> rows = new ArrayList<>();
        BiFunction<Role, Rel, String> adminOnly = (role, rel) -> role == Role.ADMIN ? "200" : "403 FORBIDDEN";
        BiFunction<Role, Rel, String> writeOutcome = (role, rel) -> writes(role, rel) ? "201" : reads(role, rel) ? "403 FORBIDDEN" : "404 NOT_FOUND";
        rows.add(new Row("GET /api/audit", adminOnly, (token, role, rel) -> status(server.get("/api/audit?limit=1", token))));
        rows.add(new Row("POST /api/admin/backup", (role, rel) -> role == Role.ADMIN ? "201" : "403 FORBIDDEN",
                (token, role, rel) -> status(server.post("/api/admin/backup", token, new JsonObject().put("name", "acc-" + seq.incrementAndGet())))));
        rows.add(new Row("GET /api/boards/:id/export", AccessMatrixTest::readOutcome,
                (token, role, rel) -> status(server.get("/api/boards/" + boardOf.get(rel) + "/export", token))));
        rows.add(new Row("GET /api/boards/:id/export.csv", AccessMatrixTest::readOutcome,
                (token, role, rel) -> status(server.get("/api/boards/" + boardOf.get(rel) + "/export.csv", token))));
        rows.add(new Row("POST /api/boards/import", (role, rel) -> writes(role, rel) ? "201" : "403 FORBIDDEN",
                (token, role, rel) -> status(server.post("/api/boards/import", token, new JsonObject().put("format", "linkboard")
                        .put("unit", rel.unit).put("data", new JsonObject().put("items", new JsonObject()))))));
        rows.add(new Row("GET /api/boards/:id/activity", AccessMatrixTest::readOutcome,
                (token, role, rel) -> status(server.get("/api/boards/" + boardOf.get(rel) + "/activity", token))));
        rows.add(new Row("GET /api/boards/:id/versions", AccessMatrixTest::readOutcome,
                (token, role, rel) -> status(server.get("/api/boards/" + boardOf.get(rel) + "/versions", token))));
        rows.add(new Row("POST /api/boards/:id/versions", writeOutcome,
                (token, role, rel) -> status(server.post("/api/boards/" + boardOf.get(rel) + "/versions", token, new JsonObject().put("name", "v")))));
        rows.add(new Row("POST /api/boards/:id/restore", (role, rel) -> writeOutcome.apply(role, rel).replace("201", "200"),
                (token, role, rel) -> {
                    long version = server.get("/api/boards/" + boardOf.get(rel), rootAdmin).bodyAsJsonObject().getLong("version");
                    return status(server.post("/api/boards/" + boardOf.get(rel) + "/restore", token, new JsonObject().put("version", version)));
                }));
        rows.add(new Row("POST /api/webhooks",
                (role, rel) -> manages(role, rel) ? "201" : managesAnything(role) && !reads(role, rel) ? "404 NOT_FOUND" : "403 FORBIDDEN",
                (token, role, rel) -> {
                    HttpResponse<Buffer> r = server.post("/api/webhooks", token, hookBody(rel));
                    if (r.statusCode() == 201) deleteHook(r.bodyAsJsonObject().getString("id"));
                    return status(r);
                }));
        rows.add(new Row("GET /api/webhooks", (role, rel) -> managesAnything(role) ? "200" : "403 FORBIDDEN",
                (token, role, rel) -> status(server.get("/api/webhooks", token))));
        BiFunction<Role, Rel, String> managedHook = (role, rel) -> manages(role, rel) ? "200" : "404 NOT_FOUND";
        rows.add(new Row("GET /api/webhooks/:id", managedHook, (token, role, rel) -> onHook(rel, id -> server.get("/api/webhooks/" + id, token))));
        rows.add(new Row("GET /api/webhooks/:id/deliveries", managedHook,
                (token, role, rel) -> onHook(rel, id -> server.get("/api/webhooks/" + id + "/deliveries", token))));
        rows.add(new Row("POST /api/webhooks/:id/replay", (role, rel) -> manages(role, rel) ? "202" : "404 NOT_FOUND",
                (token, role, rel) -> onHook(rel, id -> server.post("/api/webhooks/" + id + "/replay?since=0", token, null))));
        rows.add(new Row("DELETE /api/webhooks/:id", (role, rel) -> manages(role, rel) ? "204" : "404 NOT_FOUND",
                (token, role, rel) -> onHook(rel, id -> server.request(HttpMethod.DELETE, "/api/webhooks/" + id, token, null))));
        return rows;
    }

    static JsonObject hookBody(Rel rel) {
        // Port 9 (discard): nothing is delivered; the hook is deleted right after the call.
        return new JsonObject().put("url", "http://127.0.0.1:9/hook").put("board", boardOf.get(rel));
    }

    /** Runs a call on a hook the root admin made on the board of {@code rel}, then deletes the hook. */
    static String onHook(Rel rel, java.util.function.Function<String, HttpResponse<Buffer>> call) {
        HttpResponse<Buffer> created = server.post("/api/webhooks", rootAdmin, hookBody(rel));
        assertEquals(201, created.statusCode(), created.bodyAsString());
        String id = created.bodyAsJsonObject().getString("id");
        try {
            return status(call.apply(id));
        } finally {
            deleteHook(id);
        }
    }

    static void deleteHook(String id) {
        server.request(HttpMethod.DELETE, "/api/webhooks/" + id, rootAdmin, null);
    }

    /**
     * The module routes of CONTRACT §6, against three test plugins: {@code acc-risk} (enabled for
     * the units under {@code acc-parent}), {@code acc-off} (never enabled) and {@code acc-toggle}
     * (the target of the enable/disable and settings rows, so they cannot disturb the others).
     */
    static List<Row> moduleRows() {
        List<Row> rows = new ArrayList<>();
        BiFunction<Role, Rel, String> manageOutcome = (role, rel) -> manages(role, rel) ? "204" : "403 FORBIDDEN";
        BiFunction<Role, Rel, String> adminOnMissing = (role, rel) -> role == Role.ADMIN ? "404 NOT_FOUND" : "403 FORBIDDEN";
        rows.add(new Row("GET /api/modules", (role, rel) -> "200", (token, role, rel) -> status(server.get("/api/modules", token))));
        rows.add(new Row("GET /api/units/:unit/modules", AccessMatrixTest::readOutcome,
                (token, role, rel) -> status(server.get("/api/units/" + rel.unit + "/modules", token))));
        rows.add(new Row("PUT /api/units/:unit/modules/:moduleId", manageOutcome,
                (token, role, rel) -> status(server.request(HttpMethod.PUT, "/api/units/" + rel.unit + "/modules/acc-toggle", token, null))));
        rows.add(new Row("DELETE /api/units/:unit/modules/:moduleId", manageOutcome,
                (token, role, rel) -> status(server.request(HttpMethod.DELETE, "/api/units/" + rel.unit + "/modules/acc-toggle", token, null))));
        rows.add(new Row("GET /api/units/:unit/modules/:moduleId/settings", AccessMatrixTest::readOutcome,
                (token, role, rel) -> status(server.get("/api/units/" + rel.unit + "/modules/acc-toggle/settings", token))));
        rows.add(new Row("PUT /api/units/:unit/modules/:moduleId/settings", manageOutcome,
                (token, role, rel) -> status(server.request(HttpMethod.PUT, "/api/units/" + rel.unit + "/modules/acc-toggle/settings", token,
                        new JsonObject().put("threshold", 3)))));
        rows.add(new Row("POST /api/admin/plugins", (role, rel) -> role == Role.ADMIN ? "422 VALIDATION_FAILED" : "403 FORBIDDEN",
                (token, role, rel) -> status(server.post("/api/admin/plugins", token, io.vertx.core.buffer.Buffer.buffer("not a plugin")))));
        rows.add(new Row("POST /api/admin/plugins/:moduleId/start", adminOnMissing,
                (token, role, rel) -> status(server.post("/api/admin/plugins/no-such-module/start", token, null))));
        rows.add(new Row("POST /api/admin/plugins/:moduleId/stop", adminOnMissing,
                (token, role, rel) -> status(server.post("/api/admin/plugins/no-such-module/stop", token, null))));
        rows.add(new Row("DELETE /api/admin/plugins/:moduleId", adminOnMissing,
                (token, role, rel) -> status(server.request(HttpMethod.DELETE, "/api/admin/plugins/no-such-module", token, null))));
        // A module's own routes follow the caller's unit: enabled there (acc-risk) or not (acc-off); admins always pass.
        rows.add(new Row("* /api/modules/:moduleId/*",
                (role, rel) -> rel != Rel.SIBLING || role == Role.ADMIN ? "200" : "403 MODULE_DISABLED",
                (token, role, rel) -> status(server.get("/api/modules/" + (rel == Rel.SIBLING ? "acc-off" : "acc-risk") + "/ping/x", token))));
        // Assets are public: browsers import ES modules without an Authorization header.
        rows.add(new Row(PUBLIC_ASSETS, (role, rel) -> "200",
                (token, role, rel) -> status(server.get("/api/modules/acc-risk/assets/risk.js", token))));
        return rows;
    }

    /** Notifications, settings, watching and user lookup (docs/collaboration.md). */
    static List<Row> collaborationRows() {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("GET /api/notifications", (role, rel) -> "200", (token, role, rel) -> status(server.get("/api/notifications", token))));
        rows.add(new Row("POST /api/notifications/read-all", (role, rel) -> "200",
                (token, role, rel) -> status(server.post("/api/notifications/read-all", token, new JsonObject()))));
        rows.add(new Row("POST /api/notifications/:nid/read", (role, rel) -> "404 NOT_FOUND",
                (token, role, rel) -> status(server.post("/api/notifications/not-yours/read", token, new JsonObject()))));
        rows.add(new Row("GET /api/me/settings", (role, rel) -> "200", (token, role, rel) -> status(server.get("/api/me/settings", token))));
        rows.add(new Row("PUT /api/me/settings", (role, rel) -> "200",
                (token, role, rel) -> status(server.request(HttpMethod.PUT, "/api/me/settings", token, new JsonObject().put("emailNotifications", "off")))));
        rows.add(new Row("GET /api/users/lookup", (role, rel) -> "200", (token, role, rel) -> status(server.get("/api/users/lookup?q=m-", token))));
        for (HttpMethod method : List.of(HttpMethod.POST, HttpMethod.DELETE)) {
            rows.add(new Row(method.name() + " /api/boards/:id/items/:item/watch", (role, rel) -> reads(role, rel) ? "204" : "404 NOT_FOUND",
                    (token, role, rel) -> {
                        String id = "w" + seq.incrementAndGet();
                        server.post("/api/boards/" + boardOf.get(rel) + "/ops", rootAdmin, new JsonObject().put("cid", id).put("op", card(id)));
                        return status(server.request(method, "/api/boards/" + boardOf.get(rel) + "/items/" + id + "/watch", token,
                                method == HttpMethod.POST ? new JsonObject() : null));
                    }));
        }
        String files = "/api/boards/:id/items/:item/attachments";
        rows.add(new Row("POST " + files, (role, rel) -> writes(role, rel) ? "201" : reads(role, rel) ? "403 FORBIDDEN" : "404 NOT_FOUND",
                (token, role, rel) -> {
                    String item = adminCreatesCard(rel);
                    return status(uploadText(token, rel, item));
                }));
        rows.add(new Row("GET " + files, AccessMatrixTest::readOutcome,
                (token, role, rel) -> status(server.get("/api/boards/" + boardOf.get(rel) + "/items/" + adminCreatesCard(rel) + "/attachments", token))));
        rows.add(new Row("GET " + files + "/:aid", AccessMatrixTest::readOutcome,
                (token, role, rel) -> {
                    String item = adminCreatesCard(rel);
                    String id = uploadText(rootAdmin, rel, item).bodyAsJsonObject().getString("id");
                    return status(server.get("/api/boards/" + boardOf.get(rel) + "/items/" + item + "/attachments/" + id, token));
                }));
        rows.add(new Row("DELETE " + files + "/:aid", (role, rel) -> writes(role, rel) ? "204" : reads(role, rel) ? "403 FORBIDDEN" : "404 NOT_FOUND",
                (token, role, rel) -> {
                    String item = adminCreatesCard(rel);
                    String id = uploadText(rootAdmin, rel, item).bodyAsJsonObject().getString("id");
                    return status(server.request(HttpMethod.DELETE, "/api/boards/" + boardOf.get(rel) + "/items/" + item + "/attachments/" + id, token, null));
                }));
        return rows;
    }

    static String adminCreatesCard(Rel rel) {
        String id = "f" + seq.incrementAndGet();
        server.post("/api/boards/" + boardOf.get(rel) + "/ops", rootAdmin, new JsonObject().put("cid", id).put("op", card(id)));
        return id;
    }

    static HttpResponse<Buffer> uploadText(String token, Rel rel, String item) {
        var client = io.vertx.ext.web.client.WebClient.create(server.clientVertx(),
                new io.vertx.ext.web.client.WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.port()));
        try {
            var form = io.vertx.ext.web.multipart.MultipartForm.create()
                    .textFileUpload("file", "note.txt", Buffer.buffer("a note"), "text/plain");
            var req = client.post("/api/boards/" + boardOf.get(rel) + "/items/" + item + "/attachments");
            if (token != null) req.putHeader("Authorization", "Bearer " + token);
            return org.linkboard.server.testing.Await.result(req.sendMultipartForm(form), 30);
        } finally {
            client.close();
        }
    }
    static final String PUBLIC_ASSETS = "GET /api/modules/:moduleId/assets/*";

    static String readOutcome(Role role, Rel rel) {
        return reads(role, rel) ? "200" : "404 NOT_FOUND";
    }

    // ---- fixture ------------------------------------------------------------------------------------

    static TestServer server;
    static String rootAdmin;
    static final Map<Role, String> tokens = new EnumMap<>(Role.class);
    static final Map<Rel, String> boardOf = new EnumMap<>(Rel.class);
    static final AtomicInteger seq = new AtomicInteger();

    @BeforeAll
    static void start() {
        try {
            Path plugins = Files.createTempDirectory("acc-plugins");
            for (String id : List.of("acc-risk", "acc-off", "acc-toggle")) TestPlugins.risk(id, "1.0.0").writeTo(plugins);
            server = TestServer.start(o -> o.pluginsDir(plugins));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        rootAdmin = server.adminToken();
        server.createUnit(rootAdmin, "acc-parent", "department", "university");
        server.createUnit(rootAdmin, "acc-own", "college", "acc-parent");
        server.createUnit(rootAdmin, "acc-child", "department", "acc-own");
        server.createUnit(rootAdmin, "acc-sibling", "college", "acc-parent");
        assertEquals(204, server.request(HttpMethod.PUT, "/api/units/acc-own/modules/acc-risk", rootAdmin, null).statusCode());
        for (Role role : Role.values()) {
            server.createUser(rootAdmin, username(role), "acc-own", role.name);
            tokens.put(role, server.login(username(role), username(role) + "-pw"));
        }
        for (Rel rel : Rel.values()) {
            boardOf.put(rel, server.createBoard(rootAdmin, "board of " + rel.unit, rel.unit));
            server.createUser(rootAdmin, "resident-" + rel.unit, rel.unit, "editor");
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String username(Role role) {
        return "m-" + role.name;
    }

    @TestFactory
    Stream<DynamicTest> everyRoleOnEveryRelatedUnit() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Row row : rows()) {
            for (Role role : Role.values()) {
                for (Rel rel : Rel.values()) {
                    String expected = row.expected().apply(role, rel);
                    tests.add(DynamicTest.dynamicTest(row.route() + " as " + role.name + " on " + rel.name().toLowerCase() + " unit → " + expected,
                            () -> assertEquals(expected, row.action().run(tokens.get(role), role, rel),
                                    row.route() + " as " + role.name + " on the " + rel.name().toLowerCase() + " unit")));
                }
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> withoutATokenEverythingButLoginIsUnauthenticated() {
        return rows().stream().map(row -> {
            String expected = row.route().equals("POST /api/auth/login") || row.route().equals(PUBLIC_ASSETS) ? "200"
                    : row.route().startsWith("WS ") ? "error UNAUTHENTICATED, close 4401" : UNAUTHENTICATED;
            return DynamicTest.dynamicTest(row.route() + " without a token → " + expected, () -> {
                String actual = row.action().run(null, null, Rel.OWN);
                assertEquals(expected, actual);
            });
        });
    }

    @Test
    void everyMountedApiRouteHasARow() {
        Set<String> covered = new TreeSet<>();
        rows().forEach(r -> covered.add(r.route()));
        List<String> mounted = server.server().apiRoutes();
        assertTrue(mounted.contains("GET /api/boards/:id"), "route enumeration works: " + mounted);
        List<String> missing = mounted.stream().filter(r -> !covered.contains(r)).toList();
        assertEquals(List.of(), missing, "routes without a row in AccessMatrixTest.rows(): say who may call them");
        List<String> stale = covered.stream().filter(r -> !r.startsWith("WS ") && !mounted.contains(r)).toList();
        assertEquals(List.of(), stale, "rows for routes that are not mounted");
    }

    @Test
    void aBoardOutsideTheReadScopeAnswersExactlyLikeOneThatDoesNotExist() {
        String hidden = boardOf.get(Rel.SIBLING);
        String missing = "no-such-board";
        String token = tokens.get(Role.UNIT_ADMIN);
        List<HttpMethod> methods = List.of(HttpMethod.GET, HttpMethod.GET, HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE);
        List<String> suffixes = List.of("", "/snapshot", "/ops?since=0", "/ops", "");
        for (int i = 0; i < suffixes.size(); i++) {
            Object body = methods.get(i) == HttpMethod.POST ? new JsonObject().put("cid", "probe").put("op", card("probe")) : null;
            HttpResponse<Buffer> a = server.request(methods.get(i), "/api/boards/" + hidden + suffixes.get(i), token, body);
            HttpResponse<Buffer> b = server.request(methods.get(i), "/api/boards/" + missing + suffixes.get(i), token, body);
            assertEquals(404, a.statusCode());
            assertEquals(b.bodyAsString().replace(missing, "ID"), a.bodyAsString().replace(hidden, "ID"), methods.get(i) + " " + suffixes.get(i));
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    static String status(HttpResponse<Buffer> r) {
        if (r.statusCode() < 300) return String.valueOf(r.statusCode());
        JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
        return r.statusCode() + " " + error.getString("code");
    }

    static String wsError(WsClient ws, JsonObject m, String board) {
        if (!"error".equals(m.getString("type"))) return m.getString("type");
        String code = m.getJsonObject("error").getString("code");
        if (code.equals("UNAUTHENTICATED")) return "error UNAUTHENTICATED, close " + ws.awaitClose();
        // Join errors name the board, and nothing else tells an outsider whether it exists.
        return board.equals(m.getString("board")) ? "error " + code : "error " + code + " without board";
    }

    static JsonObject card(String id) {
        return new JsonObject().put("kind", "create").put("id", id).put("type", "card").put("fields", new JsonObject().put("title", id));
    }

    static JsonObject userBody(String username, String unit, String... roles) {
        return new JsonObject().put("username", username).put("password", username + "-pw").put("name", username)
                .put("unit", unit).put("roles", new JsonArray(List.of(roles)));
    }

    static String adminCreatesUser(String username, String unit) {
        HttpResponse<Buffer> r = server.post("/api/users", rootAdmin, userBody(username, unit, "editor"));
        assertEquals(201, r.statusCode(), r.bodyAsString());
        return r.bodyAsJsonObject().getString("id");
    }
}

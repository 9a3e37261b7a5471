package org.linkboard.server.plugins;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.auth.UnitDirectory;
import org.linkboard.server.store.UnitRecord;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The module endpoints over real HTTP, behind a stand-in for the server's auth and failure handlers. */
// A hang is a bug; fail it instead of stalling the build (no timing is asserted).
@Timeout(60)
class ModuleRoutesTest {

    @TempDir
    Path plugins;

    Vertx vertx;
    ModuleHost host;
    HttpServer server;
    java.net.http.HttpClient jdk;

    static final Map<String, Principal> USERS = Map.of(
            "admin", new Principal("admin", "admin", "Admin", "university", Set.of(Principal.ADMIN)),
            "xuteli-admin", new Principal("xa", "xuteli-admin", "X Admin", "xuteli", Set.of(Principal.UNIT_ADMIN)),
            "xuteli-editor", new Principal("xe", "xuteli-editor", "X Editor", "xuteli", Set.of(Principal.EDITOR)),
            "mech-editor", new Principal("me", "mech-editor", "M Editor", "mech", Set.of(Principal.EDITOR)));

    record Answer(int status, Object body) {
        JsonObject object() { return (JsonObject) body; }
        JsonArray array() { return (JsonArray) body; }
        String code() { return object().getJsonObject("error").getString("code"); }
    }

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        UnitDirectory units = new UnitDirectory();
        units.put(new UnitRecord("university", "University", "university", null));
        units.put(new UnitRecord("xuteli", "Xuteli College", "college", "university"));
        units.put(new UnitRecord("mech", "Mechanical Engineering", "college", "university"));
        TestPlugins.risk("risk", "1.0.0").writeTo(plugins);
        host = new ModuleHost(vertx, new ModuleHostOptions().pluginsDir(plugins), ModuleStoreFake.create(), units);
        host.start().await();

        Router router = Router.router(vertx);
        ModuleRoutes.mountAssets(router, "/api", host);
        router.route("/api/*").handler(ctx -> {
            String who = ctx.request().getHeader("X-Test-User");
            if (who != null) ctx.put(Principal.CONTEXT_KEY, USERS.get(who));
            ctx.next();
        });
        ModuleRoutes.mount(router, "/api", host, units);
        router.route().failureHandler(ctx -> {
            Throwable f = ctx.failure();
            LinkboardException e = f instanceof LinkboardException le ? le
                    : new LinkboardException(org.linkboard.api.ErrorCode.INTERNAL, String.valueOf(f));
            JsonObject error = new JsonObject().put("code", e.code().name()).put("message", e.getMessage());
            if (!e.details().isEmpty()) error.put("details", new JsonObject(e.details()));
            ctx.response().setStatusCode(e.code().httpStatus()).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("error", error).encode());
        });
        server = vertx.createHttpServer().requestHandler(router).listen(0).await();
        jdk = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void tearDown() {
        host.close().await();
        vertx.close().await();
    }

    private Answer call(HttpMethod method, String uri, String user, Buffer body) {
        // The JDK client: Vert.x 5.0.7's HttpClient now and then never completes a request here
        // (seen with and without keep-alive), which made these tests hang at random.
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + server.actualPort() + uri))
                .timeout(java.time.Duration.ofSeconds(20))
                .method(method.name(), body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.getBytes()));
        if (user != null) b.header("X-Test-User", user);
        try {
            java.net.http.HttpResponse<byte[]> r = jdk.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            byte[] bytes = r.body();
            String type = r.headers().firstValue("Content-Type").orElse("");
            return new Answer(r.statusCode(), bytes.length == 0 ? null
                    : type.startsWith("application/json") ? Json.decodeValue(Buffer.buffer(bytes))
                    : new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new AssertionError(method + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private Answer call(HttpMethod method, String uri, String user) {
        return call(method, uri, user, null);
    }

    @Test
    void anyUserListsTheModulesWithTheirStateAndTypes() {
        Answer a = call(HttpMethod.GET, "/api/modules", "mech-editor");
        assertEquals(200, a.status());
        JsonObject risk = a.array().getJsonObject(0);
        assertEquals("risk", risk.getString("id"));
        assertEquals("STARTED", risk.getString("state"));
        assertEquals("risk", risk.getJsonArray("itemTypes").getJsonObject(0).getString("id"));
    }

    @Test
    void listingModulesNeedsAUser() {
        assertEquals("UNAUTHENTICATED", call(HttpMethod.GET, "/api/modules", null).code());
    }

    @Test
    void unitAdminEnablesAModuleForItsUnitAndItsSubtreeSeesIt() {
        assertEquals(204, call(HttpMethod.PUT, "/api/units/xuteli/modules/risk", "xuteli-admin").status());

        JsonArray mods = call(HttpMethod.GET, "/api/units/xuteli/modules", "xuteli-editor").array();
        assertEquals(true, mods.getJsonObject(0).getBoolean("enabled"));
        JsonArray mech = call(HttpMethod.GET, "/api/units/mech/modules", "admin").array();
        assertEquals(false, mech.getJsonObject(0).getBoolean("enabled"));
    }

    @Test
    void deleteSwitchesAModuleOffForAUnitEvenWhenItsParentHasItOn() {
        call(HttpMethod.PUT, "/api/units/university/modules/risk", "admin");
        assertEquals(204, call(HttpMethod.DELETE, "/api/units/xuteli/modules/risk", "xuteli-admin").status());
        assertEquals(false, call(HttpMethod.GET, "/api/units/xuteli/modules", "admin").array().getJsonObject(0).getBoolean("enabled"));
    }

    @Test
    void editorsAndUnitAdminsOfOtherUnitsCannotSwitchModules() {
        assertEquals("FORBIDDEN", call(HttpMethod.PUT, "/api/units/xuteli/modules/risk", "xuteli-editor").code());
        assertEquals("FORBIDDEN", call(HttpMethod.PUT, "/api/units/mech/modules/risk", "xuteli-admin").code());
        assertEquals("NOT_FOUND", call(HttpMethod.PUT, "/api/units/xuteli/modules/nope", "admin").code());
    }

    @Test
    void unitModulesOutsideTheCallersChainAreNotFound() {
        assertEquals("NOT_FOUND", call(HttpMethod.GET, "/api/units/xuteli/modules", "mech-editor").code());
        assertEquals(200, call(HttpMethod.GET, "/api/units/university/modules", "mech-editor").status());
    }

    @Test
    void moduleRoutesAnswerModuleDisabledToUsersWhoseUnitLacksTheModuleExceptAdmins() {
        call(HttpMethod.PUT, "/api/units/xuteli/modules/risk", "admin");

        Answer ok = call(HttpMethod.GET, "/api/modules/risk/ping/there", "xuteli-editor");
        assertEquals(200, ok.status());
        assertEquals("there", ok.object().getString("pong"));
        assertEquals("MODULE_DISABLED", call(HttpMethod.GET, "/api/modules/risk/ping/there", "mech-editor").code());
        assertEquals(200, call(HttpMethod.GET, "/api/modules/risk/ping/there", "admin").status());
    }

    @Test
    void settingsAreValidatedAgainstTheModulesSchema() {
        Answer bad = call(HttpMethod.PUT, "/api/units/xuteli/modules/risk/settings", "xuteli-admin",
                Buffer.buffer("{\"threshold\": 9}"));
        assertEquals(422, bad.status());
        assertEquals("threshold", bad.object().getJsonObject("error").getJsonObject("details").getString("field"));

        assertEquals(204, call(HttpMethod.PUT, "/api/units/university/modules/risk/settings", "admin",
                Buffer.buffer("{\"threshold\": 3}")).status());
        JsonObject read = call(HttpMethod.GET, "/api/units/xuteli/modules/risk/settings", "xuteli-editor").object();
        assertEquals(3, read.getJsonObject("settings").getInteger("threshold"));
    }

    @Test
    void onlyAdminsUploadPluginsAndUploadsStartWithoutRestart() throws Exception {
        Buffer jar = Buffer.buffer(TestPlugins.risk("risk-two", "1.0.0").bytes());
        assertEquals("FORBIDDEN", call(HttpMethod.POST, "/api/admin/plugins", "xuteli-admin", jar).code());

        Answer a = call(HttpMethod.POST, "/api/admin/plugins", "admin", jar);
        assertEquals(201, a.status());
        assertEquals("STARTED", a.object().getString("state"));
        assertEquals("CONFLICT", call(HttpMethod.POST, "/api/admin/plugins", "admin", jar).code());
        assertEquals(201, call(HttpMethod.POST, "/api/admin/plugins?replace=true", "admin", jar).status());
        assertEquals("VALIDATION_FAILED", call(HttpMethod.POST, "/api/admin/plugins", "admin", Buffer.buffer("nope")).code());
    }

    @Test
    void adminsStopStartAndUnloadPlugins() {
        assertEquals("STOPPED", call(HttpMethod.POST, "/api/admin/plugins/risk/stop", "admin").object().getString("state"));
        assertEquals("STARTED", call(HttpMethod.POST, "/api/admin/plugins/risk/start", "admin").object().getString("state"));
        assertEquals("FORBIDDEN", call(HttpMethod.DELETE, "/api/admin/plugins/risk", "xuteli-admin").code());
        assertEquals(204, call(HttpMethod.DELETE, "/api/admin/plugins/risk", "admin").status());
        assertEquals(0, call(HttpMethod.GET, "/api/modules", "admin").array().size());
    }

    @Test
    void webAssetsAreServedWithoutAuthentication() {
        Answer a = call(HttpMethod.GET, "/api/modules/risk/assets/risk.js", null);
        assertEquals(200, a.status());
        assertTrue(a.body().toString().contains("export function render"));
        assertEquals(404, call(HttpMethod.GET, "/api/modules/risk/assets/../../../etc/passwd", null).status());
    }
}

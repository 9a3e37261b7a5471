package org.linkboard.plugins.checklist;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.linkboard.api.RouteResponse;
import org.linkboard.api.UserView;
import org.linkboard.server.auth.AccessPolicy;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.auth.UnitDirectory;
import org.linkboard.server.board.AppliedOp;
import org.linkboard.server.board.AppliedOps;
import org.linkboard.server.board.BoardRegistry;
import org.linkboard.server.board.LocalCodec;
import org.linkboard.server.board.OpCodec;
import org.linkboard.server.plugins.InstalledModule;
import org.linkboard.server.plugins.ModuleHostOptions;
import org.linkboard.server.plugins.ModuleState;
import org.linkboard.server.plugins.ModuleSystem;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.UnitRecord;
import org.linkboard.server.store.embedded.SqliteStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged plugin jar, loaded by PF4J into a real module host over the real board engine. */
@Timeout(60)
class ChecklistPluginIT {

    @TempDir
    Path dir;

    Vertx vertx;
    SqliteStore store;
    BoardRegistry boards;
    ModuleSystem modules;

    static final Principal EDITOR = new Principal("xe", "xuteli-editor", "X Editor", "xuteli", Set.of(Principal.EDITOR));

    @BeforeEach
    void setUp() throws Exception {
        Path jar = Path.of(System.getProperty("plugin.jar", "target/example-checklist.jar"));
        assertTrue(Files.isRegularFile(jar), "the plugin jar is built before integration tests: " + jar);
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(jar, plugins.resolve(jar.getFileName()));

        vertx = Vertx.vertx();
        vertx.eventBus().registerDefaultCodec(AppliedOp.class, new LocalCodec<>(AppliedOp.class));
        vertx.eventBus().registerDefaultCodec(AppliedOps.class, new LocalCodec<>(AppliedOps.class));
        UnitDirectory units = new UnitDirectory();
        UnitRecord root = new UnitRecord("university", "University", "university", null);
        UnitRecord xuteli = new UnitRecord("xuteli", "Xuteli College", "college", "university");
        units.putAll(List.of(root, xuteli));
        store = new SqliteStore(vertx, dir.resolve("data"));
        store.open().await();
        store.createUnit(root).await();
        store.createUnit(xuteli).await();
        store.createBoard(new BoardRecord("xb", "Onboarding", "xuteli", 1L, 0, false)).await();
        boards = new BoardRegistry(vertx, store, new AccessPolicy(units), List.of(vertx.getOrCreateContext()), 1000);
        modules = ModuleSystem.start(vertx, new ModuleHostOptions().pluginsDir(plugins), store, units, boards).await();
        modules.host().enablement().set("xuteli", ChecklistModule.ID, true).await();
    }

    @AfterEach
    void tearDown() {
        modules.close().await();
        boards.drainAll().await();
        store.close().await();
        vertx.close().await();
    }

    private long submit(String json) {
        return boards.submit("xb", OpCodec.decode(new JsonObject(json)), EDITOR, "c" + System.nanoTime()).await();
    }

    @Test
    void packagedPluginStartsWithItsManifestAndTypes() {
        InstalledModule m = modules.host().module(ChecklistModule.ID);
        assertEquals(ModuleState.STARTED, m.state(), String.valueOf(m.error()));
        assertEquals("Checklists", m.name());
        assertNotNull(modules.host().itemType("example-checklist:checklist"));
        assertTrue(m.describe().get("webEntry").toString().endsWith("/assets/checklist.js"));
        assertTrue(modules.host().asset(ChecklistModule.ID, "checklist.js").await().toString().contains("render"));
    }

    @Test
    void automationAndRouteWorkThroughTheServer() {
        Promise<AppliedOp> completed = Promise.promise();
        vertx.eventBus().<AppliedOps>localConsumer(AppliedOp.ADDRESS, m -> m.body().forEach(a -> {
            if ("system".equals(a.by())) completed.tryComplete(a);
        }));
        submit("""
                {"kind":"create","id":"c1","type":"example-checklist:checklist","fields":{"title":"Welcome Dr. Li"}}""");
        submit("""
                {"kind":"create","id":"t1","type":"example-checklist:task","parent":"c1","fields":{"title":"Visa"}}""");
        submit("""
                {"kind":"set","id":"t1","field":"done","value":true}""");

        // The listener's follow-up (stage → done) is made as the system user once t1 is durable.
        assertEquals(Map.of("kind", "set", "id", "c1", "field", "stage", "value", "done"),
                OpCodec.encode(completed.future().await().op()).getMap());
        RouteResponse r = modules.host().route(ChecklistModule.ID, "GET", "boards/xb/progress", Map.of(), null,
                new UserView("xe", "X Editor", "xuteli", Set.of("editor"))).await();
        @SuppressWarnings("unchecked")
        Map<String, Object> c1 = ((List<Map<String, Object>>) ((Map<String, Object>) r.json()).get("checklists")).get(0);
        assertEquals("done", c1.get("stage"));
        assertEquals(1L, ((Number) c1.get("done")).longValue());
    }
}

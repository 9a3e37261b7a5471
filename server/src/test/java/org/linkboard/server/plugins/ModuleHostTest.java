package org.linkboard.server.plugins;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.ItemView;
import org.linkboard.api.LinkboardException;
import org.linkboard.api.LinkboardModule;
import org.linkboard.api.OpContext;
import org.linkboard.api.OpView;
import org.linkboard.api.RouteResponse;
import org.linkboard.api.UserView;
import org.linkboard.server.auth.UnitDirectory;
import org.linkboard.server.store.UnitRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

// A hang is a bug; fail it instead of stalling the build (no timing is asserted).
@Timeout(60)
class ModuleHostTest {

    @TempDir
    Path plugins;

    Vertx vertx;
    org.linkboard.server.store.Store store;
    UnitDirectory units;
    ModuleHost host;

    static final UserView EDITOR = new UserView("u1", "Ed", "xuteli", Set.of("editor"));

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        store = ModuleStoreFake.create();
        units = new UnitDirectory();
        units.put(new UnitRecord("university", "University", "university", null));
        units.put(new UnitRecord("xuteli", "Xuteli College", "college", "university"));
        units.put(new UnitRecord("mech", "Mechanical Engineering", "college", "university"));
    }

    @AfterEach
    void tearDown() {
        if (host != null) host.close().await();
        vertx.close().await();
    }

    private ModuleHost startHost() {
        host = new ModuleHost(vertx, new ModuleHostOptions().pluginsDir(plugins).hookBudgetMs(200), store, units);
        host.start().await();
        return host;
    }

    private void enable(String unit, String module) {
        host.enablement().set(unit, module, true).await();
    }

    private static OpContext setOn(String type, String field, Object value) {
        ItemView before = new ItemView("i1", type, null, "a0", Map.of("title", "x"), List.of());
        return new OpContext("b1", "xuteli", OpView.set("i1", type, field, value), before, EDITOR, null);
    }

    private static LinkboardException rejection(Future<?> f) {
        Throwable t = assertThrows(Throwable.class, f::await);
        assertTrue(t instanceof LinkboardException, "expected a LinkboardException, got " + t);
        return (LinkboardException) t;
    }

    @Test
    void loadsPluginJarsFromThePluginsDirAndListsTheirTypes() throws Exception {
        TestPlugins.risk("risk", "1.2.0").writeTo(plugins);
        startHost();

        InstalledModule m = host.module("risk");
        assertEquals(ModuleState.STARTED, m.state());
        assertEquals("Risks 1.2.0", m.name());
        assertEquals("1.2.0", m.version());
        assertNotNull(host.itemType("risk:risk"));
        Map<String, Object> listed = host.describe().get(0);
        assertEquals("risk", listed.get("id"));
        assertEquals("STARTED", listed.get("state"));
        assertEquals("/api/modules/risk/assets/risk.js", listed.get("webEntry"));
    }

    @Test
    void pluginThatThrowsInStartIsFailedWithTheReasonAndTheOthersRun() throws Exception {
        TestPlugins.broken("broken").writeTo(plugins);
        TestPlugins.risk("risk", "1.0.0").writeTo(plugins);
        startHost();

        InstalledModule broken = host.module("broken");
        assertEquals(ModuleState.FAILED, broken.state());
        assertTrue(broken.error().contains("boom at start"), broken.error());
        assertEquals(ModuleState.STARTED, host.module("risk").state());
        assertEquals("FAILED", host.describe().get(0).get("state"));
    }

    @Test
    void fileThatIsNotAPluginIsListedAsFailedAndTheServerRunsOn() throws Exception {
        Files.writeString(plugins.resolve("garbage.jar"), "not a zip at all");
        TestPlugins.risk("risk", "1.0.0").writeTo(plugins);
        startHost();

        assertEquals(ModuleState.FAILED, host.module("garbage").state());
        assertEquals(ModuleState.STARTED, host.module("risk").state());
    }

    @Test
    void pluginRequiringANewerApiIsFailedWithTheVersionsInTheReason() throws Exception {
        TestPlugins.risk("future", "1.0.0").requires("99.0.0").writeTo(plugins);
        startHost();

        InstalledModule m = host.module("future");
        assertEquals(ModuleState.FAILED, m.state());
        assertTrue(m.error().contains("99.0.0"), m.error());
    }

    @Test
    void pluginCannotLoadServerOrVertxClasses() throws Exception {
        TestPlugins.sneaky("sneaky").writeTo(plugins);
        TestPlugins.risk("risk", "1.0.0").writeTo(plugins);
        startHost();

        InstalledModule sneaky = host.module("sneaky");
        assertEquals(ModuleState.FAILED, sneaky.state());
        assertTrue(sneaky.error().contains("isolated: org.linkboard.server.auth.Principal"), sneaky.error());

        ClassLoader cl = host.classLoader("risk");
        assertThrows(ClassNotFoundException.class, () -> cl.loadClass("org.linkboard.server.plugins.ModuleHost"));
        assertThrows(ClassNotFoundException.class, () -> cl.loadClass("io.vertx.core.Vertx"));
        assertThrows(ClassNotFoundException.class, () -> cl.loadClass("org.xerial.sqlite.SQLiteJDBCLoader"));
        assertSame(LinkboardModule.class, cl.loadClass("org.linkboard.api.LinkboardModule"));
        assertSame(String.class, cl.loadClass("java.lang.String"));
        assertNull(cl.getResource("org/linkboard/server/plugins/ModuleHost.class"));
    }

    @Test
    void validateHookRejectsWithItsCodeAndField() throws Exception {
        TestPlugins.risk("risk", "1.0.0").writeTo(plugins);
        startHost();
        enable("university", "risk");

        LinkboardException e = rejection(host.checkOp(setOn("risk:risk", "impact", 5)));
        assertEquals(ErrorCode.VALIDATION_FAILED, e.code());
        assertEquals("mitigation", e.details().get("field"));
        host.checkOp(setOn("risk:risk", "impact", 2)).await();
    }

    @Test
    void opsOnAModuleTypeAreRejectedWhereTheModuleIsNotEnabled() throws Exception {
        TestPlugins.risk("risk", "1.0.0").writeTo(plugins);
        startHost();
        enable("mech", "risk");

        assertEquals(ErrorCode.MODULE_DISABLED, rejection(host.checkOp(setOn("risk:risk", "impact", 2))).code());
    }

    @Test
    void deletingAnItemOfADisabledModuleIsAllowedSoUnitsCanCleanUp() throws Exception {
        TestPlugins.risk("risk", "1.0.0").writeTo(plugins);
        startHost();

        OpContext delete = new OpContext("b1", "xuteli", OpView.delete("i1", "risk:risk"), null, EDITOR, null);
        host.checkOp(delete).await();
    }

    @Test
    void opsOnBuiltInTypesAreNotTheHostsConcern() {
        startHost();
        assertFalse(host.concerns("card"));
        assertTrue(host.concerns("risk:risk"));
        host.checkOp(setOn("card", "title", "x")).await();
    }

    @Test
    void hookThatThrowsRejectsWithInternalAndTheServerGoesOn() throws Exception {
        TestPlugins.moody("moody", false).writeTo(plugins);
        startHost();
        enable("university", "moody");

        LinkboardException e = rejection(host.checkOp(setOn("moody:thing", "mode", "throw")));
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertNotNull(e.details().get("incident"));
        host.checkOp(setOn("moody:thing", "mode", "calm")).await();
        assertEquals(ModuleState.STARTED, host.module("moody").state());
    }

    @Test
    void hookThatSleepsPastItsBudgetRejectsWithInternalWithoutHoldingTheEventLoop() throws Exception {
        TestPlugins.moody("moody", false).writeTo(plugins);
        startHost();
        enable("university", "moody");

        io.vertx.core.Context loop = vertx.getOrCreateContext();
        java.util.concurrent.atomic.AtomicBoolean loopRanMeanwhile = new java.util.concurrent.atomic.AtomicBoolean();
        Future<Boolean> outcome = Future.future(p -> loop.runOnContext(v -> {
            Future<Void> check = host.checkOp(setOn("moody:thing", "mode", "sleep"));
            // Queued behind this task on the same event loop: it runs during the hook's sleep
            // only if the hook is not running on the loop.
            loop.runOnContext(x -> loopRanMeanwhile.set(true));
            check.onComplete(ar -> {
                if (ar.succeeded()) p.fail("the sleeping hook's op was accepted");
                else if (!(ar.cause() instanceof LinkboardException le) || le.code() != ErrorCode.INTERNAL) p.fail(ar.cause());
                else p.complete(loopRanMeanwhile.get());
            });
        }));
        assertTrue(outcome.await(), "the event loop was held while the hook slept");
    }

    @Test
    void failOpenModuleLetsTheOpThroughWhenItsHookFails() throws Exception {
        TestPlugins.moody("lenient", true).writeTo(plugins);
        startHost();
        enable("university", "lenient");

        host.checkOp(setOn("lenient:thing", "mode", "throw")).await();
        host.checkOp(setOn("lenient:thing", "mode", "sleep")).await();
    }

    @Test
    void moduleWhoseHooksFailFiveTimesInARowIsMarkedFailedAndStopped() throws Exception {
        TestPlugins.moody("moody", false).writeTo(plugins);
        startHost();
        enable("university", "moody");

        for (int i = 0; i < 5; i++) rejection(host.checkOp(setOn("moody:thing", "mode", "throw")));
        // The stop is serialised behind other admin work; a start request queues after it.
        waitForState("moody", ModuleState.FAILED);
        assertTrue(host.module("moody").error().contains("5 times in a row"), host.module("moody").error());
        assertEquals(ErrorCode.MODULE_DISABLED, rejection(host.checkOp(setOn("moody:thing", "mode", "calm"))).code());

        assertEquals(ModuleState.STARTED, host.startModule("moody").await().state());
        host.checkOp(setOn("moody:thing", "mode", "calm")).await();
    }

    private void waitForState(String id, ModuleState expected) {
        // Admin steps run in order: once this no-op stop of an unknown id has run, earlier steps have too.
        host.stopModule("no-such-module").otherwiseEmpty().await();
        assertEquals(expected, host.module(id).state());
    }

    @Test
    void installStartsAnUploadedPluginWithoutRestart() throws Exception {
        startHost();
        InstalledModule m = host.install(Buffer.buffer(TestPlugins.risk("risk", "1.0.0").bytes()), false).await();

        assertEquals(ModuleState.STARTED, m.state());
        assertTrue(Files.exists(plugins.resolve("risk-1.0.0.jar")));
        assertNotNull(host.itemType("risk:risk"));
    }

    @Test
    void installRejectsAFileThatIsNotAJar() {
        startHost();
        LinkboardException e = rejection(host.install(Buffer.buffer("hello, not a jar"), false));
        assertEquals(ErrorCode.VALIDATION_FAILED, e.code());
    }

    @Test
    void installRejectsAJarWithoutPluginId() throws Exception {
        startHost();
        byte[] jar = TestPlugins.risk("risk", "1.0.0").withoutPluginId().bytes();
        LinkboardException e = rejection(host.install(Buffer.buffer(jar), false));
        assertEquals(ErrorCode.VALIDATION_FAILED, e.code());
        assertEquals("Plugin-Id", e.details().get("field"));
    }

    @Test
    void installRejectsAPluginIdThatCouldEscapeThePluginsDir() throws Exception {
        startHost();
        byte[] jar = PluginJar.of("../evil").bytes();
        assertEquals(ErrorCode.VALIDATION_FAILED, rejection(host.install(Buffer.buffer(jar), false)).code());
        try (var files = Files.list(plugins.getParent())) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("evil")));
        }
    }

    @Test
    void installOfAnInstalledIdIsAConflictUnlessReplacing() throws Exception {
        startHost();
        host.install(Buffer.buffer(TestPlugins.risk("risk", "1.0.0").bytes()), false).await();

        LinkboardException e = rejection(host.install(Buffer.buffer(TestPlugins.risk("risk", "1.1.0").bytes()), false));
        assertEquals(ErrorCode.CONFLICT, e.code());

        InstalledModule replaced = host.install(Buffer.buffer(TestPlugins.risk("risk", "1.1.0").bytes()), true).await();
        assertEquals("1.1.0", replaced.version());
        assertEquals("Risks 1.1.0", host.module("risk").name());
        assertEquals(ModuleState.STARTED, replaced.state());
        assertFalse(Files.exists(plugins.resolve("risk-1.0.0.jar")));
        assertTrue(Files.exists(plugins.resolve("risk-1.1.0.jar")));
    }

    @Test
    void stoppedModuleKeepsItsTypesButRejectsChangesWithModuleDisabled() throws Exception {
        TestPlugins.risk("risk", "1.0.0").writeTo(plugins);
        startHost();
        enable("university", "risk");

        assertEquals(ModuleState.STOPPED, host.stopModule("risk").await().state());
        assertNotNull(host.itemType("risk:risk"));
        assertEquals(ErrorCode.MODULE_DISABLED, rejection(host.checkOp(setOn("risk:risk", "impact", 1))).code());

        host.startModule("risk").await();
        host.checkOp(setOn("risk:risk", "impact", 1)).await();
    }

    @Test
    void unloadRemovesTheModuleItsTypesAndItsFile() throws Exception {
        Path jar = TestPlugins.risk("risk", "1.0.0").writeTo(plugins);
        startHost();

        host.unload("risk").await();
        assertNull(host.module("risk"));
        assertNull(host.itemType("risk:risk"));
        assertFalse(Files.exists(jar));
        assertEquals(ErrorCode.NOT_FOUND, rejection(host.unload("risk")).code());
    }

    @Test
    void moduleRouteAnswersWithPathParamsAndTheCaller() throws Exception {
        TestPlugins.risk("risk", "1.0.0").writeTo(plugins);
        startHost();

        RouteResponse r = host.route("risk", "GET", "ping/hello", Map.of(), null, EDITOR).await();
        assertEquals(200, r.status());
        assertEquals(Map.of("pong", "hello", "by", "u1"), r.json());
        assertEquals(ErrorCode.NOT_FOUND, rejection(host.route("risk", "GET", "nope", Map.of(), null, EDITOR)).code());
    }

    @Test
    void assetsComeFromThePluginJarOnly() throws Exception {
        TestPlugins.risk("risk", "1.0.0").writeTo(plugins);
        startHost();

        assertTrue(host.asset("risk", "risk.js").await().toString().contains("export function render"));
        assertEquals(ErrorCode.NOT_FOUND, rejection(host.asset("risk", "../META-INF/MANIFEST.MF")).code());
        assertEquals(ErrorCode.NOT_FOUND, rejection(host.asset("risk", "nothing.js")).code());
    }
}

package org.linkboard.server.plugins;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.linkboard.api.BoardView;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;
import org.linkboard.server.auth.AccessPolicy;
import org.linkboard.server.auth.Principal;
import org.linkboard.server.auth.UnitDirectory;
import org.linkboard.server.board.AppliedOp;
import org.linkboard.server.board.AppliedOps;
import org.linkboard.server.board.BoardRegistry;
import org.linkboard.server.board.LocalCodec;
import org.linkboard.server.board.Op;
import org.linkboard.server.board.OpCodec;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.UnitRecord;
import org.linkboard.server.store.embedded.SqliteStore;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Modules wired to the real board engine and store: gate, types, listeners and follow-up ops. */
@Timeout(60)
class ModuleSystemTest {

    @TempDir
    Path dir;

    Vertx vertx;
    SqliteStore store;
    BoardRegistry boards;
    ModuleSystem modules;
    final AtomicLong cids = new AtomicLong();

    static final Principal XUTELI_EDITOR = new Principal("xe", "xuteli-editor", "X Editor", "xuteli", Set.of(Principal.EDITOR));
    static final Principal MECH_EDITOR = new Principal("me", "mech-editor", "M Editor", "mech", Set.of(Principal.EDITOR));

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        vertx.eventBus().registerDefaultCodec(AppliedOp.class, new LocalCodec<>(AppliedOp.class));
        vertx.eventBus().registerDefaultCodec(AppliedOps.class, new LocalCodec<>(AppliedOps.class));
        UnitDirectory units = new UnitDirectory();
        units.put(new UnitRecord("university", "University", "university", null));
        units.put(new UnitRecord("xuteli", "Xuteli College", "college", "university"));
        units.put(new UnitRecord("mech", "Mechanical Engineering", "college", "university"));
        store = new SqliteStore(vertx, dir.resolve("data"));
        store.open().await();
        for (UnitRecord u : units.all()) {
            if (u.parent() == null) store.createUnit(u).await();
        }
        for (UnitRecord u : units.all()) {
            if (u.parent() != null) store.createUnit(u).await();
        }
        store.createBoard(new BoardRecord("xb", "Xuteli plan", "xuteli", 1L, 0, false)).await();
        store.createBoard(new BoardRecord("mb", "Mech plan", "mech", 1L, 0, false)).await();
        Path plugins = dir.resolve("plugins");
        TestPlugins.risk("risk", "1.0.0").writeTo(plugins);
        Context loop = vertx.getOrCreateContext();
        boards = new BoardRegistry(vertx, store, new AccessPolicy(units), List.of(loop), 1000);
        modules = ModuleSystem.start(vertx, new ModuleHostOptions().pluginsDir(plugins), store, units, boards).await();
        modules.host().enablement().set("xuteli", "risk", true).await();
    }

    @AfterEach
    void tearDown() {
        modules.close().await();
        boards.drainAll().await();
        store.close().await();
        vertx.close().await();
    }

    private Future<Long> submit(String board, Principal as, String json) {
        Op op = OpCodec.decode(new JsonObject(json));
        return boards.submit(board, op, as, "c" + cids.incrementAndGet());
    }

    private static LinkboardException rejection(Future<?> f) {
        Throwable t = assertThrows(Throwable.class, f::await);
        assertTrue(t instanceof LinkboardException, "expected a LinkboardException, got " + t);
        return (LinkboardException) t;
    }

    @Test
    void moduleItemIsCreatedWhereTheModuleIsEnabledWithItsFieldsValidated() {
        long seq = submit("xb", XUTELI_EDITOR, """
                {"kind":"create","id":"r1","type":"risk:risk","fields":{"title":"Visa delays","impact":2}}""").await();
        assertEquals(1, seq);

        LinkboardException e = rejection(submit("xb", XUTELI_EDITOR, """
                {"kind":"create","id":"r2","type":"risk:risk","fields":{"title":"Bad","impact":9}}"""));
        assertEquals(ErrorCode.VALIDATION_FAILED, e.code());
        assertEquals("impact", e.details().get("field"));
    }

    @Test
    void moduleHookRejectsThroughTheBoardActor() {
        LinkboardException e = rejection(submit("xb", XUTELI_EDITOR, """
                {"kind":"create","id":"r1","type":"risk:risk","fields":{"title":"Flood","impact":5}}"""));
        assertEquals(ErrorCode.VALIDATION_FAILED, e.code());
        assertEquals("mitigation", e.details().get("field"));
    }

    @Test
    void moduleItemOnABoardOfAUnitWithoutTheModuleIsModuleDisabled() {
        LinkboardException e = rejection(submit("mb", MECH_EDITOR, """
                {"kind":"create","id":"r1","type":"risk:risk","fields":{"title":"Visa delays"}}"""));
        assertEquals(ErrorCode.MODULE_DISABLED, e.code());
    }

    @Test
    void itemsOfAStoppedModuleStayButChangesAreModuleDisabled() {
        submit("xb", XUTELI_EDITOR, """
                {"kind":"create","id":"r1","type":"risk:risk","fields":{"title":"Visa delays"}}""").await();
        modules.host().stopModule("risk").await();

        assertEquals(ErrorCode.MODULE_DISABLED, rejection(submit("xb", XUTELI_EDITOR, """
                {"kind":"set","id":"r1","field":"impact","value":1}""")).code());
        BoardView view = new ModuleBoardAccess(boards).board("xb").await();
        assertNotNull(view.item("r1"));
    }

    @Test
    void listenerFollowUpIsAppliedAsTheSystemUser() {
        Promise<AppliedOp> followUp = Promise.promise();
        vertx.eventBus().<AppliedOps>localConsumer(AppliedOp.ADDRESS, m -> m.body().forEach(a -> {
            if ("system".equals(a.by())) followUp.tryComplete(a);
        }));

        submit("xb", XUTELI_EDITOR, """
                {"kind":"create","id":"r1","type":"risk:risk","fields":{"title":"Flood","impact":4,"mitigation":"Sandbags"}}""").await();

        AppliedOp op = followUp.future().await();
        assertEquals(2, op.seq());
        assertEquals(Map.of("kind", "set", "id", "r1", "field", "flagged", "value", true),
                OpCodec.encode(op.op()).getMap());
        assertEquals(true, new ModuleBoardAccess(boards).board("xb").await().item("r1").field("flagged"));
    }

    @Test
    void builtInOpsDoNotTouchModules() {
        assertEquals(1, submit("mb", MECH_EDITOR, """
                {"kind":"create","id":"l1","type":"lane","fields":{"title":"Todo"}}""").await());
    }
}

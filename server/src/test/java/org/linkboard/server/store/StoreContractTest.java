package org.linkboard.server.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
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
 * The {@link Store} contract, run against every implementation: each subclass opens its store
 * into {@link #store} (and sets {@link #vertx}) before every test and closes it after. The
 * subclasses add what only their store does (SQLite's group commit and crash safety, Redis's
 * compare-and-append and announcements).
 */
@ExtendWith(VertxExtension.class)
public abstract class StoreContractTest {

    protected Vertx vertx;
    protected Store store;

    @Test
    void appendedOpsReadBackInSeqOrderAndAdvanceTheBoardVersion() {
        board("b1");
        store.append("b1", List.of(op(1, "c1"), op(2, "c2"))).await();
        store.append("b1", List.of(op(3, "c3"))).await();

        List<LoggedOp> ops = store.readOps("b1", 0, 100).await();

        assertEquals(List.of(op(1, "c1"), op(2, "c2"), op(3, "c3")), ops);
        assertEquals(3, store.getBoard("b1").await().version());
    }

    @Test
    void appendToAnUnknownBoardFailsWithNotFound() {
        assertEquals(ErrorCode.NOT_FOUND, failure(store.append("nope", List.of(op(1, "c1")))).code());
    }

    @Test
    void readOpsReturnsOpsAfterSinceUpToLimit() {
        board("b1");
        appendSingles("b1", 10);

        assertEquals(List.of(4L, 5L, 6L), seqs(store.readOps("b1", 3, 3).await()));
        assertEquals(List.of(9L, 10L), seqs(store.readOps("b1", 8, 100).await()));
        assertEquals(List.of(), store.readOps("b1", 10, 100).await());
        assertEquals(List.of(), store.readOps("other", 0, 100).await());
    }

    @Test
    void readRecentOpsReturnsTheLastOpsInSeqOrder() {
        board("b1");
        appendSingles("b1", 20);

        assertEquals(List.of(18L, 19L, 20L), seqs(store.readRecentOps("b1", 3).await()));
        assertEquals(20, store.readRecentOps("b1", 10_000).await().size());
        assertEquals(List.of(), store.readRecentOps("other", 5).await());
    }

    @Test
    void findByCidFindsTheOpOfThatUserOnBoardOnly() {
        board("b1");
        board("b2");
        store.append("b1", List.of(op(1, "c1"), new LoggedOp(2, "{}", "u2", "c1", 5))).await();

        assertEquals(op(1, "c1"), store.findByCid("b1", "u1", "c1").await());
        assertEquals(2, store.findByCid("b1", "u2", "c1").await().seq());
        assertNull(store.findByCid("b1", "u3", "c1").await());
        assertNull(store.findByCid("b2", "u1", "c1").await());
        assertNull(store.findByCid("b1", "u1", "c9").await());
    }

    @Test
    void boardsAreCreatedListedAndArchived() {
        BoardRecord b1 = board("b1");
        BoardRecord b2 = board("b2");

        assertEquals(b1, store.getBoard("b1").await());
        assertNull(store.getBoard("nope").await());
        assertEquals(List.of(b1, b2), store.listBoards(false).await());

        store.archiveBoard("b1").await();
        assertTrue(store.getBoard("b1").await().archived());
        assertEquals(List.of(b2), store.listBoards(false).await());
        assertEquals(2, store.listBoards(true).await().size());
        assertEquals(ErrorCode.NOT_FOUND, failure(store.archiveBoard("nope")).code());
    }

    @Test
    void creatingABoardWithAnExistingIdFailsWithConflict() {
        board("b1");
        LinkboardException e = failure(store.createBoard(new BoardRecord("b1", "Other", "x", 2, 0, false)));
        assertEquals(ErrorCode.CONFLICT, e.code());
        assertEquals("B1", store.getBoard("b1").await().title());
    }

    @Test
    void unitsAreListedInCreationOrderAndDuplicateIdsConflict() {
        UnitRecord root = new UnitRecord("university", "University", "university", null);
        UnitRecord cs = new UnitRecord("cs", "Computer Science", "department", "university");
        store.createUnit(root).await();
        store.createUnit(cs).await();

        assertEquals(List.of(root, cs), store.listUnits().await());
        assertEquals(ErrorCode.CONFLICT,
                failure(store.createUnit(new UnitRecord("cs", "Again", "office", "university"))).code());
    }

    @Test
    void usersAreCreatedFoundListedAndDeleted() {
        UserRecord alice = user("u1", "alice");
        UserRecord bob = new UserRecord("u2", "bob", "Bob", "cs", List.of("viewer"), "hash2", 2);
        store.createUser(alice).await();
        store.createUser(bob).await();

        assertEquals(alice, store.getUser("u1").await());
        assertEquals(List.of("admin", "editor"), store.getUser("u1").await().roles());
        assertEquals(bob, store.findUserByUsername("bob").await());
        assertNull(store.findUserByUsername("carol").await());
        assertEquals(List.of(alice, bob), store.listUsers().await());

        assertTrue(store.deleteUser("u1").await());
        assertFalse(store.deleteUser("u1").await());
        assertNull(store.getUser("u1").await());
    }

    @Test
    void duplicateUserIdOrUsernameFailsWithConflict() {
        store.createUser(user("u1", "alice")).await();

        LinkboardException sameName = failure(store.createUser(user("u2", "alice")));
        LinkboardException sameId = failure(store.createUser(user("u1", "bob")));

        assertEquals(ErrorCode.CONFLICT, sameName.code());
        assertEquals("username", sameName.details().get("field"));
        assertEquals(ErrorCode.CONFLICT, sameId.code());
        assertEquals("id", sameId.details().get("field"));
        assertEquals(1, store.listUsers().await().size());
    }

    @Test
    void moduleEnablementIsSetAndNullMeansInherit() {
        store.setModuleEnabled("cs", "okr", true).await();
        store.setModuleEnabled("cs", "grants", false).await();
        store.setModuleEnabled("math", "okr", false).await();
        assertEquals(Map.of("cs", Map.of("okr", true, "grants", false), "math", Map.of("okr", false)),
                store.moduleEnablement().await());

        store.setModuleEnabled("cs", "grants", true).await();
        store.setModuleEnabled("math", "okr", null).await();
        assertEquals(Map.of("cs", Map.of("okr", true, "grants", true)), store.moduleEnablement().await());
    }

    @Test
    void moduleSettingsAreSavedReplacedAndRead() {
        assertNull(store.moduleSettings("cs", "okr").await());
        store.saveModuleSettings("cs", "okr", "{\"a\":1}").await();
        store.saveModuleSettings("cs", "okr", "{\"a\":2}").await();

        assertEquals("{\"a\":2}", store.moduleSettings("cs", "okr").await());
        assertNull(store.moduleSettings("math", "okr").await());
    }

    @Test
    void putMetaIfAbsentKeepsTheFirstValue() {
        assertNull(store.getMeta("jwt").await());
        assertEquals("first", store.putMetaIfAbsent("jwt", "first").await());
        assertEquals("first", store.putMetaIfAbsent("jwt", "second").await());
        assertEquals("first", store.getMeta("jwt").await());
    }

    @Test
    void futuresCompleteOnTheCallersContext(VertxTestContext test) {
        board("b1");
        Context first = vertx.getOrCreateContext();
        Context second = vertx.getOrCreateContext();
        assertNotSame(first, second);
        var checks = test.checkpoint(6);
        for (Context caller : List.of(first, second)) {
            caller.runOnContext(v -> {
                long seq = caller == first ? 1 : 2;
                // first appends seq 1; second's append of seq 2 may run first and fail: either way
                // the outcome must arrive on the caller's context.
                store.append("b1", List.of(op(seq, "c" + seq))).onComplete(ar -> test.verify(() -> {
                    assertSame(caller, Vertx.currentContext());
                    checks.flag();
                }));
                store.readOps("b1", 0, 10).onComplete(ar -> test.verify(() -> {
                    assertSame(caller, Vertx.currentContext());
                    assertTrue(ar.succeeded());
                    checks.flag();
                }));
                store.append("nope", List.of(op(1, "x"))).onComplete(ar -> test.verify(() -> {
                    assertSame(caller, Vertx.currentContext());
                    assertTrue(ar.failed());
                    checks.flag();
                }));
            });
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    protected BoardRecord board(String id) {
        BoardRecord board = new BoardRecord(id, id.toUpperCase(), "cs", 1_000 + id.hashCode() % 7, 0, false);
        return store.createBoard(board).await();
    }

    /** Appends ops 1..count one after the other (each waits for the previous, as a single writer would). */
    protected void appendSingles(String boardId, int count) {
        for (long seq = 1; seq <= count; seq++) {
            store.append(boardId, List.of(op(seq, "c" + seq))).await();
        }
    }

    protected static LoggedOp op(long seq, String cid) {
        return new LoggedOp(seq, "{\"kind\":\"set\",\"id\":\"i\",\"field\":\"n\",\"value\":" + seq + "}",
                "u1", cid, 1_700_000_000_000L + seq);
    }

    protected static UserRecord user(String id, String username) {
        return new UserRecord(id, username, "Name " + username, "cs", List.of("admin", "editor"),
                "hash-" + id, 1);
    }

    /** The failure of a future that must fail, as the LinkboardException it must be. */
    protected static LinkboardException failure(Future<?> future) {
        Throwable cause = future.transform(ar -> Future.<Throwable>succeededFuture(ar.failed() ? ar.cause() : null))
                .await();
        assertNotNull(cause, "expected the future to fail");
        return assertInstanceOf(LinkboardException.class, cause);
    }

    protected static List<Long> seqs(List<LoggedOp> ops) {
        return ops.stream().map(LoggedOp::seq).toList();
    }
}

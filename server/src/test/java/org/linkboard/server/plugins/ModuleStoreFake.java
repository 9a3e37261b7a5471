package org.linkboard.server.plugins;

import io.vertx.core.Future;
import org.linkboard.server.store.BoardRecord;
import org.linkboard.server.store.LoggedOp;
import org.linkboard.server.store.Snapshot;
import org.linkboard.server.store.Store;
import org.linkboard.server.store.UnitRecord;
import org.linkboard.server.store.UserRecord;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The module part of the Store SPI in memory; everything else is not needed by these tests. */
final class ModuleStoreFake implements Store {

    final Map<String, Map<String, Boolean>> enabled = new ConcurrentHashMap<>();
    final Map<String, String> settings = new ConcurrentHashMap<>();

    @Override
    public Future<Map<String, Map<String, Boolean>>> moduleEnablement() {
        Map<String, Map<String, Boolean>> copy = new ConcurrentHashMap<>();
        enabled.forEach((u, m) -> copy.put(u, Map.copyOf(m)));
        return Future.succeededFuture(copy);
    }

    @Override
    public Future<Void> setModuleEnabled(String unitId, String moduleId, Boolean on) {
        Map<String, Boolean> m = enabled.computeIfAbsent(unitId, k -> new ConcurrentHashMap<>());
        if (on == null) m.remove(moduleId);
        else m.put(moduleId, on);
        return Future.succeededFuture();
    }

    @Override
    public Future<String> moduleSettings(String unitId, String moduleId) {
        return Future.succeededFuture(settings.get(unitId + "/" + moduleId));
    }

    @Override
    public Future<Void> saveModuleSettings(String unitId, String moduleId, String json) {
        settings.put(unitId + "/" + moduleId, json);
        return Future.succeededFuture();
    }

    private static <T> Future<T> no() {
        return Future.failedFuture(new UnsupportedOperationException("not part of the module store fake"));
    }

    @Override public Future<Void> open() { return Future.succeededFuture(); }
    @Override public Future<Void> close() { return Future.succeededFuture(); }
    @Override public Future<Void> ping() { return Future.succeededFuture(); }
    @Override public Future<Void> append(String boardId, List<LoggedOp> ops) { return no(); }
    @Override public Future<List<LoggedOp>> readOps(String boardId, long since, int limit) { return no(); }
    @Override public Future<Snapshot> latestSnapshot(String boardId) { return no(); }
    @Override public Future<Void> saveSnapshot(String boardId, Snapshot snapshot) { return no(); }
    @Override public Future<BoardRecord> createBoard(BoardRecord board) { return no(); }
    @Override public Future<BoardRecord> getBoard(String boardId) { return no(); }
    @Override public Future<List<BoardRecord>> listBoards(boolean includeArchived) { return no(); }
    @Override public Future<Void> archiveBoard(String boardId) { return no(); }
    @Override public Future<UnitRecord> createUnit(UnitRecord unit) { return no(); }
    @Override public Future<List<UnitRecord>> listUnits() { return no(); }
    @Override public Future<UserRecord> createUser(UserRecord user) { return no(); }
    @Override public Future<UserRecord> getUser(String userId) { return no(); }
    @Override public Future<UserRecord> findUserByUsername(String username) { return no(); }
    @Override public Future<List<UserRecord>> listUsers() { return no(); }
    @Override public Future<Boolean> deleteUser(String userId) { return no(); }
    @Override public Future<String> getMeta(String key) { return no(); }
    @Override public Future<String> putMetaIfAbsent(String key, String value) { return no(); }
}

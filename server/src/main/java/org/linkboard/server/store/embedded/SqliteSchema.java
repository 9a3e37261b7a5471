package org.linkboard.server.store.embedded;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The SQLite schema of the embedded store and its forward migrations.
 *
 * <p>{@code schema_version} holds one row: the number of migrations applied. {@link #migrate}
 * applies the missing ones in order, each in its own transaction, so a crash mid-migration leaves
 * the database at the previous version. Migrations are append-only: never edit a released one,
 * add the next.
 *
 * <p>Called once by {@link SqliteStore#open()} on the writer thread; not thread-safe.
 */
final class SqliteSchema {

    /** Migration {@code i} (0-based) brings the schema from version {@code i} to {@code i + 1}. */
    private static final List<List<String>> MIGRATIONS = List.of(
            List.of(
                    """
                    create table boards(
                        id text primary key,
                        title text not null,
                        unit text not null,
                        created_at integer not null,
                        version integer not null default 0,
                        archived integer not null default 0)""",
                    // WITHOUT ROWID: the op log is read and written by (board, seq) only, so the
                    // primary key is the table and each insert touches one b-tree, not two.
                    """
                    create table ops(
                        board text not null references boards(id),
                        seq integer not null,
                        op_json text not null,
                        by_user text not null,
                        cid text,
                        at integer not null,
                        primary key(board, seq)) without rowid""",
                    // Dedup of a re-sent cid that fell out of the board actor's memory.
                    "create index ops_by_cid on ops(board, by_user, cid)",
                    """
                    create table snapshots(
                        board text not null references boards(id),
                        version integer not null,
                        items_json text not null,
                        primary key(board, version)) without rowid""",
                    """
                    create table units(
                        id text primary key,
                        name text not null,
                        kind text not null,
                        parent text)""",
                    """
                    create table users(
                        id text primary key,
                        username text not null unique,
                        name text,
                        unit text,
                        roles text not null,
                        password_hash text,
                        created_at integer not null)""",
                    """
                    create table module_enablement(
                        unit text not null,
                        module text not null,
                        enabled integer not null,
                        primary key(unit, module)) without rowid""",
                    """
                    create table module_settings(
                        unit text not null,
                        module text not null,
                        json text not null,
                        primary key(unit, module)) without rowid""",
                    "create table meta(key text primary key, value text not null)"),
            // 2: operations — audit log, webhooks with their delivery cursor, named versions.
            List.of(
                    """
                    create table audit(
                        id integer primary key autoincrement,
                        at integer not null,
                        actor text not null,
                        actor_name text,
                        action text not null,
                        target text,
                        details text)""",
                    "create index audit_at on audit(at)",
                    """
                    create table webhooks(
                        id text primary key,
                        url text not null,
                        secret text not null,
                        board text not null,
                        events text not null,
                        created_by text not null,
                        created_at integer not null,
                        cursor integer not null default 0)""",
                    """
                    create table board_versions(
                        board text not null,
                        name text not null,
                        version integer not null,
                        by_user text not null,
                        at integer not null)""",
                    "create index board_versions_board on board_versions(board, version)"),
            // 3: collaboration (docs/collaboration.md): notifications, watchers, once-only claims,
            // user settings, attachment metadata.
            List.of(
                    """
                    create table notifications(
                        id text primary key,
                        user_id text not null,
                        kind text not null,
                        board text,
                        item text,
                        by_user text,
                        text text not null,
                        at integer not null,
                        read integer not null default 0)""",
                    "create index notifications_by_user on notifications(user_id, at)",
                    """
                    create table watches(
                        board text not null,
                        item text not null,
                        user_id text not null,
                        primary key(board, item, user_id)) without rowid""",
                    "create table claims(key text primary key, at integer not null) without rowid",
                    "create table user_settings(user_id text primary key, json text not null)",
                    """
                    create table attachments(
                        id text primary key,
                        board text not null,
                        item text not null,
                        name text not null,
                        content_type text not null,
                        size integer not null,
                        by_user text,
                        at integer not null,
                        removed_at integer)""",
                    "create index attachments_by_item on attachments(board, item)",
                    "create index attachments_removed on attachments(removed_at)"),
            // 4: the cid index goes. Nothing in embedded mode reads it (the board actor dedups
            // from its own window of cids, CONTRACT §4), yet every op inserted into it at a
            // random place, a WAL page of its own (S4: ~5 % of the server's CPU per op).
            List.of("drop index if exists ops_by_cid"),
            // 5: a big board's snapshot is written in parts, one write each, so the commits of
            // every board run between them instead of waiting seconds behind one huge insert; its
            // snapshots row then holds '' and the parts hold the JSON, in idx order.
            List.of("""
                    create table if not exists snapshot_parts(
                        board text not null,
                        version integer not null,
                        idx integer not null,
                        part text not null,
                        primary key(board, version, idx)) without rowid"""));

    private SqliteSchema() {
    }

    /** The schema version this code writes. */
    static int latestVersion() {
        return MIGRATIONS.size();
    }

    /**
     * Brings the database to {@link #latestVersion()}. Fails when the database is newer than this
     * code (a downgrade would silently misread it).
     */
    static void migrate(Connection conn) throws SQLException {
        boolean autoCommit = conn.getAutoCommit();
        conn.setAutoCommit(false);
        try (Statement st = conn.createStatement()) {
            st.execute("create table if not exists schema_version(version integer not null)");
            int current;
            try (ResultSet rs = st.executeQuery("select version from schema_version")) {
                current = rs.next() ? rs.getInt(1) : -1;
            }
            if (current < 0) {
                st.execute("insert into schema_version(version) values (0)");
                current = 0;
            }
            conn.commit();
            if (current > latestVersion()) {
                throw new SQLException("database schema version " + current
                        + " is newer than this server's " + latestVersion());
            }
            for (int v = current; v < latestVersion(); v++) {
                for (String sql : MIGRATIONS.get(v)) {
                    st.execute(sql);
                }
                st.execute("update schema_version set version = " + (v + 1));
                conn.commit();
            }
        } catch (SQLException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(autoCommit);
        }
    }
}

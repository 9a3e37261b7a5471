package org.linkboard.server.store.embedded;

import org.linkboard.server.store.AttachmentRecord;
import org.linkboard.server.store.NotificationRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of the collaboration tables (notifications, watches, claims, user settings,
 * attachments; schema migration 2). Kept apart from {@link SqliteStore}, which runs these on its
 * reader pool or its writer thread. Stateless.
 */
final class SqliteCollab {

    private SqliteCollab() {
    }

    static Void addNotifications(Connection conn, List<NotificationRecord> list) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "insert or ignore into notifications(id, user_id, kind, board, item, by_user, text, at, read) values (?,?,?,?,?,?,?,?,?)")) {
            for (NotificationRecord n : list) {
                ps.setString(1, n.id());
                ps.setString(2, n.userId());
                ps.setString(3, n.kind());
                ps.setString(4, n.board());
                ps.setString(5, n.item());
                ps.setString(6, n.by());
                ps.setString(7, n.text());
                ps.setLong(8, n.at());
                ps.setInt(9, n.read() ? 1 : 0);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return null;
    }

    static List<NotificationRecord> listNotifications(Connection conn, String userId, boolean unreadOnly, long since, int limit)
            throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "select id, user_id, kind, board, item, by_user, text, at, read from notifications where user_id = ? and at >= ?"
                        + (unreadOnly ? " and read = 0" : "") + " order by at desc, id desc limit ?")) {
            ps.setString(1, userId);
            ps.setLong(2, since);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                List<NotificationRecord> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new NotificationRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8), rs.getInt(9) != 0));
                }
                return out;
            }
        }
    }

    static boolean markRead(Connection conn, String userId, String id) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("update notifications set read = 1 where user_id = ? and id = ?")) {
            ps.setString(1, userId);
            ps.setString(2, id);
            if (ps.executeUpdate() > 0) return true;
        }
        try (PreparedStatement ps = conn.prepareStatement("select 1 from notifications where user_id = ? and id = ?")) {
            ps.setString(1, userId);
            ps.setString(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static int markAllRead(Connection conn, String userId) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("update notifications set read = 1 where user_id = ? and read = 0")) {
            ps.setString(1, userId);
            return ps.executeUpdate();
        }
    }

    static Void setWatch(Connection conn, String board, String item, String user, boolean watching) throws SQLException {
        String sql = watching ? "insert or ignore into watches(board, item, user_id) values (?,?,?)"
                : "delete from watches where board = ? and item = ? and user_id = ?";
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, board);
            ps.setString(2, item);
            ps.setString(3, user);
            ps.executeUpdate();
        }
        return null;
    }

    static List<String> watchers(Connection conn, String board, String item) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("select user_id from watches where board = ? and item = ? order by user_id")) {
            ps.setString(1, board);
            ps.setString(2, item);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) out.add(rs.getString(1));
                return out;
            }
        }
    }

    static boolean claim(Connection conn, String key, long now) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("insert or ignore into claims(key, at) values (?, ?)")) {
            ps.setString(1, key);
            ps.setLong(2, now);
            return ps.executeUpdate() == 1;
        }
    }

    static String userSettings(Connection conn, String userId) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("select json from user_settings where user_id = ?")) {
            ps.setString(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static Void saveUserSettings(Connection conn, String userId, String json) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "insert into user_settings(user_id, json) values (?, ?) on conflict(user_id) do update set json = excluded.json")) {
            ps.setString(1, userId);
            ps.setString(2, json);
            ps.executeUpdate();
        }
        return null;
    }

    static boolean addAttachment(Connection conn, AttachmentRecord a, long boardLimit) throws SQLException {
        long used;
        try (PreparedStatement ps = conn.prepareStatement("select coalesce(sum(size), 0) from attachments where board = ?")) {
            ps.setString(1, a.board());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                used = rs.getLong(1);
            }
        }
        if (used + a.size() > boardLimit) return false;
        try (PreparedStatement ps = conn.prepareStatement(
                "insert into attachments(id, board, item, name, content_type, size, by_user, at, removed_at) values (?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, a.id());
            ps.setString(2, a.board());
            ps.setString(3, a.item());
            ps.setString(4, a.name());
            ps.setString(5, a.contentType());
            ps.setLong(6, a.size());
            ps.setString(7, a.by());
            ps.setLong(8, a.at());
            if (a.removedAt() == null) ps.setNull(9, Types.INTEGER); else ps.setLong(9, a.removedAt());
            ps.executeUpdate();
        }
        return true;
    }

    private static final String ATTACHMENT_COLUMNS = "select id, board, item, name, content_type, size, by_user, at, removed_at from attachments ";

    static List<AttachmentRecord> attachments(Connection conn, String where, Object... params) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(ATTACHMENT_COLUMNS + where)) {
            for (int i = 0; i < params.length; i++) ps.setObject(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                List<AttachmentRecord> out = new ArrayList<>();
                while (rs.next()) {
                    long removed = rs.getLong(9);
                    out.add(new AttachmentRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getLong(6), rs.getString(7), rs.getLong(8), rs.wasNull() ? null : removed));
                }
                return out;
            }
        }
    }

    static boolean deleteAttachment(Connection conn, String board, String id) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("delete from attachments where board = ? and id = ?")) {
            ps.setString(1, board);
            ps.setString(2, id);
            return ps.executeUpdate() > 0;
        }
    }

    static Void markRemoved(Connection conn, String board, List<String> items, Long at) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("update attachments set removed_at = ? where board = ? and item = ?")) {
            for (String item : items) {
                if (at == null) ps.setNull(1, Types.INTEGER); else ps.setLong(1, at);
                ps.setString(2, board);
                ps.setString(3, item);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return null;
    }
}

package org.linkboard.server.store.redis;

import org.linkboard.server.store.LoggedOp;

/**
 * How one op is kept in a board's op list: {@code seq \n at \n by \n opJson [\n cid]}. The op stays
 * JSON text byte for byte (compact JSON never holds a raw newline), the cid comes last so it may
 * hold any character, and a missing cid part means a null cid. Cheaper than a JSON wrapper, which
 * would escape every quote of the op.
 */
final class LoggedOpFormat {

    private LoggedOpFormat() {
    }

    static String encode(LoggedOp op) {
        if (op.opJson().indexOf('\n') >= 0 || (op.by() != null && op.by().indexOf('\n') >= 0)) {
            throw new IllegalArgumentException("op json and user id must be single-line");
        }
        StringBuilder sb = new StringBuilder(op.opJson().length() + 48);
        sb.append(op.seq()).append('\n').append(op.at()).append('\n').append(op.by() == null ? "" : op.by()).append('\n')
                .append(op.opJson());
        if (op.cid() != null) sb.append('\n').append(op.cid());
        return sb.toString();
    }

    static LoggedOp decode(String s) {
        int a = s.indexOf('\n');
        int b = s.indexOf('\n', a + 1);
        int c = s.indexOf('\n', b + 1);
        int d = s.indexOf('\n', c + 1);
        long seq = Long.parseLong(s.substring(0, a));
        long at = Long.parseLong(s.substring(a + 1, b));
        String by = s.substring(b + 1, c);
        String opJson = d < 0 ? s.substring(c + 1) : s.substring(c + 1, d);
        String cid = d < 0 ? null : s.substring(d + 1);
        return new LoggedOp(seq, opJson, by, cid, at);
    }
}

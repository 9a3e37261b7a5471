package org.linkboard.server.logging;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The logs of a scripted session (login, ws auth message, a failed login) hold no token and no password. */
class LogHygieneTest {

    private final List<String> lines = new ArrayList<>();
    private final Handler capture = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord r) {
            StringBuilder sb = new StringBuilder(formatter.format(r));
            if (r.getParameters() != null) for (Object p : r.getParameters()) sb.append(' ').append(p);
            if (r.getThrown() != null) {
                StringWriter sw = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(sw));
                sb.append(sw);
            }
            synchronized (lines) {
                lines.add(sb.toString());
                lines.notifyAll();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level rootLevel;

    @BeforeEach
    void captureEverything() {
        Logger root = Logger.getLogger("");
        rootLevel = root.getLevel();
        root.setLevel(Level.FINE);
        Logger.getLogger("io.netty").setLevel(Level.INFO);
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
    }

    @AfterEach
    void restore() {
        Logger.getLogger("").removeHandler(capture);
        Logger.getLogger("").setLevel(rootLevel);
    }

    @Test
    void scriptedSessionLogsNoTokenOrPassword() {
        String token;
        String wrongPassword = "Wr0ng-Pa55word-xyz";
        try (TestServer server = TestServer.start(o -> o.accessLog(true))) {
            token = server.adminToken();
            assertEquals(401, server.post("/api/auth/login", null,
                    new JsonObject().put("username", "admin").put("password", wrongPassword)).statusCode());
            server.createUser(token, "log-user", "university", "editor");
            String board = server.createBoard(token, "logs", "university");
            try (WsClient ws = server.connect(null)) {
                ws.send(new JsonObject().put("type", "auth").put("token", token));
                String session = ws.next("welcome").getString("session");
                ws.join(board);
                ws.op(board, "c1", new JsonObject().put("kind", "create").put("id", "x").put("type", "card")
                        .put("fields", new JsonObject().put("title", "X")));
                ws.close();
                waitForLine("session " + session + " closed");
                assertTrue(joined().contains("session " + session + " opened"), "session open line");
            }
            try (WsClient bad = server.connect(null)) {
                bad.send(new JsonObject().put("type", "auth").put("token", token + "tampered"));
                bad.awaitClose();
            }
            assertTrue(joined().contains("request "), "access log lines");
        }
        String all = joined();
        String signature = token.substring(token.lastIndexOf('.') + 1);
        assertFalse(all.contains(token), "a token was logged");
        assertFalse(all.contains(signature), "a token signature was logged");
        assertFalse(all.contains(TestServer.ADMIN_PASSWORD), "the admin password was logged");
        assertFalse(all.contains(wrongPassword), "a failed login's password was logged");
        assertFalse(all.contains("log-user-pw"), "a new user's password was logged");
    }

    private String joined() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    private void waitForLine(String fragment) {
        long deadline = System.currentTimeMillis() + 10_000;
        synchronized (lines) {
            while (!String.join("\n", lines).contains(fragment)) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) throw new AssertionError("no log line with '" + fragment + "'");
                try {
                    lines.wait(Math.min(left, 100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }
}

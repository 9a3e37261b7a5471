package org.linkboard.server.metrics;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /metrics: protected, Prometheus text, and the counters move with a scripted session. */
class MetricsEndpointTest {

    static final String SCRAPE_TOKEN = "scrape-me-0123456789";
    static TestServer server;
    static String admin;

    @BeforeAll
    static void start() {
        server = TestServer.start(o -> o.metricsToken(SCRAPE_TOKEN));
        admin = server.adminToken();
        server.createUser(admin, "m-editor", "university", "editor");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String scrape() {
        HttpResponse<Buffer> r = server.get("/metrics?token=" + SCRAPE_TOKEN, null);
        assertEquals(200, r.statusCode(), r.bodyAsString());
        assertTrue(r.getHeader("Content-Type").startsWith("text/plain"), r.getHeader("Content-Type"));
        return r.bodyAsString();
    }

    /** The value of the first sample whose line starts with {@code prefix} (name plus labels). */
    static double sample(String text, String prefix) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(prefix) + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(text);
        if (!m.find()) return 0;
        return Double.parseDouble(m.group(1));
    }

    @Test
    void countersMoveAfterAScriptedSession() {
        String before = scrape();
        String board = server.createBoard(admin, "metrics", "university");
        try (WsClient ws = server.connect(server.login("m-editor", "m-editor-pw"))) {
            ws.next("welcome");
            ws.join(board);
            assertEquals("ack", ws.op(board, "c1", new JsonObject().put("kind", "create").put("id", "a").put("type", "card")
                    .put("fields", new JsonObject().put("title", "A"))).getString("type"));
            assertEquals("reject", ws.op(board, "c2", new JsonObject().put("kind", "create").put("id", "a").put("type", "card")
                    .put("fields", new JsonObject().put("title", "again"))).getString("type"));
            String during = scrape();
            assertTrue(sample(during, "linkboard_ws_sessions_open") >= 1, "open sessions gauge");
            assertTrue(sample(during, "linkboard_boards_loaded") >= 1, "loaded boards gauge");
        }
        String after = scrape();
        assertTrue(sample(after, "linkboard_ops_accepted_total") >= sample(before, "linkboard_ops_accepted_total") + 1);
        assertTrue(sample(after, "linkboard_ops_rejected_total{code=\"ID_TAKEN\"}") >= 1, after);
        assertTrue(sample(after, "linkboard_ack_latency_seconds_count") >= 1);
        assertTrue(sample(after, "linkboard_commit_batch_ops_count") >= 1);
        assertTrue(sample(after, "linkboard_store_commit_seconds_count") > sample(before, "linkboard_store_commit_seconds_count"),
                "store commits timed");
        assertTrue(sample(after, "linkboard_ws_sessions_opened_total") >= 1);
        assertTrue(sample(after, "linkboard_http_requests_total") > sample(before, "linkboard_http_requests_total"));
        assertTrue(after.contains("jvm_memory_used_bytes"), "JVM memory");
        assertTrue(after.contains("jvm_threads_live_threads"), "JVM threads");
        assertTrue(after.contains("process_cpu_usage") || after.contains("system_cpu_count"), "CPU");
    }

    @Test
    void theScrapeReadsItsGaugesOffTheEventLoops() {
        java.util.concurrent.atomic.AtomicReference<String> readOn = new java.util.concurrent.atomic.AtomicReference<>();
        server.server().metrics().gauge("test.read.thread", "where the scrape reads its gauges", () -> {
            readOn.set(Thread.currentThread().getName() + (io.vertx.core.Context.isOnEventLoopThread() ? " (event loop)" : ""));
            return 1;
        });
        assertEquals(1, sample(scrape(), "linkboard_test_read_thread"));
        assertTrue(readOn.get() != null && !readOn.get().endsWith("(event loop)"), "gauges were read on " + readOn.get());
    }

    @Test
    void scrapeTokenWorksAsBearerToo() {
        HttpResponse<Buffer> r = server.get("/metrics", SCRAPE_TOKEN);
        assertEquals(200, r.statusCode());
    }

    @Test
    void adminBearerTokenIsAccepted() {
        assertEquals(200, server.get("/metrics", admin).statusCode());
    }

    @Test
    void anonymousScrapeIsUnauthenticated() {
        HttpResponse<Buffer> r = server.get("/metrics", null);
        assertEquals(401, r.statusCode());
        assertEquals("UNAUTHENTICATED", r.bodyAsJsonObject().getJsonObject("error").getString("code"));
        assertEquals(401, server.get("/metrics?token=wrong", null).statusCode());
    }

    @Test
    void nonAdminUserIsForbidden() {
        HttpResponse<Buffer> r = server.get("/metrics", server.login("m-editor", "m-editor-pw"));
        assertEquals(403, r.statusCode());
        assertEquals("FORBIDDEN", r.bodyAsJsonObject().getJsonObject("error").getString("code"));
    }
}

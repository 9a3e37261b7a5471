package org.linkboard.server.lifecycle;

import org.junit.jupiter.api.Test;
import org.linkboard.server.testing.JarProcess;
import org.linkboard.server.testing.RestClient;
import org.linkboard.server.testing.TestServer;
import org.linkboard.server.testing.WsClient;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CONTRACT §1 as seen from outside the process. */
class LifecycleIT {

    @Test
    void sigtermClosesSocketsWith1001AndExitsZero() throws Exception {
        Path data = Files.createTempDirectory("linkboard-term");
        try (JarProcess server = JarProcess.start("--port", "0", "--data-dir", data.toString(), "--admin-password", "pw");
             RestClient rest = new RestClient(server.port())) {
            assertEquals(200, rest.request(io.vertx.core.http.HttpMethod.GET, "/health", null, null).statusCode());
            String token = rest.login("admin", "pw");
            String board = rest.createBoard(token, "term", "university");
            WsClient c = rest.connect(token);
            c.join(board);
            assertEquals(0, server.terminate());
            assertEquals(1001, c.awaitClose());
        } finally {
            TestServer.deleteRecursively(data);
        }
    }

    @Test
    void unknownFlagIsOneLineAndNonZeroExit() throws Exception {
        try (JarProcess server = JarProcess.start("--no-such-flag")) {
            int code = server.waitForExit();
            assertTrue(code != 0);
            String out = server.output().strip();
            assertFalse(out.contains("\n"), "one line, no stack trace: " + out);
            assertTrue(out.contains("--no-such-flag"));
        }
    }

    @Test
    void badPortValueIsOneLineAndNonZeroExit() throws Exception {
        try (JarProcess server = JarProcess.start("--port", "eighty")) {
            assertTrue(server.waitForExit() != 0);
            assertFalse(server.output().strip().contains("\n"));
        }
    }

    @Test
    void generatedAdminPasswordIsPrintedOnceAndWorks() throws Exception {
        Path data = Files.createTempDirectory("linkboard-pw");
        try {
            String password;
            try (JarProcess server = JarProcess.start("--port", "0", "--data-dir", data.toString());
                 RestClient rest = new RestClient(server.port())) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("generated password: (\\S+)").matcher(server.output());
                assertTrue(m.find(), server.output());
                password = m.group(1);
                rest.login("admin", password);
                server.terminate();
            }
            try (JarProcess again = JarProcess.start("--port", "0", "--data-dir", data.toString());
                 RestClient rest = new RestClient(again.port())) {
                assertFalse(again.output().contains("generated password"), "printed only on first start");
                rest.login("admin", password);
            }
        } finally {
            TestServer.deleteRecursively(data);
        }
    }
}

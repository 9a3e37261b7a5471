package org.linkboard.server.store.embedded;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.linkboard.server.store.Durability;
import org.linkboard.server.store.LoggedOp;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * "An ack means durable" (CONTRACT §4) against a real {@code kill -9}: a child JVM appends and
 * prints every acked seq; it is killed mid-stream; every printed seq must be in the reopened store.
 */
class SqliteStoreCrashTest {

    /** Acked seqs to see before the kill: enough that the kill lands amid many group commits. */
    private static final int ACKS_BEFORE_KILL = 3_000;

    @TempDir
    Path dir;

    private Process child;
    private Vertx vertx;

    @AfterEach
    void cleanUp() {
        if (child != null) {
            child.destroyForcibly();
        }
        if (vertx != null) {
            vertx.close().await();
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void everyAckedAppendSurvivesKillOfTheProcess() throws Exception {
        killMidStreamAndCheckEveryAckSurvived(Durability.POWER);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void everyAckedAppendSurvivesKillOfTheProcessWithProcessDurability() throws Exception {
        killMidStreamAndCheckEveryAckSurvived(Durability.PROCESS);
    }

    private void killMidStreamAndCheckEveryAckSurvived(Durability durability) throws Exception {
        Path dataDir = dir.resolve("data");
        Path stderr = dir.resolve("child-stderr.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                SqliteStoreCrashChild.class.getName(), dataDir.toString(), durability.flagValue())
                .redirectError(stderr.toFile())
                .start();

        List<Long> acked = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            if (!"ready".equals(line)) {
                child.waitFor(10, TimeUnit.SECONDS);
                fail("child did not start: " + line + "\n" + Files.readString(stderr));
            }
            while (acked.size() < ACKS_BEFORE_KILL && (line = out.readLine()) != null) {
                acked.add(Long.parseLong(line.trim()));
            }
            assertEquals(ACKS_BEFORE_KILL, acked.size(), "child stopped early:\n" + Files.readString(stderr));
            // SIGKILL through the ProcessHandle: Process#destroyForcibly would also close our end
            // of the pipe, and the acks printed just before the kill would be lost to the test.
            child.toHandle().destroyForcibly();
            // Lines printed before the kill are acks too: read them to the end of the pipe.
            while ((line = out.readLine()) != null) {
                if (!line.isBlank()) {
                    acked.add(Long.parseLong(line.trim()));
                }
            }
        }
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");

        vertx = Vertx.vertx();
        SqliteStore store = new SqliteStore(vertx, dataDir);
        store.open().await();
        try {
            long version = store.getBoard(SqliteStoreCrashChild.BOARD).await().version();
            List<Long> stored = store.readOps(SqliteStoreCrashChild.BOARD, 0, Integer.MAX_VALUE).await()
                    .stream().map(LoggedOp::seq).toList();
            long maxAcked = acked.stream().mapToLong(Long::longValue).max().orElseThrow();
            System.out.printf("crash test (%s): %d acked before kill (max seq %d), %d stored%n",
                    durability.flagValue(), acked.size(), maxAcked, stored.size());

            assertTrue(version >= maxAcked, "version " + version + " < acked seq " + maxAcked);
            // The log is exactly 1..version: no gap, nothing past the version.
            assertEquals(LongStream.rangeClosed(1, version).boxed().toList(), stored);
        } finally {
            store.close().await();
        }
    }
}

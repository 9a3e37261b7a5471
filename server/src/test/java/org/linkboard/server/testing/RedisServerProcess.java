package org.linkboard.server.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of the test's own, as a child process on a free port, with persistence
 * off, so a test may stop and restart it (or flush it) without touching anyone else's Redis.
 * Skips the test when no {@code redis-server} binary is installed.
 */
public final class RedisServerProcess implements AutoCloseable {

    private final int port;
    private final Path dir;
    private final boolean durable;
    private Process process;

    private RedisServerProcess(int port, Path dir, boolean durable) {
        this.port = port;
        this.dir = dir;
        this.durable = durable;
    }

    /** Starts one on a free port, persistence off (skips the test when redis-server is missing). */
    public static RedisServerProcess start() {
        return start(false);
    }

    /**
     * Starts one on a free port; {@code durable}: AOF with {@code appendfsync always} in its own
     * temp dir, so a {@link #kill()} and {@link #startProcess()} keep every acknowledged write.
     */
    public static RedisServerProcess start(boolean durable) {
        TestRedis.uriOrSkip();
        try {
            Path dir = Files.createTempDirectory("linkboard-redis");
            RedisServerProcess p = new RedisServerProcess(freePort(), dir, durable);
            p.startProcess();
            return p;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the process again on the same port (after {@link #kill()}). */
    public void startProcess() {
        try {
            process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", durable ? "yes" : "no", "--appendfsync", "always", "--dir", dir.toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("Redis tests skipped: cannot run redis-server: " + e.getMessage());
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) throw new IllegalStateException("redis-server exited: see " + dir.resolve("redis.log"));
                try {
                    Thread.sleep(20); // polling a port that is not open yet; there is no event to wait on
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IllegalStateException("redis-server did not open port " + port);
    }

    /** SIGKILL, and waits until it is gone. */
    public void kill() {
        if (process == null) return;
        process.toHandle().destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
        TestServer.deleteRecursively(dir);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

package org.linkboard.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@code linkboard.jar} as a child process, for tests that kill it or signal it. The jar
 * path comes from the system property {@code linkboard.jar} (set by failsafe).
 */
public final class JarProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");

    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final CompletableFuture<Integer> port = new CompletableFuture<>();

    private JarProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                }
            } catch (IOException ignored) {
                // The process ended.
            }
            port.completeExceptionally(new IllegalStateException("server exited before listening: " + output()));
        }, "jar-output");
        reader.setDaemon(true);
        reader.start();
    }

    public static Path jar() {
        String p = System.getProperty("linkboard.jar");
        Path jar = p != null ? Path.of(p) : Path.of("target", "linkboard.jar");
        if (!Files.exists(jar)) throw new IllegalStateException("linkboard.jar not built at " + jar.toAbsolutePath());
        return jar;
    }

    /** Starts the jar with the given flags (stdout and stderr merged). */
    public static JarProcess start(String... flags) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar().toString()));
        cmd.addAll(List.of(flags));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("LINKBOARD_"));
        return new JarProcess(pb.start());
    }

    /** Waits for the {@code listening on port N} line. */
    public int port() {
        try {
            return port.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("server did not start: " + output(), e);
        }
    }

    public Process process() {
        return process;
    }

    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** SIGKILL: no chance to flush anything. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then the exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("no exit after SIGTERM: " + output());
        return process.exitValue();
    }

    public int waitForExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("no exit: " + output());
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill9();
    }
}

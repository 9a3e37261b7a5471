package org.linkboard.bench;

import org.linkboard.bench.measure.ProcessProbe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test run as a child JVM (the Linkboard jar or the relay), so that its CPU time,
 * resident memory and heap can be read from {@code /proc} and {@code jcmd} without the generator's
 * own use mixed in.
 *
 * <p>The child's stdout and stderr go to a log file (drained by a daemon thread so a chatty server
 * never blocks on a full pipe); the first line containing {@code listening on port N} gives the
 * port. Used by the orchestrating thread only; {@link #start} blocks until the port is known.
 */
public final class ChildServer implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");

    private final Process process;
    private final Path log;
    private final long startNanos;
    private final long listeningNanos;
    private final int port;

    private ChildServer(Process process, Path log, long startNanos, long listeningNanos, int port) {
        this.process = process;
        this.log = log;
        this.startNanos = startNanos;
        this.listeningNanos = listeningNanos;
        this.port = port;
    }

    /**
     * Starts {@code command} and waits up to {@code timeoutSeconds} for its listening line.
     *
     * @throws IOException when it cannot start, exits, or does not listen in time (the log tail is
     *                     in the message)
     */
    public static ChildServer start(List<String> command, Path log, int timeoutSeconds) throws IOException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.println(line);
                    if (!port.isDone()) {
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) {
                            port.complete(Integer.parseInt(m.group(1)));
                        }
                    }
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IOException("server output ended before it listened"));
        }, "child-log-" + p.pid());
        drain.setDaemon(true);
        drain.start();
        try {
            int n = port.get(timeoutSeconds, TimeUnit.SECONDS);
            return new ChildServer(p, log, t0, System.nanoTime(), n);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            p.destroyForcibly();
            throw new IOException("server did not listen (" + e + "); command " + command + "\n" + tail(log), e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public ProcessProbe probe() {
        return new ProcessProbe(process.pid());
    }

    /** {@link System#nanoTime()} just before the process was started. */
    public long startNanos() {
        return startNanos;
    }

    /** {@link System#nanoTime()} when the listening line was read. */
    public long listeningNanos() {
        return listeningNanos;
    }

    public Path log() {
        return log;
    }

    /** SIGTERM, then waits up to 30 s (a graceful stop flushes acked ops), then SIGKILL. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

package org.linkboard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import org.linkboard.bench.report.Report;
import org.linkboard.bench.report.ScenarioResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of the benchmark: {@code java -jar bench/target/linkboard-bench.jar --scenario all}.
 * Runs the chosen scenarios, prints the table after each one (so a long run shows progress), and
 * writes the JSON results at the end (and after each scenario, so an interrupted run keeps what it
 * measured). Exit status 0 when every scenario ran, 1 when one failed to run, 2 on a bad command
 * line. Budget misses are reported, never turned into a failure status: a benchmark is not a test.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (BenchOptions.UsageException | NumberFormatException e) {
            if (e.getMessage() != null && !e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.print(BenchOptions.USAGE);
            System.exit(e.getMessage() == null || e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        if (o.linkboard && o.embedded() && !Files.isRegularFile(o.jar)) {
            System.err.println("server jar not found: " + o.jar.toAbsolutePath()
                    + " (run from the repo root after `mvn -q -pl bench -am package -DskipTests`, or pass --jar)");
            System.exit(2);
        }
        Path workDir = Files.createTempDirectory("linkboard-bench-");
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(o.loops).setPreferNativeTransport(true));
        WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(200_000)
                .setTcpNoDelay(true)
                .setConnectTimeout(60_000)
                // S6 joins a board with 100 000 items: one snapshot message of tens of MiB; a client
                // that rejoins S4's board past its knee may get a snapshot of millions of items
                .setMaxFrameSize(1024 * 1024 * 1024)
                .setMaxMessageSize(1024 * 1024 * 1024));
        HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(16));
        Map<String, String> env = environment(o, workDir);
        // The server and the relay log theirs on their listening line (server logs in the work dir).
        env.put("generatorTransport", vertx.isNativeTransportEnabled() ? "native" : "nio");
        Report report = new Report(env);
        Scenarios scenarios = new Scenarios(o, vertx, ws, http, workDir);
        int status = 0;
        System.out.println("work dir (server logs, JFR recordings): " + workDir);
        for (String id : o.scenarios) {
            for (int round = 1; round <= o.repeat; round++) {
                System.out.println("\n== " + id + (o.repeat > 1 ? " round " + round + " of " + o.repeat : "") + " ...");
                try {
                    List<ScenarioResult> rs = scenarios.run(id);
                    for (ScenarioResult r : rs) {
                        r.round = round;
                        report.add(r);
                    }
                } catch (Exception e) {
                    status = 1;
                    System.err.println(id + " failed to run: " + e);
                    e.printStackTrace();
                }
                System.out.print("\n" + report.table() + report.summary());
                write(o.out, report);
            }
        }
        System.out.println("\nresults: " + o.out.toAbsolutePath());
        vertx.close().await();
        System.exit(status);
    }

    private static void write(Path out, Report report) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(out, report.json().encodePrettily() + "\n");
    }

    private static Map<String, String> environment(BenchOptions o, Path workDir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("date", Instant.now().toString());
        env.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        env.put("memory", memTotal());
        env.put("cpu", cpuModel());
        env.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        env.put("mode", o.embedded() ? "embedded: " + o.jar : "url: " + String.join(",", o.urls));
        env.put("serverJvmArgs", String.join(" ", o.serverJvmArgs));
        env.put("serverArgs", String.join(" ", o.serverArgs));
        env.put("generatorEventLoops", Integer.toString(o.loops));
        env.put("relayEventLoops", Integer.toString(o.relayLoops));
        env.put("measureSeconds", Integer.toString(o.seconds));
        env.put("warmupSeconds", Integer.toString(o.warmupSeconds));
        env.put("kneeStepSeconds", Integer.toString(o.stepSeconds));
        env.put("repeat", Integer.toString(o.repeat));
        env.put("workDir", workDir.toString());
        return env;
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " ");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}

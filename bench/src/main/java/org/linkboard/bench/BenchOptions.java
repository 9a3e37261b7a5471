package org.linkboard.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Command-line options of the bench ({@code java -jar linkboard-bench.jar --help} lists them).
 * Immutable after {@link #parse}.
 */
public final class BenchOptions {
    static final List<String> ALL = List.of("S1", "S2", "S3", "S4", "S4E", "S5", "S6");
    /**
     * Run only when named: S4F, S4's room at one fixed rate ({@code --rate}), for comparing the
     * CPU per op and latency of two builds on a machine whose knee moves from run to run.
     */
    static final List<String> ON_REQUEST = List.of("S4F");
    /**
     * The JVM options docs/operations.md recommends for the server ("JVM options"), so the bench
     * measures the server as it is meant to run; the relay gets the same, so the two compare.
     */
    static final List<String> RECOMMENDED_JVM_ARGS = List.of("-XX:MaxGCPauseMillis=20");

    Set<String> scenarios = new LinkedHashSet<>(ALL);
    List<String> urls = new ArrayList<>();
    String relayUrl;
    String token;
    String username = "admin";
    String password;
    long serverPid = -1;
    boolean relay = true;
    boolean linkboard = true;
    Path jar = Path.of("server/target/linkboard.jar");
    List<String> serverJvmArgs = RECOMMENDED_JVM_ARGS;
    List<String> serverArgs = new ArrayList<>();
    int seconds = 15;
    int warmupSeconds = 20;
    int stepSeconds = 4;
    int repeat = 1;
    int loops = 2;
    int relayLoops = 2;
    boolean profile;
    String unit = "university";
    int coldOps = 100_000;
    int idleConnections = 10_000;
    int idleBoards = 1_000;
    int fixedRate = 15_000;
    Path out = Path.of("bench/target/bench-results.json");

    static final String USAGE = """
            Linkboard benchmark (see docs/performance.md)

              java -jar bench/target/linkboard-bench.jar [options]

            What to run
              --scenario LIST      all (default) or a comma list of S1,S2,S3,S4,S4E,S5,S6 (and S4F)
              --seconds N          measured window per load scenario (default 15)
              --warmup N           warm-up before it, not counted (default 20: the JIT settles)
              --step-seconds N     length of each S4 rate step (default 4)
              --repeat N           run each scenario N times, Linkboard and relay in turn, and print
                                   the median of the per-round ratios (p99 moves from run to run)
              --cold-ops N         ops in the S6 board (default 100000)
              --rate N             S4F (named only, not in all): S4's room at N ops/s in all,
                                   no ramp (default 15000), to compare builds by CPU per op
              --idle-connections N / --idle-boards N   S5 size (default 10000 / 1000)
            Embedded mode (default): starts the real jar as a child process per scenario
              --jar PATH           server jar (default server/target/linkboard.jar)
              --server-jvm-args S  JVM flags for the server and the relay, space separated, instead
                                   of the recommended -XX:MaxGCPauseMillis=20 ("" for none)
              --server-args S      extra server flags, e.g. "--ws-rate 20000", space separated
              --no-relay           skip the relay ceiling
              --relay-only         run only the relay (e.g. to check the generator)
              --relay-loops N      relay event loops (default 2)
              --profile            JFR (settings=profile) in every child; hot methods printed
            Remote mode: an already running server or cluster
              --url ws://h:p[,ws://h2:p2]  clients spread over the nodes round robin
              --token T | --username U --password P   (default user admin)
              --server-pid PID     a local server process to measure (CPU, RSS, heap)
              --relay-url ws://h:p a running relay to compare with (else none)
            Output
              --out FILE           JSON results (default bench/target/bench-results.json)
              --loops N            generator event loops (default 2)
            """;

    static BenchOptions parse(String[] args) {
        BenchOptions o = new BenchOptions();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> throw new UsageException("");
                case "--no-relay" -> o.relay = false;
                case "--relay-only" -> o.linkboard = false;
                case "--profile" -> o.profile = true;
                default -> {
                    if (i + 1 >= args.length) {
                        throw new UsageException("missing value for " + a);
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--scenario" -> o.scenarios = scenarios(v);
                        case "--url" -> o.urls = Arrays.asList(v.split(","));
                        case "--relay-url" -> o.relayUrl = v;
                        case "--token" -> o.token = v;
                        case "--username" -> o.username = v;
                        case "--password" -> o.password = v;
                        case "--server-pid" -> o.serverPid = Long.parseLong(v);
                        case "--jar" -> o.jar = Path.of(v);
                        case "--server-jvm-args" -> o.serverJvmArgs = Arrays.asList(v.trim().split("\\s+"));
                        case "--server-args" -> o.serverArgs = Arrays.asList(v.trim().split("\\s+"));
                        case "--seconds" -> o.seconds = Integer.parseInt(v);
                        case "--warmup" -> o.warmupSeconds = Integer.parseInt(v);
                        case "--step-seconds" -> o.stepSeconds = Integer.parseInt(v);
                        case "--repeat" -> o.repeat = positive(a, v);
                        case "--loops" -> o.loops = Integer.parseInt(v);
                        case "--relay-loops" -> o.relayLoops = Integer.parseInt(v);
                        case "--unit" -> o.unit = v;
                        case "--cold-ops" -> o.coldOps = Integer.parseInt(v);
                        case "--idle-connections" -> o.idleConnections = Integer.parseInt(v);
                        case "--idle-boards" -> o.idleBoards = Integer.parseInt(v);
                        case "--rate" -> o.fixedRate = positive(a, v);
                        case "--out" -> o.out = Path.of(v);
                        default -> throw new UsageException("unknown option " + a);
                    }
                }
            }
        }
        if (o.linkboard && !o.urls.isEmpty() && o.token == null && o.password == null) {
            throw new UsageException("--url needs --token or --password");
        }
        return o;
    }

    private static int positive(String option, String v) {
        int n = Integer.parseInt(v);
        if (n < 1) {
            throw new UsageException(option + " must be at least 1");
        }
        return n;
    }

    private static Set<String> scenarios(String v) {
        if (v.equalsIgnoreCase("all")) {
            return new LinkedHashSet<>(ALL);
        }
        Set<String> s = new LinkedHashSet<>();
        for (String p : v.split(",")) {
            String id = p.trim().toUpperCase(Locale.ROOT);
            if (!ALL.contains(id) && !ON_REQUEST.contains(id)) {
                throw new UsageException("unknown scenario " + p);
            }
            s.add(id);
        }
        return s;
    }

    boolean embedded() {
        return urls.isEmpty();
    }

    /** Bad command line; the message (empty for --help) is printed with the usage. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}

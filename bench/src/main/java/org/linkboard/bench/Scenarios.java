package org.linkboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.WebSocketClient;
import org.linkboard.bench.client.BenchClient;
import org.linkboard.bench.client.BenchClient.Violations;
import org.linkboard.bench.client.Endpoint;
import org.linkboard.bench.client.LinkboardTarget;
import org.linkboard.bench.client.RelayTarget;
import org.linkboard.bench.client.Room;
import org.linkboard.bench.client.Target;
import org.linkboard.bench.measure.JfrHotMethods;
import org.linkboard.bench.measure.Phase;
import org.linkboard.bench.measure.PhaseBook;
import org.linkboard.bench.measure.ProcessProbe;
import org.linkboard.bench.measure.ServerTimings;
import org.linkboard.bench.report.ScenarioResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The scenarios S1–S6 of docs/performance.md, each run against Linkboard and (S1–S5) the relay
 * ceiling, each on a fresh child process in embedded mode.
 *
 * <p>Runs on the orchestrating (main) thread, which blocks with {@code await} and sleeps between
 * phases; the clients live on the generator's event loops.
 */
final class Scenarios {
    private static final long MS = 1_000_000L;
    private static final long SEC = 1_000_000_000L;
    /** Budget line of S4: the knee is the highest rate with p99 under this. */
    private static final double KNEE_P99_MS = 100;
    private static final int CONNECT_BATCH = 250;

    private final BenchOptions o;
    private final Vertx vertx;
    private final WebSocketClient ws;
    private final HttpClient http;
    private final Path workDir;
    private final ProcessProbe generator = ProcessProbe.self();
    private final String adminPassword = "bench-" + UUID.randomUUID();
    private final String jwtSecret = "bench-secret-" + UUID.randomUUID();
    private int runs;
    /** How long the last embedded login took (S6 reports it: password hashing is part of a cold start). */
    private double lastLoginMs = Double.NaN;

    Scenarios(BenchOptions o, Vertx vertx, WebSocketClient ws, HttpClient http, Path workDir) {
        this.o = o;
        this.vertx = vertx;
        this.ws = ws;
        this.http = http;
        this.workDir = workDir;
    }

    /** Runs one scenario against every target it applies to. */
    List<ScenarioResult> run(String id) throws Exception {
        List<ScenarioResult> out = new ArrayList<>();
        switch (id) {
            case "S1" -> forEachTarget(id, r -> load(r, "S1", "busy room: 1 board, 50 clients, all writing 10 ops/s", 1, 50, 50, 10), out);
            case "S2" -> forEachTarget(id, r -> load(r, "S2", "fan-out: 1 board, 500 clients, 5 writers at 20 ops/s", 1, 500, 5, 20), out);
            case "S3" -> forEachTarget(id, r -> load(r, "S3", "many rooms: 200 boards x 5 clients, 1 writer each at 2 ops/s", 200, 5, 1, 2), out);
            case "S4" -> forEachTarget(id, r -> knee(r, "S4", 20), out);
            case "S4E" -> forEachTarget(id, List.of("--ws-rate", "10000000", "--ws-burst", "10000000"), r -> knee(r, "S4E", 4), out);
            case "S4F" -> forEachTarget(id, r -> load(r, "S4F", "fixed rate: 1 board, 20 clients all writing, "
                    + o.fixedRate + " ops/s in all", 1, 20, 20, o.fixedRate / 20.0), out);
            case "S5" -> forEachTarget(id, this::idle, out);
            case "S6" -> {
                if (o.linkboard) {
                    out.add(coldStart());
                }
            }
            default -> throw new IllegalArgumentException(id);
        }
        return out;
    }

    private interface ScenarioBody {
        ScenarioResult run(Running r) throws Exception;
    }

    private void forEachTarget(String id, ScenarioBody body, List<ScenarioResult> out) throws Exception {
        forEachTarget(id, List.of(), body, out);
    }

    private void forEachTarget(String id, List<String> serverArgs, ScenarioBody body, List<ScenarioResult> out) throws Exception {
        // one target failing to run must not lose the other's figures
        if (o.linkboard) {
            try (Running lb = startLinkboard(id, null, serverArgs)) {
                out.add(finish(lb, runOrReport(id, lb, body)));
            }
        }
        if (o.relay && (o.embedded() || o.relayUrl != null)) {
            try (Running relay = startRelay(id)) {
                out.add(finish(relay, runOrReport(id, relay, body)));
            }
        }
    }

    private ScenarioResult runOrReport(String id, Running r, ScenarioBody body) {
        try {
            return body.run(r);
        } catch (Exception e) {
            System.err.println(id + " on " + r.target().name() + " failed to run: " + e);
            e.printStackTrace();
            ScenarioResult res = result(r, id, id);
            res.note = "FAILED TO RUN: " + e;
            return res;
        }
    }

    // ---------------------------------------------------------------- targets

    /** A target under test and what can be measured of it; closing stops a child it started. */
    record Running(Target target, ProcessProbe probe, ChildServer child, String label, Path jfr) implements AutoCloseable {
        @Override
        public void close() {
            if (child != null) {
                child.close();
            }
        }
    }

    private Running startLinkboard(String scenario, Path dataDir) throws IOException {
        return startLinkboard(scenario, dataDir, List.of());
    }

    private Running startLinkboard(String scenario, Path dataDir, List<String> extraArgs) throws IOException {
        if (!o.embedded()) {
            List<Endpoint> nodes = o.urls.stream().map(Endpoint::parse).toList();
            String token = o.token != null ? o.token
                    : LinkboardTarget.login(http, nodes.get(0), o.username, o.password).timeout(30, TimeUnit.SECONDS).await();
            return new Running(new LinkboardTarget(http, nodes, token, o.unit),
                    o.serverPid > 0 ? new ProcessProbe(o.serverPid) : null, null, "linkboard", null);
        }
        Path data = dataDir != null ? dataDir : Files.createTempDirectory(workDir, scenario + "-data-");
        String label = scenario + "-linkboard-" + (++runs);
        Path jfr = o.profile ? workDir.resolve(label + ".jfr") : null;
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(o.serverJvmArgs.stream().filter(s -> !s.isBlank()).toList());
        if (extraArgs.contains(PROFILE_FROM_START)) {
            // cold start: the interesting CPU is the start itself
            addJfr(cmd, jfr);
            extraArgs = extraArgs.stream().filter(a -> !a.equals(PROFILE_FROM_START)).toList();
        }
        cmd.addAll(List.of("-jar", o.jar.toString(), "--port", "0", "--data-dir", data.toString(),
                "--admin-password", adminPassword, "--jwt-secret", jwtSecret));
        cmd.addAll(o.serverArgs.stream().filter(s -> !s.isBlank()).toList());
        cmd.addAll(extraArgs);
        ChildServer child = ChildServer.start(cmd, workDir.resolve(label + ".log"), 120);
        Endpoint node = new Endpoint("127.0.0.1", child.port());
        long l0 = System.nanoTime();
        String token = LinkboardTarget.login(http, node, "admin", adminPassword).timeout(60, TimeUnit.SECONDS).await();
        lastLoginMs = (System.nanoTime() - l0) / 1e6;
        return new Running(new LinkboardTarget(http, List.of(node), token, o.unit), child.probe(), child, label, jfr);
    }

    private Running startRelay(String scenario) throws IOException {
        if (!o.embedded()) {
            return new Running(new RelayTarget(Endpoint.parse(o.relayUrl)), null, null, "relay", null);
        }
        String label = scenario + "-relay-" + (++runs);
        Path jfr = o.profile ? workDir.resolve(label + ".jfr") : null;
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(o.serverJvmArgs.stream().filter(s -> !s.isBlank()).toList());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.linkboard.bench.relay.RelayServer",
                "--port", "0", "--loops", Integer.toString(o.relayLoops)));
        ChildServer child = ChildServer.start(cmd, workDir.resolve(label + ".log"), 60);
        return new Running(new RelayTarget(new Endpoint("127.0.0.1", child.port())), child.probe(), child, label, jfr);
    }

    /** Marker in a server's extra args: record JFR from process start (S6) instead of per window. */
    private static final String PROFILE_FROM_START = "<profile-from-start>";

    /**
     * Starts a JFR recording in the child for the measured window only (so logins, joins and JIT
     * warm-up do not crowd the profile). No-op without {@code --profile}.
     */
    private static void profileStart(Running r) {
        if (r.jfr() == null || r.child() == null) {
            return;
        }
        try {
            r.probe().jcmd("JFR.start", "name=bench", "settings=profile");
        } catch (IOException e) {
            System.err.println("JFR.start failed: " + e.getMessage());
        }
    }

    /** Stops the window's recording and writes it where {@link #finish} reads it. */
    private static void profileStop(Running r) {
        if (r.jfr() == null || r.child() == null) {
            return;
        }
        try {
            r.probe().jcmd("JFR.stop", "name=bench", "filename=" + r.jfr());
        } catch (IOException e) {
            System.err.println("JFR.stop failed: " + e.getMessage());
        }
    }

    private static void addJfr(List<String> cmd, Path jfr) {
        if (jfr != null) {
            cmd.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Peak RSS (read while the child still runs), then the profile once it has stopped. */
    private ScenarioResult finish(Running r, ScenarioResult res) {
        if (r.probe() != null && Double.isNaN(res.serverPeakRssMiB)) {
            res.serverPeakRssMiB = r.probe().peakRssBytes() / 1048576.0;
        }
        r.close();
        if (r.jfr() != null && Files.exists(r.jfr())) {
            try {
                JfrHotMethods hot = JfrHotMethods.read(r.jfr());
                String summary = hot.summary(15);
                Files.writeString(r.jfr().resolveSibling(r.label() + "-hot.txt"), summary);
                System.out.println("\n== profile " + r.label() + " (" + r.jfr() + ")\n" + summary);
                res.detail.put("profileTopSelf", hot.topSelfMethods(10));
                res.detail.put("profileTopPackages", hot.topPackages(10));
                res.detail.put("profileTopLinkboardFrames", hot.topLinkboardFrames(10));
            } catch (IOException e) {
                res.detail.put("profileError", e.toString());
            }
        }
        return res;
    }

    // ---------------------------------------------------------------- building blocks

    private String runTag() {
        return Long.toString(System.nanoTime() & 0xFFFFFFFL, 36);
    }

    private List<Room> createRooms(Target t, int n, String title) {
        List<Room> rooms = new ArrayList<>();
        for (int i = 0; i < n; i += 50) {
            List<Future<String>> fs = new ArrayList<>();
            for (int k = i; k < Math.min(n, i + 50); k++) {
                fs.add(t.createRoom(title + " #" + k));
            }
            Future.all(fs).timeout(120, TimeUnit.SECONDS).await();
            fs.forEach(f -> rooms.add(new Room(f.result())));
        }
        return rooms;
    }

    private List<BenchClient> clients(Target t, PhaseBook book, List<Room> rooms, int perRoom) {
        String tag = runTag();
        List<BenchClient> cs = new ArrayList<>();
        int index = 0;
        for (Room room : rooms) {
            for (int k = 0; k < perRoom; k++) {
                cs.add(new BenchClient(vertx, t, book, room, index++, tag));
            }
        }
        return cs;
    }

    /**
     * Connects (from this thread, so Vert.x spreads the sockets over its event loops) in batches,
     * each socket with its own deadline. Failures are counted in the book as {@code CONNECT_FAILED};
     * unless {@code tolerate}, any failure aborts the scenario. Returns the clients that made it.
     */
    private List<BenchClient> connect(List<BenchClient> cs, boolean join, PhaseBook book, boolean tolerate) {
        List<BenchClient> ok = new ArrayList<>();
        for (int i = 0; i < cs.size(); i += CONNECT_BATCH) {
            List<BenchClient> batch = cs.subList(i, Math.min(cs.size(), i + CONNECT_BATCH));
            List<Future<?>> fs = new ArrayList<>();
            for (BenchClient c : batch) {
                Future<?> f = join ? c.connect(ws).compose(v -> c.join()) : c.connect(ws);
                fs.add(f.timeout(120, TimeUnit.SECONDS));
            }
            Future.join(fs).otherwiseEmpty().timeout(300, TimeUnit.SECONDS).await();
            for (int k = 0; k < batch.size(); k++) {
                if (fs.get(k).succeeded()) {
                    ok.add(batch.get(k));
                } else {
                    book.now().error("CONNECT_FAILED");
                    if (!tolerate) {
                        throw new IllegalStateException("client " + batch.get(k).index() + " could not connect/join: "
                                + fs.get(k).cause());
                    }
                }
            }
        }
        return ok;
    }

    private void connect(List<BenchClient> cs, boolean join) {
        connect(cs, join, new PhaseBook(), false);
    }

    private void join(List<BenchClient> cs) {
        for (int i = 0; i < cs.size(); i += CONNECT_BATCH) {
            Future.all(cs.subList(i, Math.min(cs.size(), i + CONNECT_BATCH)).stream().map(BenchClient::join).toList())
                    .timeout(300, TimeUnit.SECONDS).await();
        }
    }

    private static void closeAll(List<BenchClient> cs) {
        for (int i = 0; i < cs.size(); i += 1000) {
            Future.join(cs.subList(i, Math.min(cs.size(), i + 1000)).stream().map(BenchClient::close).toList())
                    .timeout(60, TimeUnit.SECONDS).await();
        }
    }

    private static Violations check(List<BenchClient> cs) {
        List<Future<Violations>> fs = cs.stream().map(BenchClient::check).toList();
        Future.all(fs).timeout(60, TimeUnit.SECONDS).await();
        return fs.stream().map(Future::result).reduce(Violations.NONE, Violations::plus);
    }

    /**
     * Waits until every sent op is acked or rejected (Linkboard) and every client has seen every op
     * it should, or until {@code timeoutMs} pass without one more op arriving (at most ten times
     * that in all, {@link DrainDeadline}); returns the order violations then. Anything still missing
     * then counts as lost.
     */
    private static Violations drain(Target t, List<BenchClient> cs, PhaseBook book, long timeoutMs) {
        DrainDeadline deadline = new DrainDeadline(System.nanoTime(), timeoutMs * MS, 10 * timeoutMs * MS);
        while (true) {
            Violations v = check(cs);
            boolean allAnswered = !t.sequenced() || answered(book) >= sent(book);
            long missing = v.lost() + (t.sequenced() ? Math.max(0, sent(book) - answered(book)) : 0);
            if (v.lost() == 0 && allAnswered) {
                return v;
            }
            if (deadline.expired(System.nanoTime(), missing)) {
                printStandings(cs);
                return v;
            }
            sleepMs(100);
        }
    }

    /** Where the clients still behind stand when a drain gives up (at most ten of them). */
    private static void printStandings(List<BenchClient> cs) {
        long now = System.nanoTime();
        List<Future<String>> fs = cs.stream().map(c -> c.standing(now)).toList();
        Future.join(fs).timeout(10, TimeUnit.SECONDS).await();
        List<String> behind = fs.stream().map(Future::result).filter(java.util.Objects::nonNull).toList();
        if (behind.isEmpty()) return;
        System.out.println("  drain gave up with " + behind.size() + " client(s) behind:");
        behind.stream().limit(10).forEach(line -> System.out.println("    " + line));
    }

    private static long sent(PhaseBook book) {
        long n = 0;
        for (Phase p = book.now(); ; p = book.get(p.index - 1)) {
            n += p.sent.sum();
            if (p.index == 0) {
                return n;
            }
        }
    }

    private static long answered(PhaseBook book) {
        long n = 0;
        for (Phase p = book.now(); ; p = book.get(p.index - 1)) {
            n += p.ackedOfSent.sum() + p.rejectedOfSent.sum();
            if (p.index == 0) {
                return n;
            }
        }
    }

    private static Map<String, Long> errors(PhaseBook book) {
        Map<String, Long> m = new TreeMap<>();
        for (Phase p = book.now(); ; p = book.get(p.index - 1)) {
            p.errors().forEach((k, v) -> m.merge(k, v, Long::sum));
            if (p.index == 0) {
                return m;
            }
        }
    }

    private static void sleepUntil(long nanos) {
        long d;
        while ((d = nanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(d);
        }
    }

    private static void sleepMs(long ms) {
        sleepUntil(System.nanoTime() + ms * MS);
    }

    private static double cpu(ProcessProbe p) {
        return p == null ? Double.NaN : p.cpuSeconds();
    }

    private ScenarioResult result(Running r, String id, String title) {
        ScenarioResult res = new ScenarioResult();
        res.scenario = id;
        res.title = title;
        res.target = r.target().name();
        return res;
    }

    /** Achieved ops/s of a phase: acks (Linkboard) or distinct ops delivered (relay: deliveries / fan-out). */
    private static double achieved(Target t, Phase p, int fanOut, double seconds) {
        double done = t.sequenced() ? p.acksArrived.sum() : (double) p.deliveriesArrived.sum() / Math.max(1, fanOut);
        return done / seconds;
    }

    private static void latency(ScenarioResult res, Phase p) {
        res.p50Ms = p.delivery.p50Ms();
        res.p99Ms = p.delivery.p99Ms();
        res.maxMs = p.delivery.maxMs();
        res.ackP50Ms = p.ack.p50Ms();
        res.ackP99Ms = p.ack.p99Ms();
        res.ackMaxMs = p.ack.maxMs();
    }

    private static void violations(ScenarioResult res, Violations v) {
        res.gaps = v.gaps();
        res.duplicates = v.duplicates();
        res.outOfOrder = v.outOfOrder();
        res.lost = v.lost();
    }

    // ---------------------------------------------------------------- S1, S2, S3

    /** How long before the measured window the server's timings are first read (see {@link #load}). */
    static final long TIMINGS_LEAD_NANOS = 2 * SEC;

    /**
     * Steady load: warm-up, a measured window, a drain that checks every client's stream. The
     * server's own timings ({@link ServerTimings}) cover the window, the {@link #TIMINGS_LEAD_NANOS}
     * of warm-up before it and the drain after it (no new ops then).
     */
    ScenarioResult load(Running r, String id, String title, int boards, int perBoard, int writersPerBoard, double ratePerWriter) {
        Target t = r.target();
        ScenarioResult res = result(r, id, title);
        PhaseBook book = new PhaseBook();
        List<Room> rooms = createRooms(t, boards, id);
        List<BenchClient> cs = clients(t, book, rooms, perBoard);
        connect(cs, true);
        List<BenchClient> writers = rooms.stream().flatMap(room -> room.clients.subList(0, writersPerBoard).stream()).toList();
        double offered = writers.size() * ratePerWriter;
        // A first scrape before the load: the server's first is cold (hundreds of ms of its CPU).
        t.serverTimings();
        long t0 = System.nanoTime() + 200 * MS;
        long tMeasure = t0 + o.warmupSeconds * SEC;
        long tEnd = tMeasure + o.seconds * SEC;
        book.start("warmup", t0, offered);
        Phase measure = book.start("measure", tMeasure, offered);
        book.start("drain", tEnd, 0);
        writers.forEach(w -> w.pace(ratePerWriter, t0, tEnd));
        // The server's figures are read outside the window, before it and after the drain: a scrape
        // costs the server 10-30 ms of CPU and its garbage, which inside the window showed in p99.
        sleepUntil(Math.max(t0, tMeasure - TIMINGS_LEAD_NANOS));
        Optional<ServerTimings> timings0 = t.serverTimings();
        sleepUntil(tMeasure);
        profileStart(r);
        double cpu0 = cpu(r.probe());
        double gen0 = generator.cpuSeconds();
        double all0 = ProcessProbe.machineBusySeconds();
        sleepUntil(tEnd);
        double cpu1 = cpu(r.probe());
        double gen1 = generator.cpuSeconds();
        double all1 = ProcessProbe.machineBusySeconds();
        profileStop(r);
        res.otherCpuSeconds = (all1 - all0) - (cpu1 - cpu0) - (gen1 - gen0);
        Violations v = drain(t, cs, book, 15_000);
        Optional<ServerTimings> timings1 = t.serverTimings();
        closeAll(cs);

        double secs = o.seconds;
        res.seconds = secs;
        res.boards = boards;
        res.clients = cs.size();
        res.writers = writers.size();
        res.offeredOpsPerSec = offered;
        res.sentOpsPerSec = measure.sent.sum() / secs;
        res.achievedOpsPerSec = achieved(t, measure, perBoard - 1, secs);
        res.deliveriesPerSec = measure.deliveriesArrived.sum() / secs;
        latency(res, measure);
        res.errors = errors(book);
        violations(res, v);
        res.serverCpuSeconds = cpu1 - cpu0;
        res.generatorCpuSeconds = gen1 - gen0;
        if (timings0.isPresent() && timings1.isPresent()) {
            ServerTimings window = timings1.get().minus(timings0.get());
            res.detail.put("server", window.detail());
            res.note = res.note.isEmpty() ? window.summary() : res.note + "; " + window.summary();
        }
        return res;
    }

    // ---------------------------------------------------------------- S4

    /**
     * The knee: 1 board, {@code perBoard} clients all writing (S4: 20; S4E: 4, where delivery is
     * cheap enough that sequencing and persistence limit first); the total rate rises as
     * {@link KneeSchedule} says (25 % a step, then 6 % from the last sustained rate) until a step's
     * p99 exceeds 100 ms (or fewer than 99 % of its ops complete, or it achieves under 90 % of its
     * offer). Then the overload stops and a light load shows how fast p99 comes back under 100 ms,
     * in 100 ms windows by send time.
     */
    ScenarioResult knee(Running r, String id, int perBoard) {
        Target t = r.target();
        ScenarioResult res = result(r, id, "knee: 1 board, " + perBoard + " clients all writing, rate raised until p99 > 100 ms");
        PhaseBook book = new PhaseBook();
        List<Room> rooms = createRooms(t, 1, id);
        List<BenchClient> cs = clients(t, book, rooms, perBoard);
        connect(cs, true);
        long stepNs = o.stepSeconds * SEC;
        long t0 = System.nanoTime() + 200 * MS;
        double warmRate = 1000;
        book.start("warmup", t0, warmRate);
        long warmEnd = t0 + Math.max(2, o.warmupSeconds) * SEC;
        cs.forEach(c -> c.pace(warmRate / perBoard, t0, warmEnd));

        List<Map<String, Object>> steps = new ArrayList<>();
        List<Phase> stepPhases = new ArrayList<>();
        Phase best = null;
        double bestAchieved = Double.NaN;
        KneeSchedule schedule = new KneeSchedule(2000, 400_000);
        double rate = schedule.first();
        long start = warmEnd;
        sleepUntil(warmEnd - 200 * MS);
        profileStart(r);
        double cpu0 = cpu(r.probe());
        double gen0 = generator.cpuSeconds();
        double all0 = ProcessProbe.machineBusySeconds();
        Phase previous = null;
        double previousRate = 0;
        String stopReason = "rate ceiling of the generator schedule reached";
        String lastFailure = null;
        while (true) {
            Phase step = null;
            if (!Double.isNaN(rate)) {
                // queue this step shortly before it begins, so pacing continues without a pause
                sleepUntil(start - 150 * MS);
                step = book.start(String.format("step-%.0f", rate), start, rate);
                stepPhases.add(step);
                double perClient = rate / perBoard;
                long stepStart = start;
                cs.forEach(c -> c.pace(perClient, stepStart, stepStart + stepNs));
            }
            if (previous != null) {
                // judge the previous step once its last ops had a moment to arrive
                sleepUntil(start + 250 * MS);
                Map<String, Object> s = judge(t, previous, previousRate, perBoard - 1, stepNs / 1e9);
                steps.add(s);
                if (!(Boolean) s.get("sustained")) {
                    lastFailure = "step " + String.format("%.0f", previousRate) + " ops/s: " + s.get("why");
                    double again = schedule.failed(previousRate);
                    if (Double.isNaN(again)) {
                        stopReason = lastFailure;
                        break;
                    }
                    // a retry, or the fine climb from the last sustained rate: pause so that the
                    // failed step's backlog drains before the next one is judged
                    if (again == previousRate) {
                        s.put("retried", true);
                    } else {
                        s.put("fineClimbNext", round(again));
                    }
                    Future.all(cs.stream().map(BenchClient::stopPacing).toList()).timeout(30, TimeUnit.SECONDS).await();
                    start = System.nanoTime() + 500 * MS;
                    rate = again;
                    previous = null;
                    continue;
                }
                schedule.sustained(previousRate);
                best = previous;
                bestAchieved = Math.max(Double.isNaN(bestAchieved) ? 0 : bestAchieved, (Double) s.get("achievedOpsPerSec"));
            }
            if (step == null) {
                if (lastFailure != null) stopReason = lastFailure + "; the fine steps under it were sustained";
                break;
            }
            previous = step;
            previousRate = rate;
            start += stepNs;
            rate = schedule.after(rate);
        }
        // overload stops now: drop to a light load and watch p99 in 100 ms windows
        long overloadEnd = System.nanoTime();
        Future.all(cs.stream().map(BenchClient::stopPacing).toList()).timeout(30, TimeUnit.SECONDS).await();
        double cpu1 = cpu(r.probe());
        double gen1 = generator.cpuSeconds();
        double all1 = ProcessProbe.machineBusySeconds();
        profileStop(r);
        res.otherCpuSeconds = (all1 - all0) - (cpu1 - cpu0) - (gen1 - gen0);
        double recoveryRate = Math.max(200, Double.isNaN(bestAchieved) ? 200 : bestAchieved / 4);
        int windows = 50;
        List<Phase> win = new ArrayList<>();
        for (int i = 0; i < windows; i++) {
            win.add(book.start("recovery-" + i, overloadEnd + i * 100 * MS, recoveryRate));
        }
        book.start("drain", overloadEnd + windows * 100 * MS, 0);
        cs.forEach(c -> c.pace(recoveryRate / perBoard, overloadEnd, overloadEnd + windows * 100 * MS));
        sleepUntil(overloadEnd + windows * 100 * MS);
        Violations v = drain(t, cs, book, 20_000);
        closeAll(cs);

        // recovered at the first 100 ms window from which p99 stays under the line for a whole
        // second (ten windows): one later spike of another process does not undo a recovery
        int recovered = recoveryWindow(win.stream().map(w -> w.delivery.count() > 0 && w.delivery.p99Ms() <= KNEE_P99_MS
                && (!t.sequenced() || w.ack.p99Ms() <= KNEE_P99_MS)).toList(), 10);
        List<Double> winP99 = new ArrayList<>();
        for (Phase w : win) {
            winP99.add(round(w.delivery.p99Ms()));
        }
        res.boards = 1;
        res.clients = perBoard;
        res.writers = perBoard;
        res.seconds = o.stepSeconds;
        if (best != null) {
            res.offeredOpsPerSec = best.offeredOpsPerSec;
            res.sentOpsPerSec = best.sent.sum() / (stepNs / 1e9);
            res.achievedOpsPerSec = bestAchieved;
            res.deliveriesPerSec = best.deliveriesArrived.sum() / (stepNs / 1e9);
            latency(res, best);
        }
        res.kneeOpsPerSec = bestAchieved;
        // work done while the CPU was measured: every op completed during the steps
        res.opsInCpuWindow = stepPhases.stream().mapToDouble(ph -> achieved(t, ph, perBoard - 1, 1.0)).sum();
        res.recoveryMs = recovered < 0 ? Double.NaN : recovered * 100.0;
        res.errors = errors(book);
        violations(res, v);
        res.serverCpuSeconds = cpu1 - cpu0;
        res.generatorCpuSeconds = gen1 - gen0;
        res.note = "stopped: " + stopReason + (recovered < 0 ? "; p99 never stayed under 100 ms for 1 s within 5 s" : "");
        res.detail.put("steps", steps);
        res.detail.put("recoveryRateOpsPerSec", recoveryRate);
        res.detail.put("recoveryWindowP99Ms", winP99);
        return res;
    }

    /** The first index from which {@code run} consecutive windows are fine, or -1. */
    static int recoveryWindow(List<Boolean> fine, int run) {
        int streak = 0;
        for (int i = 0; i < fine.size(); i++) {
            streak = fine.get(i) ? streak + 1 : 0;
            if (streak == run) {
                return i - run + 1;
            }
        }
        return -1;
    }

    private static Map<String, Object> judge(Target t, Phase p, double rate, int fanOut, double secs) {
        long sent = Math.max(1, p.sent.sum());
        double delivered = (double) p.delivery.count() / ((double) sent * fanOut);
        double acked = t.sequenced() ? (double) p.ackedOfSent.sum() / sent : delivered;
        double achieved = achieved(t, p, fanOut, secs);
        double p99 = p.delivery.p99Ms();
        double ackP99 = t.sequenced() ? p.ack.p99Ms() : Double.NaN;
        String why = null;
        if (!(p99 <= KNEE_P99_MS)) {
            why = "delivery p99 " + round(p99) + " ms";
        } else if (t.sequenced() && !(ackP99 <= KNEE_P99_MS)) {
            why = "ack p99 " + round(ackP99) + " ms";
        } else if (delivered < 0.99 || acked < 0.99) {
            why = String.format("only %.1f%% delivered / %.1f%% acked in time", delivered * 100, acked * 100);
        } else if (achieved < 0.9 * rate) {
            why = String.format("achieved %.0f of %.0f ops/s", achieved, rate);
        } else if (p.errorCount() > 0) {
            why = "errors " + p.errors();
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("offeredOpsPerSec", rate);
        s.put("achievedOpsPerSec", round(achieved));
        s.put("deliveryP50Ms", round(p.delivery.p50Ms()));
        s.put("deliveryP99Ms", round(p99));
        s.put("ackP99Ms", round(ackP99));
        s.put("completedFraction", round(Math.min(delivered, acked)));
        s.put("sustained", why == null);
        if (why != null) {
            s.put("why", why);
        }
        return s;
    }

    private static Double round(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 100) / 100.0;
    }

    // ---------------------------------------------------------------- S5

    /**
     * Idle scale: heap after a forced full GC, measured before connecting, after N idle sockets,
     * after one join per board (opens the boards), and after the other joins.
     */
    ScenarioResult idle(Running r) {
        Target t = r.target();
        int n = o.idleConnections;
        int boards = o.idleBoards;
        int perBoard = Math.max(1, n / boards);
        ScenarioResult res = result(r, "S5", "idle scale: " + n + " idle connections over " + boards + " boards");
        PhaseBook book = new PhaseBook();
        List<Room> rooms = createRooms(t, boards, "S5");
        List<BenchClient> cs = clients(t, book, rooms, perBoard);
        ProcessProbe p = r.probe();
        Map<String, Object> d = res.detail;
        long heap0 = p == null ? -1 : p.heapUsedAfterGcBytes();
        long rss0 = p == null ? -1 : p.rssBytes();
        Map<String, Long> classes0 = p == null ? Map.of() : p.classHistogram();
        long c0 = System.nanoTime();
        List<BenchClient> connected = connect(cs, false, book, true);
        if (connected.size() < cs.size()) {
            res.note = (cs.size() - connected.size()) + " of " + cs.size() + " connections failed";
            // per-connection figures below divide by what actually connected
            rooms.forEach(room -> room.clients.retainAll(connected));
            cs = connected;
        }
        d.put("connectSeconds", round((System.nanoTime() - c0) / 1e9));
        long heap1 = p == null ? -1 : p.heapUsedAfterGcBytes();
        if (p != null) {
            d.put("topClassesBytesPerConnection", topGrowth(classes0, p.classHistogram(), cs.size(), 12));
        }
        List<BenchClient> first = rooms.stream().filter(room -> !room.clients.isEmpty()).map(room -> room.clients.get(0)).toList();
        List<BenchClient> rest = rooms.stream().filter(room -> !room.clients.isEmpty())
                .flatMap(room -> room.clients.subList(1, room.clients.size()).stream()).toList();
        long j0 = System.nanoTime();
        join(first);
        d.put("firstJoinsSeconds", round((System.nanoTime() - j0) / 1e9));
        long heap2 = p == null ? -1 : p.heapUsedAfterGcBytes();
        Map<String, Long> classes2 = p == null ? Map.of() : p.classHistogram();
        join(rest);
        long heap3 = p == null ? -1 : p.heapUsedAfterGcBytes();
        if (p != null && !rest.isEmpty() && t.sequenced()) {
            d.put("topClassesBytesPerJoin", topGrowth(classes2, p.classHistogram(), rest.size(), 8));
        }
        long rss3 = p == null ? -1 : p.rssBytes();
        // all sockets still open and quiet? (a server that drops idle sockets shows up as CLOSE_ errors)
        sleepMs(2000);
        res.errors = errors(book);
        closeAll(cs);

        res.boards = boards;
        res.clients = cs.size();
        res.writers = 0;
        if (heap0 >= 0 && heap1 >= 0 && heap2 >= 0 && heap3 >= 0) {
            double conn = (heap1 - heap0) / 1024.0 / cs.size();
            d.put("heapMiB", List.of(heap0 / 1048576.0, heap1 / 1048576.0, heap2 / 1048576.0, heap3 / 1048576.0));
            res.heapPerConnectionKiB = conn;
            if (t.sequenced()) {
                double join = rest.isEmpty() ? Double.NaN : (heap3 - heap2) / 1024.0 / rest.size();
                res.heapPerJoinKiB = join;
                res.heapPerBoardKiB = (heap2 - heap1) / 1024.0 / boards - (Double.isNaN(join) ? 0 : join);
                // the budget figure: a connection joined to a board, board state excluded
                d.put("heapPerIdleJoinedConnectionKiB", round(conn + (Double.isNaN(join) ? 0 : join)));
            }
        }
        if (rss0 > 0 && rss3 > 0) {
            d.put("rssPerConnectionKiB", round((rss3 - rss0) / 1024.0 / cs.size()));
        }
        return res;
    }

    /** The classes whose live bytes grew most between two histograms, as bytes per unit. */
    private static Map<String, Double> topGrowth(Map<String, Long> before, Map<String, Long> after, int units, int n) {
        Map<String, Double> out = new LinkedHashMap<>();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(n)
                .forEach(e -> out.put(e.getKey(), round((double) e.getValue() / units)));
        return out;
    }

    // ---------------------------------------------------------------- S6

    /**
     * Cold start: fill a board with {@code --cold-ops} ops, stop the server (SIGTERM), start a new
     * one on the same data dir, and time process start → listening → the first {@code joined}
     * snapshot of that board (including login and connect, as a real first user would).
     */
    ScenarioResult coldStart() throws Exception {
        ScenarioResult res = new ScenarioResult();
        res.scenario = "S6";
        res.title = "cold start: serve a board whose log holds " + o.coldOps + " ops";
        res.target = "linkboard";
        res.boards = 1;
        res.clients = 1;
        if (!o.embedded()) {
            res.note = "needs embedded mode (it restarts the server)";
            return res;
        }
        Path data = Files.createTempDirectory(workDir, "S6-data-");
        String boardId;
        long fillStart = System.nanoTime();
        // the fill is closed loop and may run faster than the per-socket rate limit allows
        try (Running r = startLinkboard("S6", data, List.of("--ws-rate", "10000000", "--ws-burst", "10000000"))) {
            PhaseBook book = new PhaseBook();
            List<Room> rooms = createRooms(r.target(), 1, "S6");
            boardId = rooms.get(0).id;
            List<BenchClient> writers = clients(r.target(), book, rooms, 4);
            connect(writers, true);
            // closed-ish loop: fill as fast as acks come back, without an unbounded backlog
            long perWriter = o.coldOps / writers.size();
            Future.all(writers.stream().map(w -> w.fill(perWriter, 200)).toList()).timeout(900, TimeUnit.SECONDS).await();
            closeAll(writers);
            res.coldOps = perWriter * writers.size();
            res.errors = errors(book);
            res.detail.put("fillSeconds", round((System.nanoTime() - fillStart) / 1e9));
            res.detail.put("fillOpsPerSec", round(res.coldOps / ((System.nanoTime() - fillStart) / 1e9)));
        }
        res.detail.put("dataDirMiB", round(dirSize(data) / 1048576.0));
        try {
            return coldJoin(res, data, boardId, List.of(PROFILE_FROM_START));
        } catch (RuntimeException e) {
            // Keep the finding, then measure with a session queue big enough for the snapshot.
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            res.note = "with default flags the first join failed (" + why + "); measured with --session-queue 1 GiB";
            res.detail.put("defaultFlagsJoinError", why);
            return coldJoin(res, data, boardId, List.of(PROFILE_FROM_START, "--session-queue", Integer.toString(1 << 30)));
        }
    }

    private ScenarioResult coldJoin(ScenarioResult res, Path data, String boardId, List<String> serverArgs) throws Exception {
        try (Running r = startLinkboard("S6", data, serverArgs)) {
            ChildServer child = r.child();
            PhaseBook book = new PhaseBook();
            Room room = new Room(boardId);
            BenchClient c = new BenchClient(vertx, r.target(), book, room, 0, runTag());
            c.connect(ws).timeout(120, TimeUnit.SECONDS).await();
            long joinSent = System.nanoTime();
            long version = c.join().timeout(120, TimeUnit.SECONDS).await();
            long joined = System.nanoTime();
            // and a second, warm join for comparison
            BenchClient c2 = new BenchClient(vertx, r.target(), book, room, 1, runTag());
            c2.connect(ws).timeout(120, TimeUnit.SECONDS).await();
            long w0 = System.nanoTime();
            c2.join().timeout(120, TimeUnit.SECONDS).await();
            long w1 = System.nanoTime();
            res.coldListeningMs = (child.listeningNanos() - child.startNanos()) / 1e6;
            res.coldJoinedMs = (joined - child.startNanos()) / 1e6;
            res.detail.put("loginMs", round(lastLoginMs));
            res.detail.put("connectAfterLoginMs", round((joinSent - child.listeningNanos()) / 1e6 - lastLoginMs));
            res.detail.put("joinRoundTripColdMs", round((joined - joinSent) / 1e6));
            res.detail.put("joinRoundTripWarmMs", round((w1 - w0) / 1e6));
            res.detail.put("joinedVersion", version);
            res.detail.put("joinedMessageMiB", round(c.joinedBytes() / 1048576.0));
            if (version < res.coldOps) {
                res.note = (res.note.isEmpty() ? "" : res.note + "; ") + "joined version " + version + " < ops written " + res.coldOps;
            }
            closeAll(List.of(c, c2));
            errors(book).forEach((k, v) -> res.errors.merge(k, v, Long::sum));
            res.serverPeakRssMiB = r.probe().peakRssBytes() / 1048576.0;
            return finish(r, res);
        }
    }

    private static long dirSize(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}

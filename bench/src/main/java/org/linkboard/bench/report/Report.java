package org.linkboard.bench.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The results of a bench run, rendered as a fixed-width text table (for the terminal and
 * docs/performance.md) and as JSON (for tools). Each Linkboard row is also given as a ratio to the
 * relay row of the same scenario, when there is one: p99 latency (×, lower is better, budget ≤ 1.3
 * for S1/S2) and server CPU per op (×, lower is better; unlike latency it hardly moves when other
 * processes share the machine); the JSON adds achieved ops/s, CPU seconds and heap ratios.
 *
 * <p>Not thread-safe; used by the orchestrating thread after the scenarios have run.
 */
public final class Report {
    private final List<ScenarioResult> results = new ArrayList<>();
    private final Map<String, String> environment;

    public Report(Map<String, String> environment) {
        this.environment = environment;
    }

    public void add(ScenarioResult r) {
        results.add(r);
    }

    public List<ScenarioResult> results() {
        return List.copyOf(results);
    }

    /** The relay row of {@code r}'s scenario, if {@code r} is a Linkboard row and the relay ran it. */
    public Optional<ScenarioResult> relayOf(ScenarioResult r) {
        if ("relay".equals(r.target)) {
            return Optional.empty();
        }
        return results.stream().filter(o -> "relay".equals(o.target) && o.scenario.equals(r.scenario)
                && o.round == r.round).findFirst();
    }

    /** Whether {@code scenario} ran more than once ({@code --repeat}), so its rows are labelled by round. */
    private boolean repeated(String scenario) {
        return results.stream().anyMatch(o -> o.scenario.equals(scenario) && o.round > 1);
    }

    private String label(ScenarioResult r) {
        return repeated(r.scenario) ? r.scenario + " #" + r.round : r.scenario;
    }

    /**
     * The per-round ratios to the relay of each Linkboard scenario that ran more than once, and
     * their medians, e.g. {@code S1: p99 x relay 1.43x 1.55x 1.82x, median 1.55x; cpu/op x relay
     * ..., median ...}: one line per scenario; empty when nothing was repeated.
     */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        repeats().forEach((scenario, figures) -> {
            sb.append(scenario).append(" over ").append(figures.p99.size()).append(" rounds: p99 x relay");
            figures.p99.forEach(x -> sb.append(' ').append(times(x)));
            sb.append(", median ").append(times(median(figures.p99))).append("; cpu/op x relay");
            figures.cpuPerOp.forEach(x -> sb.append(' ').append(times(x)));
            sb.append(", median ").append(times(median(figures.cpuPerOp))).append('\n');
        });
        return sb.isEmpty() ? "" : "\n" + sb;
    }

    /** Per repeated scenario (in run order), its Linkboard rows' ratios to the relay, round by round. */
    private Map<String, RoundRatios> repeats() {
        Map<String, RoundRatios> out = new java.util.LinkedHashMap<>();
        for (ScenarioResult r : results) {
            if (!repeated(r.scenario)) continue;
            relayOf(r).ifPresent(relay -> {
                RoundRatios figures = out.computeIfAbsent(r.scenario, k -> new RoundRatios(new ArrayList<>(), new ArrayList<>()));
                figures.p99.add(ratio(r.p99Ms, relay.p99Ms));
                figures.cpuPerOp.add(ratio(r.serverCpuMicrosPerOp(), relay.serverCpuMicrosPerOp()));
            });
        }
        return out;
    }

    private record RoundRatios(List<Double> p99, List<Double> cpuPerOp) {
    }

    /** The median, NaN when empty or any value is NaN; the mean of the middle two for an even count. */
    static double median(List<Double> values) {
        if (values.isEmpty() || values.stream().anyMatch(v -> Double.isNaN(v))) {
            return Double.NaN;
        }
        List<Double> sorted = values.stream().sorted().toList();
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }

    /** A ratio, or NaN when either side is missing or the denominator is 0. */
    public static double ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
            return Double.NaN;
        }
        return a / b;
    }

    private static final String[] HEAD = {"scenario", "target", "offered/s", "achieved/s", "deliv/s",
            "p50 ms", "p99 ms", "max ms", "errors", "violations", "cpu s", "peak RSS MiB",
            "srv cpu us/op", "p99 x relay", "cpu/op x relay", "extra"};

    /** The table: one header, one row per result, columns padded to their widest cell. */
    public String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEAD);
        for (ScenarioResult r : results) {
            Optional<ScenarioResult> relay = relayOf(r);
            rows.add(new String[] {
                    label(r), r.target, num(r.offeredOpsPerSec), num(r.achievedOpsPerSec), num(r.deliveriesPerSec),
                    ms(r.p50Ms), ms(r.p99Ms), ms(r.maxMs), Long.toString(r.errorCount()), Long.toString(r.violations()),
                    fixed(r.serverCpuSeconds, 1), fixed(r.serverPeakRssMiB, 0), fixed(r.serverCpuMicrosPerOp(), 0),
                    relay.map(x -> times(ratio(r.p99Ms, x.p99Ms))).orElse(""),
                    relay.map(x -> times(ratio(r.serverCpuMicrosPerOp(), x.serverCpuMicrosPerOp()))).orElse(""),
                    extra(r)});
        }
        int[] width = new int[HEAD.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < rows.size(); k++) {
            String[] row = rows.get(k);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                // text columns left-aligned, figures right-aligned
                boolean left = i < 2 || i == row.length - 1;
                String cell = row[i];
                String pad = " ".repeat(width[i] - cell.length());
                line.append(left ? cell + pad : pad + cell);
                if (i < row.length - 1) {
                    line.append(" | ");
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
            if (k == 0) {
                StringBuilder rule = new StringBuilder();
                for (int i = 0; i < width.length; i++) {
                    rule.append("-".repeat(width[i]));
                    if (i < width.length - 1) {
                        rule.append("-+-");
                    }
                }
                sb.append(rule).append('\n');
            }
        }
        return sb.toString();
    }

    static String extra(ScenarioResult r) {
        List<String> parts = new ArrayList<>();
        if (!Double.isNaN(r.kneeOpsPerSec)) {
            parts.add("knee " + num(r.kneeOpsPerSec) + " ops/s");
        }
        if (!Double.isNaN(r.recoveryMs)) {
            parts.add("recovery " + ms(r.recoveryMs) + " ms");
        }
        if (!Double.isNaN(r.heapPerConnectionKiB)) {
            parts.add("heap/conn " + fixed(r.heapPerConnectionKiB, 1) + " KiB");
        }
        if (!Double.isNaN(r.heapPerJoinKiB)) {
            parts.add("heap/join " + fixed(r.heapPerJoinKiB, 1) + " KiB");
        }
        if (!Double.isNaN(r.heapPerBoardKiB)) {
            parts.add("heap/board " + fixed(r.heapPerBoardKiB, 1) + " KiB");
        }
        if (!Double.isNaN(r.coldJoinedMs)) {
            String coldJoin = r.detail.get("joinRoundTripColdMs") instanceof Number n
                    ? "; cold join " + ms(n.doubleValue()) + " ms" : "";
            parts.add("cold start: listening " + ms(r.coldListeningMs) + " ms, joined " + ms(r.coldJoinedMs)
                    + " ms (" + r.coldOps + " ops)" + coldJoin);
        }
        if (!Double.isNaN(r.otherCpuSeconds) && !Double.isNaN(r.seconds) && r.otherCpuSeconds > 0.2 * r.seconds) {
            // other processes took more than a fifth of a core: the figures are noisy
            parts.add("other procs " + fixed(r.otherCpuSeconds, 1) + " cpu s");
        }
        if (!r.errors.isEmpty()) {
            parts.add("errors " + r.errors);
        }
        if (r.violations() > 0) {
            parts.add("gaps " + r.gaps + " dup " + r.duplicates + " ooo " + r.outOfOrder + " lost " + r.lost);
        }
        if (!r.note.isEmpty()) {
            parts.add(r.note);
        }
        return String.join("; ", parts);
    }

    /** The whole run as JSON: environment, and per result every figure plus its relay ratios. */
    public JsonObject json() {
        JsonArray arr = new JsonArray();
        for (ScenarioResult r : results) {
            JsonObject o = new JsonObject()
                    .put("scenario", r.scenario).put("round", r.round).put("title", r.title).put("target", r.target)
                    .put("seconds", n(r.seconds)).put("boards", r.boards).put("clients", r.clients).put("writers", r.writers)
                    .put("offeredOpsPerSec", n(r.offeredOpsPerSec)).put("sentOpsPerSec", n(r.sentOpsPerSec))
                    .put("achievedOpsPerSec", n(r.achievedOpsPerSec)).put("deliveriesPerSec", n(r.deliveriesPerSec))
                    .put("latencyMs", new JsonObject().put("p50", n(r.p50Ms)).put("p99", n(r.p99Ms)).put("max", n(r.maxMs)))
                    .put("ackLatencyMs", new JsonObject().put("p50", n(r.ackP50Ms)).put("p99", n(r.ackP99Ms)).put("max", n(r.ackMaxMs)))
                    .put("errors", new JsonObject(new java.util.LinkedHashMap<>(r.errors)))
                    .put("violations", new JsonObject().put("gaps", r.gaps).put("duplicates", r.duplicates)
                            .put("outOfOrder", r.outOfOrder).put("lost", r.lost))
                    .put("serverCpuSeconds", n(r.serverCpuSeconds)).put("generatorCpuSeconds", n(r.generatorCpuSeconds))
                    .put("otherCpuSeconds", n(r.otherCpuSeconds))
                    .put("serverPeakRssMiB", n(r.serverPeakRssMiB))
                    .put("serverCpuMicrosPerOp", n(r.serverCpuMicrosPerOp()))
                    .put("heapPerConnectionKiB", n(r.heapPerConnectionKiB)).put("heapPerJoinKiB", n(r.heapPerJoinKiB))
                    .put("heapPerBoardKiB", n(r.heapPerBoardKiB))
                    .put("kneeOpsPerSec", n(r.kneeOpsPerSec)).put("recoveryMs", n(r.recoveryMs))
                    .put("coldStart", new JsonObject().put("listeningMs", n(r.coldListeningMs))
                            .put("joinedMs", n(r.coldJoinedMs)).put("ops", r.coldOps < 0 ? null : r.coldOps))
                    .put("note", r.note)
                    .put("detail", new JsonObject(new java.util.LinkedHashMap<>(r.detail)));
            relayOf(r).ifPresent(x -> o.put("ratioToRelay", new JsonObject()
                    .put("p99", n(ratio(r.p99Ms, x.p99Ms)))
                    .put("achievedOpsPerSec", n(ratio(r.achievedOpsPerSec, x.achievedOpsPerSec)))
                    .put("serverCpuSeconds", n(ratio(r.serverCpuSeconds, x.serverCpuSeconds)))
                    .put("serverCpuPerOp", n(ratio(r.serverCpuMicrosPerOp(), x.serverCpuMicrosPerOp())))
                    .put("heapPerConnection", n(ratio(r.heapPerConnectionKiB, x.heapPerConnectionKiB)))));
            arr.add(o);
        }
        JsonObject repeats = new JsonObject();
        repeats().forEach((scenario, figures) -> repeats.put(scenario, new JsonObject()
                .put("rounds", figures.p99.size())
                .put("p99RatioToRelay", new JsonArray(figures.p99.stream().map(Report::n).toList()))
                .put("medianP99RatioToRelay", n(median(figures.p99)))
                .put("serverCpuPerOpRatioToRelay", new JsonArray(figures.cpuPerOp.stream().map(Report::n).toList()))
                .put("medianServerCpuPerOpRatioToRelay", n(median(figures.cpuPerOp)))));
        return new JsonObject().put("environment", new JsonObject(new java.util.LinkedHashMap<>(environment))).put("results", arr)
                .put("repeats", repeats);
    }

    /** JSON has no NaN: not-measured figures become null; others are rounded to 3 decimals. */
    private static Double n(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return null;
        }
        return Math.round(v * 1000) / 1000.0;
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String ms(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return v < 10 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String fixed(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static String times(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2fx", v);
    }
}

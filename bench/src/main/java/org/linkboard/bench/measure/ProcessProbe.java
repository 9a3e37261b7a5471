package org.linkboard.bench.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Reads the resource use of a local JVM process from Linux {@code /proc} and the JDK tools
 * ({@code jcmd}, {@code jstat}): CPU seconds, current and peak resident set, and heap in use after
 * a forced full GC.
 *
 * <p>Blocking (reads files, runs child processes): call it from the orchestrating thread, never
 * from an event loop. Works only on Linux and only for a process of the same user; the bench
 * reports "n/a" where a figure cannot be read (e.g. {@code --url} mode without {@code --server-pid}).
 */
public final class ProcessProbe {
    /** USER_HZ; 100 on every Linux the bench is meant for (getconf CLK_TCK). */
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    private final long pid;

    public ProcessProbe(long pid) {
        this.pid = pid;
    }

    public static ProcessProbe self() {
        return new ProcessProbe(ProcessHandle.current().pid());
    }

    public long pid() {
        return pid;
    }

    /** User + system CPU seconds consumed so far. */
    public double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return cpuSecondsFromStat(stat);
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    /** Parses fields 14 (utime) and 15 (stime) of a {@code /proc/PID/stat} line. */
    static double cpuSecondsFromStat(String stat) {
        // The command name (field 2) may contain spaces and parentheses: count from the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state), so utime (field 14) is f[11], stime (field 15) f[12].
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS_PER_SECOND;
    }

    /**
     * CPU seconds the whole machine has been busy (all cores, all processes) since boot, from
     * {@code /proc/stat}. The difference over a window, minus the server's and the generator's
     * own, is what <em>other</em> processes took: on a shared machine that is the noise in a result.
     */
    public static double machineBusySeconds() {
        try {
            return machineBusySecondsFromStat(Files.readAllLines(Path.of("/proc/stat")).get(0));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** user + nice + system + irq + softirq + steal of the {@code cpu} line of {@code /proc/stat}. */
    static double machineBusySecondsFromStat(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        long busy = 0;
        for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
            if (i < f.length) {
                busy += Long.parseLong(f[i]);
            }
        }
        return busy / CLOCK_TICKS_PER_SECOND;
    }

    /** The 1-minute load average, or NaN. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Peak resident set size in bytes ({@code VmHWM}). */
    public long peakRssBytes() {
        return statusKb("VmHWM") * 1024;
    }

    /** Current resident set size in bytes ({@code VmRSS}). */
    public long rssBytes() {
        return statusKb("VmRSS") * 1024;
    }

    private long statusKb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.substring(key.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return -1;
    }

    /**
     * Forces a full GC ({@code jcmd PID GC.run}) and returns the heap then in use, in bytes, from
     * {@code jstat -gc} (survivors + eden + old). Returns -1 when the tools fail.
     */
    public long heapUsedAfterGcBytes() {
        try {
            run(List.of("jcmd", Long.toString(pid), "GC.run"));
            // A second collection lets objects freed by finalisation/reference processing go too.
            run(List.of("jcmd", Long.toString(pid), "GC.run"));
            return jstatUsedBytes(run(List.of("jstat", "-gc", Long.toString(pid))));
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Live objects by class ({@code jcmd PID GC.class_histogram}, which collects first): bytes per
     * class name. Empty when the tool fails.
     */
    public Map<String, Long> classHistogram() {
        try {
            return parseClassHistogram(run(List.of("jcmd", Long.toString(pid), "GC.class_histogram")));
        } catch (IOException e) {
            return Map.of();
        }
    }

    /** Parses {@code num: instances bytes class-name [(module)]} lines. */
    static Map<String, Long> parseClassHistogram(String out) {
        Map<String, Long> m = new HashMap<>();
        for (String line : out.split("\\R")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                try {
                    m.merge(f[3], Long.parseLong(f[2]), Long::sum);
                } catch (NumberFormatException e) {
                    // header or total line
                }
            }
        }
        return m;
    }

    /** Sums S0U, S1U, EU and OU (KiB) of {@code jstat -gc} output into bytes. */
    static long jstatUsedBytes(String out) {
        String[] lines = out.trim().split("\\R");
        if (lines.length < 2) {
            throw new IllegalArgumentException("unexpected jstat output: " + out);
        }
        String[] head = lines[0].trim().split("\\s+");
        String[] vals = lines[lines.length - 1].trim().split("\\s+");
        double kb = 0;
        for (int i = 0; i < head.length && i < vals.length; i++) {
            switch (head[i]) {
                case "S0U", "S1U", "EU", "OU" -> kb += Double.parseDouble(vals[i].replace(',', '.'));
                default -> { }
            }
        }
        return (long) (kb * 1024);
    }

    /** Runs a JDK tool against the process; returns its output. */
    public String jcmd(String... command) throws IOException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add("jcmd");
        cmd.add(Long.toString(pid));
        cmd.addAll(List.of(command));
        return run(cmd);
    }

    private static String run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(cmd + " failed: " + new String(out, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}

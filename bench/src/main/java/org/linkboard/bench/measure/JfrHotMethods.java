package org.linkboard.bench.measure;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where a JFR recording says the CPU went: CPU samples ({@code jdk.ExecutionSample}) counted by the
 * method on top of the stack (self time), by that method's package, and by the innermost Linkboard
 * method on the stack (so time spent in Jackson or Netty on behalf of, say, the op log is charged to
 * the op log).
 *
 * <p>Blocking (reads a file); call from the orchestrating thread after the recording was dumped.
 */
public final class JfrHotMethods {
    private final Map<String, Long> selfByMethod = new HashMap<>();
    private final Map<String, Long> selfByPackage = new HashMap<>();
    private final Map<String, Long> byLinkboardFrame = new HashMap<>();
    private long samples;

    private JfrHotMethods() {
    }

    /** Reads every execution sample of {@code recording}. */
    public static JfrHotMethods read(Path recording) throws IOException {
        JfrHotMethods h = new JfrHotMethods();
        try (RecordingFile f = new RecordingFile(recording)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace st = e.getStackTrace();
                if (st == null || st.getFrames().isEmpty()) {
                    continue;
                }
                h.samples++;
                List<RecordedFrame> frames = st.getFrames();
                RecordedMethod top = frames.get(0).getMethod();
                h.selfByMethod.merge(name(top), 1L, Long::sum);
                h.selfByPackage.merge(pkg(top), 1L, Long::sum);
                String owner = "(no Linkboard frame)";
                for (RecordedFrame fr : frames) {
                    String n = name(fr.getMethod());
                    if (n.startsWith("org.linkboard.")) {
                        owner = n;
                        break;
                    }
                }
                h.byLinkboardFrame.merge(owner, 1L, Long::sum);
            }
        }
        return h;
    }

    private static String name(RecordedMethod m) {
        return m == null ? "?" : m.getType().getName() + "." + m.getName();
    }

    private static String pkg(RecordedMethod m) {
        if (m == null) {
            return "?";
        }
        String t = m.getType().getName();
        int i = t.lastIndexOf('.');
        return i < 0 ? "" : t.substring(0, i);
    }

    public long samples() {
        return samples;
    }

    /** The {@code n} largest entries as "name → percent of samples", largest first. */
    public Map<String, Double> top(Map<String, Long> counts, int n) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(n)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> Math.round(1000.0 * e.getValue() / Math.max(1, samples)) / 10.0,
                        (a, b) -> a, LinkedHashMap::new));
    }

    public Map<String, Double> topSelfMethods(int n) {
        return top(selfByMethod, n);
    }

    public Map<String, Double> topPackages(int n) {
        return top(selfByPackage, n);
    }

    public Map<String, Double> topLinkboardFrames(int n) {
        return top(byLinkboardFrame, n);
    }

    /** A readable summary: three top-{@code n} lists in percent of CPU samples. */
    public String summary(int n) {
        StringBuilder sb = new StringBuilder("CPU samples: " + samples + "\n");
        section(sb, "self time by method", topSelfMethods(n));
        section(sb, "self time by package", topPackages(n));
        section(sb, "innermost Linkboard frame", topLinkboardFrames(n));
        return sb.toString();
    }

    private static void section(StringBuilder sb, String title, Map<String, Double> m) {
        sb.append("  ").append(title).append(":\n");
        m.forEach((k, v) -> sb.append(String.format(java.util.Locale.ROOT, "    %5.1f%%  %s%n", v, k)));
    }
}

package org.linkboard.plugins.recruitment;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A candidate's stage history, kept in its {@code stageLog} field as a list of strings
 * {@code "stage@instant"} (e.g. {@code "interview@2026-03-02T09:15:00Z"}), oldest first.
 *
 * <p>Why a field and not module state: the plugin API gives a module no storage of its own, and its
 * listener only sees operations from the moment it runs. A field travels with the candidate through
 * snapshots, exports, imports and restarts, is written by the same durable ops as everything else,
 * and lets the statistics route compute from the board alone. The time of an entry is the server's
 * acceptance time of the op that moved the candidate ({@code AppliedOpEvent.at}).
 *
 * <p>Immutable and pure. Entries that do not parse (typed in by an import) are skipped.
 */
record StageLog(List<Entry> entries) {

    /** One stay's start: the candidate entered {@code stage} at {@code at}. */
    record Entry(String stage, Instant at) {
        String encode() {
            return stage + "@" + at;
        }
    }

    StageLog {
        entries = List.copyOf(entries);
    }

    /** Reads the field's value (a list of strings, or absent). */
    static StageLog of(Object field) {
        List<Entry> out = new ArrayList<>();
        if (field instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof String s)) continue;
                int at = s.lastIndexOf('@');
                if (at <= 0) continue;
                try {
                    out.add(new Entry(s.substring(0, at), Instant.parse(s.substring(at + 1))));
                } catch (DateTimeParseException e) {
                    // Not ours: leave it out of the statistics rather than fail the whole board.
                }
            }
        }
        return new StageLog(out);
    }

    /** The stage of the last entry, or null when the log is empty. */
    String currentStage() {
        return entries.isEmpty() ? null : entries.get(entries.size() - 1).stage();
    }

    /** Whether the candidate has been in {@code stage} before (any entry). */
    boolean visited(String stage) {
        return entries.stream().anyMatch(e -> e.stage().equals(stage));
    }

    /** The field value with one more entry. */
    List<String> append(String stage, Instant at) {
        List<String> out = new ArrayList<>();
        entries.forEach(e -> out.add(e.encode()));
        out.add(new Entry(stage, at).encode());
        return out;
    }
}

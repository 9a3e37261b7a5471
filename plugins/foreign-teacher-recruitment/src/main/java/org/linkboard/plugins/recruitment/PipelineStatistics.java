package org.linkboard.plugins.recruitment;

import org.linkboard.api.BoardView;
import org.linkboard.api.ItemView;
import org.linkboard.api.StageSpec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline statistics of one board: how many candidates are in each stage now, and how many
 * days a stay in each stage lasts on average. Pure; safe from any thread.
 *
 * <p>A stay runs from a candidate's entry into a stage to its entry into the next one, both from
 * its {@link StageLog}. The current stay of a candidate counts up to {@code now}, except in the
 * final stages (arrival, rejected, withdrawn), where time does not say anything about the
 * pipeline. {@code averageDays} is rounded to one decimal and null when a stage had no stay yet.
 */
final class PipelineStatistics {

    private static final double MILLIS_PER_DAY = 86_400_000d;

    private PipelineStatistics() {
    }

    static Map<String, Object> of(BoardView board, List<StageSpec> stages, Instant now) {
        Map<String, Integer> count = new HashMap<>();
        Map<String, Long> stayMillis = new HashMap<>();
        Map<String, Integer> stays = new HashMap<>();
        int total = 0;
        for (ItemView c : board.items()) {
            if (!ForeignTeacherRecruitmentModule.CANDIDATE.equals(c.type())) continue;
            total++;
            if (c.stage() != null) count.merge(c.stage(), 1, Integer::sum);
            List<StageLog.Entry> log = StageLog.of(c.field("stageLog")).entries();
            for (int i = 0; i < log.size(); i++) {
                StageLog.Entry e = log.get(i);
                Instant end;
                if (i + 1 < log.size()) {
                    end = log.get(i + 1).at();
                } else if (!ForeignTeacherRecruitmentModule.FINAL_STAGES.contains(e.stage())) {
                    end = now;
                } else {
                    continue;
                }
                long ms = Math.max(0, Duration.between(e.at(), end).toMillis());
                stayMillis.merge(e.stage(), ms, Long::sum);
                stays.merge(e.stage(), 1, Integer::sum);
            }
        }
        List<Object> rows = new ArrayList<>();
        for (StageSpec s : stages) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", s.id());
            row.put("name", s.name());
            row.put("count", count.getOrDefault(s.id(), 0));
            int n = stays.getOrDefault(s.id(), 0);
            row.put("stays", n);
            row.put("averageDays", n == 0 ? null : BigDecimal.valueOf(stayMillis.get(s.id()) / MILLIS_PER_DAY / n)
                    .setScale(1, RoundingMode.HALF_UP).doubleValue());
            rows.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("board", board.boardId());
        out.put("asOf", now.toString());
        out.put("total", total);
        out.put("stages", rows);
        return out;
    }
}

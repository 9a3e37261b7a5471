package org.linkboard.plugins.exchange;

import org.linkboard.api.BoardView;
import org.linkboard.api.ItemView;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The exchange report over one or more boards: students sent (participants confirmed or later)
 * per country, per college and per year, and the change against a base year. Pure; safe from any
 * thread.
 *
 * <ul>
 * <li>A participant belongs to the programme its {@code programme} field names on the same board;
 *     country and year are the programme's, the college is the unit of the board.</li>
 * <li>{@code year}: the year the report is about. Given, {@code byCountry} and {@code byCollege}
 *     cover the programmes of that year only; not given, they cover every programme, and the
 *     change compares the latest programme year found.</li>
 * <li>{@code change}: {@code current - base}, {@code changePercent = 100*change/base} rounded to two
 *     decimals, absent (null) when the base is 0 — the same convention as the linkage baseline
 *     (docs/linkage.md). Null as a whole when there is no base year.</li>
 * </ul>
 */
final class ExchangeReport {

    private ExchangeReport() {
    }

    /** One counted participant with what the report groups by. */
    private record Sent(String country, String unit, Integer year) {
    }

    static Map<String, Object> of(List<BoardView> boards, Integer year, Integer baseYear) {
        List<Sent> sent = new ArrayList<>();
        for (BoardView board : boards) {
            for (ItemView p : board.items()) {
                if (!StudentExchangeModule.PARTICIPANT.equals(p.type()) || !StudentExchangeModule.COUNTED_STAGES.contains(p.stage())) continue;
                ItemView programme = p.field("programme") instanceof String id ? board.item(id) : null;
                if (programme == null || !StudentExchangeModule.PROGRAMME.equals(programme.type())) continue;
                String country = programme.field("country") instanceof String c && !c.isBlank() ? c.strip() : "(unknown)";
                Integer y = programme.field("year") instanceof Number n ? n.intValue() : null;
                sent.add(new Sent(country, board.unit(), y));
            }
        }
        Map<Integer, Long> perYear = new TreeMap<>();
        for (Sent s : sent) if (s.year() != null) perYear.merge(s.year(), 1L, Long::sum);
        Integer reportYear = year != null ? year : perYear.keySet().stream().max(Comparator.naturalOrder()).orElse(null);

        List<Sent> scope = year == null ? sent : sent.stream().filter(s -> year.equals(s.year())).toList();
        Map<String, Long> perCountry = new TreeMap<>();
        Map<String, Long> perUnit = new TreeMap<>();
        for (Sent s : scope) {
            perCountry.merge(s.country(), 1L, Long::sum);
            perUnit.merge(s.unit(), 1L, Long::sum);
        }

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("boards", boards.stream().map(BoardView::boardId).toList());
        out.put("year", year);
        out.put("participants", (long) scope.size());
        out.put("byCountry", rows(perCountry, "country"));
        out.put("byCollege", rows(perUnit, "unit"));
        List<Object> years = new ArrayList<>();
        perYear.forEach((y, n) -> years.add(row("year", y, n)));
        out.put("byYear", years);
        out.put("change", baseYear == null || reportYear == null ? null
                : change(baseYear, perYear.getOrDefault(baseYear, 0L), reportYear, perYear.getOrDefault(reportYear, 0L)));
        return out;
    }

    /** Largest first, then by name, so the offices see their main destinations on top. */
    private static List<Object> rows(Map<String, Long> counts, String key) {
        List<Object> out = new ArrayList<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.add(row(key, e.getKey(), e.getValue())));
        return out;
    }

    private static Map<String, Object> row(String key, Object value, long participants) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, value);
        m.put("participants", participants);
        return m;
    }

    static Map<String, Object> change(int baseYear, long base, int year, long current) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("baseYear", baseYear);
        m.put("base", base);
        m.put("year", year);
        m.put("current", current);
        m.put("change", current - base);
        m.put("changePercent", base == 0 ? null
                : BigDecimal.valueOf(100.0 * (current - base) / base).setScale(2, RoundingMode.HALF_UP).doubleValue());
        return m;
    }
}

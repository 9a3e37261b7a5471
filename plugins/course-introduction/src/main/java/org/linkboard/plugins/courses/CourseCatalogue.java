package org.linkboard.plugins.courses;

import org.linkboard.api.BoardView;
import org.linkboard.api.ItemView;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;

/**
 * The catalogue export: every approved course of a board (stage {@code approval} or later) as
 * CSV for the registrar and the course handbook. Pure; safe from any thread.
 *
 * <p>Format: RFC 4180 — a header line, one line per course, CRLF line ends, UTF-8; a value that
 * holds a comma, a quote or a line break is quoted with inner quotes doubled. A text value that
 * starts with {@code = + - @} (or a tab or CR) gets a leading apostrophe, because spreadsheet
 * programs — which is where the offices open this file — would otherwise run it as a formula.
 * Courses are ordered by term, then title, then id, so two exports of the same board are
 * identical.
 */
final class CourseCatalogue {

    /** The columns: header text and the course field it comes from. */
    static final List<String[]> COLUMNS = List.of(
            new String[]{"id", null},
            new String[]{"title", "title"},
            new String[]{"partner university", "partnerUniversity"},
            new String[]{"country", "country"},
            new String[]{"teaching language", "teachingLanguage"},
            new String[]{"discipline", "discipline"},
            new String[]{"credits", "credits"},
            new String[]{"hours", "hours"},
            new String[]{"term", "term"},
            new String[]{"instructor", "instructor"},
            new String[]{"local course code", "localCourseCode"},
            new String[]{"local course name", "localCourseName"},
            new String[]{"stage", "stage"});

    private CourseCatalogue() {
    }

    static String csv(BoardView board) {
        StringBuilder out = new StringBuilder();
        line(out, COLUMNS.stream().map(c -> c[0]).toList());
        List<ItemView> courses = board.items().stream()
                .filter(i -> CourseIntroductionModule.COURSE.equals(i.type()))
                .filter(i -> CourseIntroductionModule.APPROVED_STAGES.contains(i.stage()))
                .sorted(Comparator.comparing((ItemView i) -> text(i.field("term")))
                        .thenComparing(i -> text(i.field("title")))
                        .thenComparing(ItemView::id))
                .toList();
        for (ItemView course : courses) {
            line(out, COLUMNS.stream().map(c -> c[1] == null ? course.id() : text(course.field(c[1]))).toList());
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) out.append(',');
            out.append(escape(values.get(i)));
        }
        out.append("\r\n");
    }

    /** One CSV value, quoted when it must be, neutralised when a spreadsheet would evaluate it. */
    static String escape(String value) {
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) v = "'" + v;
        if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    /** A field value as text: numbers without a needless ".0" (3, 2.5), absent as empty. */
    static String text(Object value) {
        if (value == null) return "";
        if (value instanceof Number n) {
            return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }
}

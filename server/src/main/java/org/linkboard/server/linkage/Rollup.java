package org.linkboard.server.linkage;

import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The rollup of a goal (CONTRACT §4): {@code {"children","done","sum","progress"}}. Immutable.
 *
 * <p>{@code sum} is exact ({@link BigDecimal}, trailing zeros stripped) so that sums kept by deltas
 * equal sums recomputed from scratch, whatever the order of additions; it is shown as a JSON
 * number. {@code progress} is derived from the counts, the sum and the goal's {@code metric} and
 * {@code target} by {@link #of}.
 */
public record Rollup(int children, int done, BigDecimal sum, double progress) {

    public static final Rollup EMPTY = new Rollup(0, 0, BigDecimal.ZERO, 0);

    public Rollup {
        sum = normal(sum);
    }

    /**
     * The rollup of a goal with these aggregates. {@code progress} is
     * {@code min(100, 100*sum/target)} (and at least 0) when the goal has a {@code metric} and a
     * numeric {@code target}; a target of 0 counts as met (100). Otherwise it is
     * {@code 100*done/children}, 0 without children. {@code goalFields} may be null (no such goal).
     */
    public static Rollup of(int children, int done, BigDecimal sum, Map<String, Object> goalFields) {
        Object metric = goalFields == null ? null : goalFields.get("metric");
        Object target = goalFields == null ? null : goalFields.get("target");
        double progress;
        if (metric instanceof String m && !m.isEmpty() && target instanceof Number t) {
            double td = t.doubleValue();
            progress = td <= 0 ? 100 : Math.max(0, Math.min(100, 100 * sum.doubleValue() / td));
        } else {
            progress = children == 0 ? 0 : 100.0 * done / children;
        }
        return new Rollup(children, done, sum, progress);
    }

    /** Whether a goal with this rollup counts as done where it contributes to a higher goal. */
    public boolean complete() {
        return progress >= 100;
    }

    public JsonObject toJson() {
        return new JsonObject().put("children", children).put("done", done).put("sum", number(sum))
                .put("progress", number(progress));
    }

    /** A whole number as a long (so JSON shows {@code 81}, not {@code 81.0}), else a double. */
    static Object number(BigDecimal d) {
        BigDecimal n = normal(d);
        if (n.scale() == 0 && n.unscaledValue().bitLength() < 63) return n.longValueExact();
        return n.doubleValue();
    }

    static Object number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 9.0e15 ? (Object) (long) d : (Object) d;
    }

    static BigDecimal normal(BigDecimal d) {
        if (d == null || d.signum() == 0) return BigDecimal.ZERO;
        BigDecimal s = d.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    /** The exact value of a JSON number field, or null when the value is not a number. */
    static BigDecimal exact(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigDecimal b) return b;
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? new BigDecimal(d) : null;
        }
        return null;
    }
}

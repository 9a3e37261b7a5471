package org.linkboard.server.board;

import org.linkboard.api.ErrorCode;
import org.linkboard.api.FieldSpec;
import org.linkboard.api.ItemTypeSpec;
import org.linkboard.api.LinkboardException;
import org.linkboard.api.StageSpec;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether an op is acceptable on a board state (CONTRACT §4, §6): ids, existence,
 * structure (parents, positions, links), types, and field values against the type's
 * {@link FieldSpec}s and workflow stages. Permissions, module enablement and plugin hooks are
 * checked elsewhere, by the board actor.
 *
 * <p>Call it on the op as {@link BoardState#complete completed}, on the state it will be applied
 * to, on the thread that owns that state. It never mutates anything; it is stateless apart from
 * the type registry and so may be shared by all boards. Every failure is a
 * {@link LinkboardException}: {@code NOT_FOUND} (details.item) for a missing item,
 * {@code ID_TAKEN} for a create of an existing id, {@code LINK_CYCLE}, or
 * {@code VALIDATION_FAILED} whose details.field names the offending member or field.
 */
public final class OpValidator {

    /** Longest string accepted in a field whose spec sets no maxLength. */
    public static final int DEFAULT_MAX_STRING = 100_000;
    /** Most entries accepted in a list field whose spec sets no maxLength. */
    public static final int DEFAULT_MAX_LIST = 1_000;
    /** Longest entry of a list field. */
    public static final int MAX_LIST_ENTRY = 1_000;
    /** Most fields a create may carry. */
    public static final int MAX_FIELDS = 200;
    /** The field holding the current workflow stage of a type with stages (CONTRACT §6). */
    public static final String STAGE_FIELD = "stage";

    private final ItemTypes types;

    public OpValidator(ItemTypes types) {
        this.types = types;
    }

    /** Throws {@link LinkboardException} when {@code op} is not acceptable on {@code state}; never mutates. */
    public void validate(BoardState state, Op op) {
        if (op == null) throw new LinkboardException(ErrorCode.BAD_REQUEST, "missing op");
        requireItemId(op.id(), "id");
        if (op instanceof Op.Create c) {
            validateCreate(state, c);
        } else if (op instanceof Op.SetField s) {
            validateSet(state, s);
        } else if (op instanceof Op.Move m) {
            validateMove(state, m);
        } else if (op instanceof Op.Delete d) {
            existing(state, d.id());
        } else if (op instanceof Op.Link l) {
            validateLink(state, l);
        } else if (op instanceof Op.Unlink u) {
            Item item = existing(state, u.id());
            if (u.to() == null) throw LinkboardException.invalidField("to", "unlink needs 'to'");
            if (!item.links().contains(u.to())) {
                throw LinkboardException.invalidField("to", "item " + u.id() + " has no link to " + describe(u.to()));
            }
        }
    }

    // ---- per kind ---------------------------------------------------------------------------

    private void validateCreate(BoardState state, Op.Create c) {
        if (state.item(c.id()) != null) {
            throw new LinkboardException(ErrorCode.ID_TAKEN, "item id '" + c.id() + "' is taken", Map.of("item", c.id()));
        }
        ItemTypeSpec spec = c.type() == null ? null : types.find(c.type());
        if (spec == null) throw LinkboardException.invalidField("type", "unknown item type '" + c.type() + "'");
        if (c.parent() != null) {
            requireItemId(c.parent(), "parent");
            if (state.item(c.parent()) == null) {
                throw LinkboardException.invalidField("parent", "parent item '" + c.parent() + "' does not exist");
            }
        }
        requireAnnexPlacement(state, c.type(), c.parent());
        requireValidPos(c.pos());
        if (c.fields().size() > MAX_FIELDS) throw LinkboardException.invalidField("fields", "too many fields");
        for (Map.Entry<String, Object> e : c.fields().entrySet()) {
            String name = e.getKey();
            Object value = e.getValue();
            requireFieldName(name);
            if (isStageOf(spec, name)) {
                if (value != null) requireStage(spec, value, null);
                continue;
            }
            Optional<FieldSpec> field = spec.field(name);
            if (field.isPresent()) {
                if (value != null) checkValue(c.type(), field.get(), value);
            } else {
                checkExtraField(spec, name, value);
            }
        }
        for (FieldSpec f : spec.fields()) {
            if (f.required() && c.fields().get(f.name()) == null) {
                throw LinkboardException.invalidField(f.name(), "field '" + f.name() + "' is required");
            }
        }
    }

    private void validateSet(BoardState state, Op.SetField s) {
        Item item = existing(state, s.id());
        String name = s.field();
        if (name == null) throw LinkboardException.invalidField("field", "set needs 'field'");
        requireFieldName(name);
        ItemTypeSpec spec = types.find(item.type());
        if (spec == null) {
            throw LinkboardException.invalidField("type", "item type '" + item.type() + "' is not available");
        }
        Object value = s.value();
        if (BuiltInTypes.COMMENT_TYPE.equals(item.type()) && BuiltInTypes.AUTHOR_FIELD.equals(name)) {
            throw LinkboardException.invalidField(name, "the author of a comment is set by the server");
        }
        if (isStageOf(spec, name)) {
            if (value == null) throw LinkboardException.invalidField(STAGE_FIELD, "an item of a type with stages keeps a stage");
            requireStage(spec, value, item.fields().get(STAGE_FIELD));
            return;
        }
        Optional<FieldSpec> field = spec.field(name);
        if (field.isPresent()) {
            if (value == null) {
                if (field.get().required()) throw LinkboardException.invalidField(name, "field '" + name + "' is required");
            } else {
                checkValue(item.type(), field.get(), value);
            }
            return;
        }
        // Removing a field the item has is always allowed, so data left by an older schema can be cleaned up.
        if (value == null && item.fields().containsKey(name)) return;
        checkExtraField(spec, name, value);
    }

    private void validateMove(BoardState state, Op.Move m) {
        Item item = existing(state, m.id());
        if (m.parent() != null) {
            requireItemId(m.parent(), "parent");
            if (state.item(m.parent()) == null) {
                throw LinkboardException.invalidField("parent", "parent item '" + m.parent() + "' does not exist");
            }
            // Walk up from the new parent: reaching the item means it would move under itself.
            String p = m.parent();
            for (int steps = 0; p != null && steps <= state.items().size(); steps++) {
                if (p.equals(item.id())) {
                    throw LinkboardException.invalidField("parent", "cannot move an item under itself or its own descendant");
                }
                Item pi = state.item(p);
                p = pi == null ? null : pi.parent();
            }
        }
        requireAnnexPlacement(state, item.type(), m.parent());
        requireValidPos(m.pos());
    }

    private void validateLink(BoardState state, Op.Link l) {
        Item item = existing(state, l.id());
        LinkRef to = l.to();
        if (to == null) throw LinkboardException.invalidField("to", "link needs 'to'");
        if (to.board() == null || to.board().isEmpty()) throw LinkboardException.invalidField("to", "link needs 'to.board'");
        requireItemId(to.item(), "to");
        if (!to.board().equals(state.boardId())) {
            // The target lives on another board: whether it exists, is a goal the user may read on a
            // board of the same or a higher unit, and whether the link closes a cycle across boards
            // is judged by the linkage gate (org.linkboard.server.linkage.LinkageGate), which sees
            // data outside this board.
            return;
        }
        Item target = state.item(to.item());
        if (target == null) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("item", to.item());
            details.put("board", to.board());
            details.put("field", "to");
            throw new LinkboardException(ErrorCode.NOT_FOUND, "link target '" + to.item() + "' does not exist", details);
        }
        if (!BuiltInTypes.GOAL_TYPE.equals(target.type())) {
            throw LinkboardException.invalidField("to", "items can only link to a goal; '" + to.item() + "' is a " + target.type());
        }
        if (item.links().contains(to)) return; // linking again is accepted and changes nothing
        if (state.linkWouldCycle(item.id(), target.id())) {
            throw new LinkboardException(ErrorCode.LINK_CYCLE, "linking " + item.id() + " to " + target.id() + " would make a cycle",
                    Map.of("item", item.id(), "field", "to"));
        }
    }

    /**
     * Comments and checklist entries live under the item they belong to (a card, goal or module
     * item), never at the top, under a lane or under one another; and nothing lives under them.
     */
    private static void requireAnnexPlacement(BoardState state, String type, String parent) {
        Item p = parent == null ? null : state.item(parent);
        if (p != null && BuiltInTypes.isLeafAnnex(p.type())) {
            throw LinkboardException.invalidField("parent", "a " + p.type() + " holds no items");
        }
        if (!BuiltInTypes.isLeafAnnex(type)) return;
        if (p == null || "lane".equals(p.type())) {
            throw LinkboardException.invalidField("parent", "a " + type + " belongs under a card, not "
                    + (p == null ? "at the top of the board" : "under a lane"));
        }
    }

    // ---- fields -----------------------------------------------------------------------------

    private static boolean isStageOf(ItemTypeSpec spec, String name) {
        return STAGE_FIELD.equals(name) && !spec.stages().isEmpty();
    }

    /** Checks a stage value; {@code current} null means any existing stage may be named (create, or no stage yet). */
    private static void requireStage(ItemTypeSpec spec, Object value, Object current) {
        if (!(value instanceof String target) || spec.stage(target).isEmpty()) {
            throw LinkboardException.invalidField(STAGE_FIELD, "unknown stage " + value);
        }
        if (current instanceof String cur) {
            Optional<StageSpec> from = spec.stage(cur);
            if (from.isPresent() && !from.get().next().contains(target)) {
                throw LinkboardException.invalidField(STAGE_FIELD, "cannot go from stage '" + cur + "' to '" + target
                        + "'; allowed: " + from.get().next());
            }
        }
    }

    private static void checkExtraField(ItemTypeSpec spec, String name, Object value) {
        if (spec.allowExtraNumbers() && (value == null || value instanceof Number)) return;
        String why = spec.allowExtraNumbers()
                ? "unknown field '" + name + "' (only numbers are accepted in extra fields)"
                : "unknown field '" + name + "' for type '" + spec.id() + "'";
        throw LinkboardException.invalidField(name, why);
    }

    /** Checks a non-null value against its field spec. */
    private static void checkValue(String typeName, FieldSpec f, Object value) {
        String name = f.name();
        switch (f.type()) {
            case STRING, TEXT, USER, UNIT -> {
                String s = string(name, value);
                int max = f.maxLength() != null ? f.maxLength() : DEFAULT_MAX_STRING;
                if (s.length() > max) throw LinkboardException.invalidField(name, "'" + name + "' is longer than " + max);
                if (BuiltInTypes.GOAL_TYPE.equals(typeName) && "metric".equals(name) && !Identifiers.isFieldName(s)) {
                    throw LinkboardException.invalidField(name, "'metric' must name a field");
                }
            }
            case NUMBER -> checkRange(f, number(name, value));
            case INTEGER -> {
                Number n = number(name, value);
                if (!(n instanceof Long) && n.doubleValue() != Math.rint(n.doubleValue())) {
                    throw LinkboardException.invalidField(name, "'" + name + "' must be a whole number");
                }
                checkRange(f, n);
            }
            case BOOLEAN -> {
                if (!(value instanceof Boolean)) throw LinkboardException.invalidField(name, "'" + name + "' must be true or false");
            }
            case DATE -> {
                if (!isIsoDate(value)) throw LinkboardException.invalidField(name, "'" + name + "' must be a date yyyy-MM-dd");
            }
            case ENUM -> {
                if (!(value instanceof String s) || !f.values().contains(s)) {
                    throw LinkboardException.invalidField(name, "'" + name + "' must be one of " + f.values());
                }
            }
            case LIST -> {
                if (!(value instanceof List<?> list)) throw LinkboardException.invalidField(name, "'" + name + "' must be an array of strings");
                int max = f.maxLength() != null ? f.maxLength() : DEFAULT_MAX_LIST;
                if (list.size() > max) throw LinkboardException.invalidField(name, "'" + name + "' has more than " + max + " entries");
                for (Object e : list) {
                    if (!(e instanceof String s) || s.length() > MAX_LIST_ENTRY) {
                        throw LinkboardException.invalidField(name, "'" + name + "' must be an array of strings (each ≤ " + MAX_LIST_ENTRY + ")");
                    }
                }
            }
        }
    }

    private static String string(String name, Object value) {
        if (value instanceof String s) return s;
        throw LinkboardException.invalidField(name, "'" + name + "' must be a string");
    }

    private static Number number(String name, Object value) {
        if (value instanceof Number n) return n;
        throw LinkboardException.invalidField(name, "'" + name + "' must be a number");
    }

    private static void checkRange(FieldSpec f, Number n) {
        double d = n.doubleValue();
        if (f.min() != null && d < f.min()) throw LinkboardException.invalidField(f.name(), "'" + f.name() + "' must be ≥ " + f.min());
        if (f.max() != null && d > f.max()) throw LinkboardException.invalidField(f.name(), "'" + f.name() + "' must be ≤ " + f.max());
    }

    /** Whether value is a real calendar date written {@code yyyy-MM-dd}. */
    static boolean isIsoDate(Object value) {
        if (!(value instanceof String s) || s.length() != 10 || s.charAt(4) != '-' || s.charAt(7) != '-') return false;
        for (int i = 0; i < 10; i++) {
            if (i != 4 && i != 7 && (s.charAt(i) < '0' || s.charAt(i) > '9')) return false;
        }
        int year = Integer.parseInt(s, 0, 4, 10);
        int month = Integer.parseInt(s, 5, 7, 10);
        int day = Integer.parseInt(s, 8, 10, 10);
        if (month < 1 || month > 12 || day < 1 || day > 31) return false;
        try {
            LocalDate.of(year, month, day);
            return true;
        } catch (DateTimeException e) {
            return false; // e.g. 2025-02-30
        }
    }

    // ---- members ----------------------------------------------------------------------------

    private static Item existing(BoardState state, String id) {
        Item item = state.item(id);
        if (item == null) {
            throw new LinkboardException(ErrorCode.NOT_FOUND, "no item '" + id + "' on this board", Map.of("item", id));
        }
        return item;
    }

    private static void requireItemId(String id, String field) {
        if (!Identifiers.isItemId(id)) {
            throw LinkboardException.invalidField(field, "'" + field + "' must be 1–64 characters of A-Z a-z 0-9 _ -");
        }
    }

    private static void requireFieldName(String name) {
        if (!Identifiers.isFieldName(name)) {
            String shown = name == null ? "field" : name.length() > 100 ? name.substring(0, 100) : name;
            throw LinkboardException.invalidField(shown,
                    "field names are a letter then up to 63 letters, digits or _");
        }
    }

    private static void requireValidPos(String pos) {
        if (pos != null && !FractionalIndex.isValid(pos)) {
            throw LinkboardException.invalidField("pos", "'" + pos + "' is not a valid position key");
        }
    }

    private static String describe(LinkRef to) {
        return to.board() + "/" + to.item();
    }
}

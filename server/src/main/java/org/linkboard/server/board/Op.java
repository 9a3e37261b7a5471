package org.linkboard.server.board;

import java.util.Map;

/**
 * One operation on a board: the six kinds of CONTRACT §4.
 *
 * <p>Ops are immutable values. JSON values they carry ({@link Create#fields()},
 * {@link SetField#value()}) are put into canonical form by the constructors (see
 * {@link JsonValues}), so equal ops built from JSON or from Java compare equal and apply
 * identically on every replica; a constructor throws {@link IllegalArgumentException} for a
 * value that is not plain JSON. Other members are taken as given, even null or malformed: an op
 * is only a request, {@link OpValidator} judges it and {@link BoardState#apply} ignores what it
 * cannot apply. Convert from and to JSON with {@link OpCodec}.
 */
public sealed interface Op permits Op.Create, Op.SetField, Op.Move, Op.Delete, Op.Link, Op.Unlink {

    /** The id of the item the op targets. */
    String id();

    /** The JSON {@code kind}: {@code create}, {@code set}, {@code move}, {@code delete}, {@code link} or {@code unlink}. */
    String kind();

    /** A new item. {@code parent} null = top level; {@code pos} null = after the last sibling. */
    record Create(String id, String type, String parent, String pos, Map<String, Object> fields) implements Op {
        public Create {
            fields = JsonValues.canonicalObject(fields);
        }

        @Override
        public String kind() {
            return "create";
        }

        /** The same create with another pos. */
        public Create withPos(String newPos) {
            return new Create(id, type, parent, newPos, fields);
        }
    }

    /** Sets one field (last writer wins in server order); {@code value} null removes the field. */
    record SetField(String id, String field, Object value) implements Op {
        public SetField {
            value = JsonValues.canonical(value);
        }

        @Override
        public String kind() {
            return "set";
        }
    }

    /** Reparents and/or reorders an item. {@code parent} null = top level; {@code pos} null = after the last sibling. */
    record Move(String id, String parent, String pos) implements Op {
        @Override
        public String kind() {
            return "move";
        }
    }

    /** Removes an item and everything under it. */
    record Delete(String id) implements Op {
        @Override
        public String kind() {
            return "delete";
        }
    }

    /** Makes the item contribute to the goal {@code to}. */
    record Link(String id, LinkRef to) implements Op {
        @Override
        public String kind() {
            return "link";
        }
    }

    /** Removes the link of the item to {@code to}. */
    record Unlink(String id, LinkRef to) implements Op {
        @Override
        public String kind() {
            return "unlink";
        }
    }
}

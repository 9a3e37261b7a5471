package org.linkboard.api;

import java.util.Locale;

/**
 * The value types a field of an item type may have (CONTRACT §6).
 *
 * <p>JSON values are checked as follows: {@code string}/{@code text} a string (text is long
 * prose), {@code number} any JSON number, {@code integer} a whole number, {@code boolean},
 * {@code date} an ISO-8601 date {@code yyyy-MM-dd}, {@code enum} one of the spec's values,
 * {@code list} an array of strings, {@code user} a user id, {@code unit} a unit id.
 */
public enum FieldType {
    STRING, TEXT, NUMBER, INTEGER, BOOLEAN, DATE, ENUM, LIST, USER, UNIT;

    /** The lower-case name used in JSON. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a JSON name such as {@code "integer"}; throws {@link IllegalArgumentException} if unknown. */
    public static FieldType fromJson(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}

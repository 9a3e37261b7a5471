package org.linkboard.server.store;

import java.util.Locale;

/**
 * What an acknowledged op survives in the embedded store (CONTRACT §4 asks for {@code kill -9} of
 * the server at least). Chosen per deployment with {@code --durability}; cluster mode inherits
 * Redis's own persistence settings instead (docs/operations.md).
 */
public enum Durability {

    /**
     * Every commit fsyncs the WAL before its acks go out: an ack survives a power loss or a kernel
     * crash too. The default. Costs one fsync per commit (shared by a whole commit group).
     */
    POWER,

    /**
     * A commit is written to the WAL (the operating system's cache) before its acks go out, and the
     * WAL is fsynced in the background at least every {@link #PROCESS_SYNC_INTERVAL_MS}: an ack
     * survives a crash or {@code kill -9} of the server process, and a power loss loses at most the
     * acks of that last interval; the database is never left inconsistent (SQLite WAL with
     * {@code synchronous=NORMAL}).
     */
    PROCESS;

    /** The longest a {@link #PROCESS} ack stays only in the operating system's cache. */
    public static final long PROCESS_SYNC_INTERVAL_MS = 250;

    /** Parses a flag value ({@code power} or {@code process}). */
    public static Durability parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--durability must be power or process, got '" + value + "'");
        }
    }

    /** The flag value. */
    public String flagValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}

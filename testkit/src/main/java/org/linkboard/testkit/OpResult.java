package org.linkboard.testkit;

import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;

/**
 * What became of an operation given to {@link ModuleTestKit#apply}: accepted with a seq, or
 * rejected with the error a client would get. Immutable.
 */
public final class OpResult {

    private final long seq;
    private final LinkboardException error;

    OpResult(long seq, LinkboardException error) {
        this.seq = seq;
        this.error = error;
    }

    public boolean accepted() {
        return error == null;
    }

    /** The op's seq; throws {@link AssertionError} (with the rejection as cause) when rejected. */
    public long seq() {
        if (error != null) throw new AssertionError("op was rejected: " + error.code() + " " + error.getMessage(), error);
        return seq;
    }

    /** The rejection, or null when accepted. */
    public LinkboardException error() {
        return error;
    }

    /** The rejection's code, or null when accepted. */
    public ErrorCode code() {
        return error == null ? null : error.code();
    }

    /** The rejection's {@code details.field}, or null. */
    public String field() {
        return error == null ? null : (String) error.details().get("field");
    }

    /** Asserts acceptance and returns the seq. */
    public long assertAccepted() {
        return seq();
    }

    /** Asserts a rejection with {@code code} and returns this result for further checks. */
    public OpResult assertRejected(ErrorCode code) {
        if (error == null) throw new AssertionError("expected " + code + " but the op was accepted as seq " + seq);
        if (error.code() != code) throw new AssertionError("expected " + code + " but got " + error.code() + ": " + error.getMessage(), error);
        return this;
    }

    @Override
    public String toString() {
        return error == null ? "accepted #" + seq : "rejected " + error.code() + ": " + error.getMessage() + " " + error.details();
    }
}

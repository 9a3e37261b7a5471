package org.linkboard.server.board;

import io.vertx.core.json.JsonObject;
import org.linkboard.server.auth.Principal;

/**
 * A live reader of a board: one WebSocket session joined to it. The board actor writes every
 * frame for the subscriber from its own context, in seq order, so acks and broadcast ops reach a
 * session without gaps or reordering.
 */
public interface BoardSubscriber {

    String sessionId();

    Principal principal();

    /**
     * Writes one pre-encoded UTF-8 JSON text frame; any thread. Never blocks; a slow reader is
     * dropped, not waited for. Frames handed over from one thread, here or through
     * {@link #deliverAll}, go out in that order.
     */
    void deliver(byte[] utf8Json);

    /**
     * Writes several frames in order, flushing once; any thread, cheapest on {@link #writer()}.
     * The board actor hands a committed batch to each writer loop in one task and calls this there.
     */
    default void deliverAll(java.util.List<byte[]> frames) {
        for (byte[] f : frames) deliver(f);
    }

    /**
     * Writes what a join sends ahead of the live stream — the {@code joined} frame, then the ops
     * after its version — in order, flushing once; any thread. A session does not count these bytes
     * against its slow-reader limit, only what it is sent after them: a rejoin on a busy board can
     * carry more than the limit (40 000 missed ops are ~9 MB), and cutting the reader off again for
     * that would never let it catch up.
     */
    default void deliverCatchUp(java.util.List<byte[]> frames) {
        for (byte[] f : frames) deliver(f);
    }

    /**
     * Writes the frames of {@code batch} that are {@linkplain Fanout#isFor for this subscriber}, in
     * order, flushing once. Called by the board actor on {@link #writer()} (or on the actor's thread
     * when there is none), taking each frame's wire bytes from {@code wire}, shared with the other
     * subscribers that loop writes them to in the same task; {@code wire} is null off a writer loop.
     */
    default void deliverAll(Fanout batch, WireFrames wire) {
        deliverAll(batch.framesFor(this));
    }

    /** Whether frames are piling up unsent for this subscriber (it is not reading them as fast as they come). Any thread. */
    default boolean congested() {
        return false;
    }

    /** The event loop that writes this subscriber's socket, or null when it has none (tests, internal readers). */
    default io.netty.util.concurrent.EventExecutor writer() {
        return null;
    }

    /** The actor dropped this subscriber (commit failure, board archived); it must rejoin to read on. */
    default void evicted(String boardId) {
    }

    /** The presence identity sent to peers: {@code {"id","name"}}. */
    default JsonObject userRef() {
        return new JsonObject().put("id", principal().userId()).put("name", principal().name());
    }
}

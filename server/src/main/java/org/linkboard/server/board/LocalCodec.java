package org.linkboard.server.board;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes an object through the local event bus as is: no copy, no serialisation. Events such as
 * {@link AppliedOp} are immutable and never leave the process (cluster fan-out has its own path).
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {

    private final String name;

    public LocalCodec(Class<T> type) {
        this.name = "local:" + type.getName();
    }

    @Override
    public void encodeToWire(Buffer buffer, T t) {
        throw new UnsupportedOperationException(name + " is for local delivery only");
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
        throw new UnsupportedOperationException(name + " is for local delivery only");
    }

    @Override
    public T transform(T t) {
        return t;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}

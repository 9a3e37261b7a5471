package org.linkboard.bench.client;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocketConnectOptions;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The relay ceiling ({@code org.linkboard.bench.relay.RelayServer}): a room is just a name in the
 * socket URI, so creating one costs nothing. Thread-safe.
 */
public final class RelayTarget implements Target {
    private final Endpoint node;
    private final AtomicInteger rooms = new AtomicInteger();

    public RelayTarget(Endpoint node) {
        this.node = node;
    }

    @Override
    public String name() {
        return "relay";
    }

    @Override
    public boolean sequenced() {
        return false;
    }

    @Override
    public Future<String> createRoom(String title) {
        return Future.succeededFuture("room" + rooms.incrementAndGet());
    }

    @Override
    public WebSocketConnectOptions connectOptions(String room, int clientIndex) {
        return new WebSocketConnectOptions().setHost(node.host()).setPort(node.port()).setURI("/ws?room=" + room);
    }
}

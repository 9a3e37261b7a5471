package org.linkboard.bench.relay;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RelayServerTest {
    private Vertx vertx;
    private WebSocketClient client;
    private int port;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        port = RelayServer.start(vertx, 0, 2).await(10, TimeUnit.SECONDS);
        client = vertx.createWebSocketClient();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    /** A connected client and every text message it received after the welcome. */
    private record Peer(WebSocket ws, List<String> received, Promise<Void> welcomed) {
    }

    private Peer join(String room, int expectedMessages, Promise<Void> gotAll) throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        Promise<Void> welcomed = Promise.promise();
        // the handler is set in the connect callback, on the socket's event loop, so the welcome
        // (sent by the relay right away) cannot arrive before it
        WebSocket ws = client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws?room=" + room))
                .map(w -> w.textMessageHandler(t -> {
                    if (!welcomed.future().isComplete()) {
                        welcomed.complete();
                        return;
                    }
                    received.add(t);
                    if (received.size() == expectedMessages && gotAll != null) {
                        gotAll.complete();
                    }
                }))
                .await(10, TimeUnit.SECONDS);
        Peer p = new Peer(ws, received, welcomed);
        return p;
    }

    @Test
    void aFrameReachesEveryOtherClientOfItsRoomVerbatimAndNobodyElse() throws Exception {
        Promise<Void> bGotAll = Promise.promise();
        Promise<Void> cGotAll = Promise.promise();
        Peer a = join("r1", 0, null);
        Peer b = join("r1", 2, bGotAll);
        Peer c = join("r1", 2, cGotAll);
        Peer other = join("r2", 0, null);
        Future.all(List.of(a.welcomed().future(), b.welcomed().future(), c.welcomed().future(), other.welcomed().future()))
                .await(10, TimeUnit.SECONDS);

        String first = "{\"type\":\"op\",\"cid\":\"0.1.1.5\",\"op\":{\"title\":\"\u00e9\"}}";
        a.ws().writeTextMessage(first);
        a.ws().writeTextMessage("second");
        Future.all(bGotAll.future(), cGotAll.future()).await(10, TimeUnit.SECONDS);
        // a sentinel through the other room proves its member was listening, and got nothing else
        Promise<Void> otherGotSentinel = Promise.promise();
        Peer other2 = join("r2", 0, null);
        other2.welcomed().future().await(10, TimeUnit.SECONDS);
        other.ws().textMessageHandler(t -> otherGotSentinel.complete());
        other2.ws().writeTextMessage("sentinel");
        otherGotSentinel.future().await(10, TimeUnit.SECONDS);

        assertEquals(List.of(first, "second"), b.received());
        assertEquals(List.of(first, "second"), c.received());
        assertEquals(List.of(), a.received());
        assertEquals(List.of(), other.received());
    }
}

package org.linkboard.server.board;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.linkboard.server.store.LoggedOp;
import org.linkboard.server.testing.Await;

import java.util.ArrayList;
import java.util.List;

import static org.linkboard.server.board.FakeSubscriber.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An op sent again with a cid the board has seen is answered with its original seq and applies
 * nothing (CONTRACT §5: the last 10 000 cids), however many ops went by since, and after the board
 * was loaded again from its log.
 */
class BoardActorCidWindowTest {

    @RegisterExtension
    final ActorTestStore testStore = new ActorTestStore();

    private static Op card(String id) {
        return OpCodec.decode(new JsonObject().put("kind", "create").put("id", id).put("type", "card")
                .put("fields", new JsonObject().put("title", "card " + id)));
    }

    /** Submits cards c0… with cids c0…; their seqs. */
    private static List<Long> addCards(BoardActor actor, int n) {
        List<Future<Long>> acks = new ArrayList<>();
        for (int i = 0; i < n; i++) acks.add(actor.submit(USER, "c" + i, card("c" + i), null));
        Await.result(Future.all(acks));
        return acks.stream().map(Future::result).toList();
    }

    private long lastStoredSeq() {
        return Await.result(testStore.store.readRecentOps(ActorTestStore.RECORD.id(), 1)).get(0).seq();
    }

    @Test
    void aCidAmongTheLast10000IsAnsweredWithItsSeqAfterTheWindowWrapped() {
        BoardActor actor = testStore.actor(testStore.vertx.getOrCreateContext(), ActorTestStore.RECORD, a -> { });
        int n = BoardActor.CID_WINDOW + 500;
        List<Long> seqs = addCards(actor, n);
        int resent = n - 10_000;

        long answer = Await.result(actor.submit(USER, "c" + resent, card("c" + resent), null));

        assertEquals(seqs.get(resent), answer);
        assertEquals(n, lastStoredSeq());
    }

    @Test
    void aBoardLoadedAgainAnswersTheCidsOfItsRecentOps() {
        BoardActor first = testStore.actor(testStore.vertx.getOrCreateContext(), ActorTestStore.RECORD, a -> { });
        List<Long> seqs = addCards(first, 3_000);
        List<LoggedOp> recent = Await.result(testStore.store.readRecentOps(ActorTestStore.RECORD.id(), BoardActor.RECENT_WINDOW));
        BoardState state = new BoardState(ActorTestStore.RECORD.id());
        for (LoggedOp op : recent) state.apply(OpCodec.decode(new JsonObject(op.opJson())), op.seq());
        BoardActor loaded = testStore.loadedActor(testStore.vertx.getOrCreateContext(), ActorTestStore.RECORD, state, recent);

        long answer = Await.result(loaded.submit(USER, "c1234", card("c1234"), null));

        assertEquals(seqs.get(1234), answer);
        assertEquals(3_000, lastStoredSeq());
    }
}

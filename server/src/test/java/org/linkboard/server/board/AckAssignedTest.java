package org.linkboard.server.board;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The {@code assigned} member of acks: exactly what completion added to the client's op, as JSON. */
class AckAssignedTest {

    @Test
    void aCreateWithoutPosIsToldItsPos() {
        Op sent = new Op.Create("c1", "card", null, null, Map.of("title", "t"));
        Op done = new Op.Create("c1", "card", null, "a0", Map.of("title", "t"));
        assertEquals(new JsonObject().put("pos", "a0"), new JsonObject(BoardActor.assigned(sent, done)));
    }

    @Test
    void aCreateIsToldItsFirstStageAndPos() {
        Op sent = new Op.Create("c1", "m:t", null, null, Map.of("title", "t"));
        Op done = new Op.Create("c1", "m:t", null, "a0", Map.of("title", "t", "stage", "proposal"));
        assertEquals(new JsonObject().put("pos", "a0").put("stage", "proposal"), new JsonObject(BoardActor.assigned(sent, done)));
    }

    @Test
    void aMoveWithoutPosIsToldItsPos() {
        assertEquals(new JsonObject().put("pos", "a5\"x"),
                new JsonObject(BoardActor.assigned(new Op.Move("c1", "l", null), new Op.Move("c1", "l", "a5\"x"))));
    }

    @Test
    void nothingFilledInMeansNoAssigned() {
        Op op = new Op.Create("c1", "card", null, "a0", Map.of("title", "t"));
        assertNull(BoardActor.assigned(op, op));
    }
}

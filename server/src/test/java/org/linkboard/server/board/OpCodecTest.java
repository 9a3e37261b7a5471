package org.linkboard.server.board;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.linkboard.api.ErrorCode;
import org.linkboard.api.LinkboardException;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpCodecTest {

    static Stream<Op> ops() {
        return Stream.of(
                new Op.Create("card1", "card", "lane1", "a0V",
                        Map.of("title", "T", "tags", List.of("a", "b"), "progress", 12.5, "students", 3, "done", true)),
                new Op.Create("lane1", "lane", null, null, Map.of()),
                new Op.SetField("card1", "title", "New"),
                new Op.SetField("card1", "status", null),
                new Op.SetField("card1", "tags", List.of("x")),
                new Op.Move("card1", "lane2", "a1"),
                new Op.Move("card1", null, null),
                new Op.Delete("card1"),
                new Op.Link("card1", new LinkRef("b1", "goal1")),
                new Op.Unlink("card1", new LinkRef("b1", "goal1")));
    }

    @ParameterizedTest
    @MethodSource("ops")
    void decodeOfEncodeGivesTheSameOp(Op op) {
        assertEquals(op, OpCodec.decode(OpCodec.encode(op)));
    }

    @ParameterizedTest
    @MethodSource("ops")
    void decodeOfEncodedTextGivesTheSameOp(Op op) {
        assertEquals(op, OpCodec.decode(new JsonObject(OpCodec.encode(op).encode())));
    }

    @Test
    void encodeLeavesOutNullMembers() {
        JsonObject json = OpCodec.encode(new Op.Move("card1", null, null));
        assertEquals(new JsonObject().put("kind", "move").put("id", "card1"), json);
    }

    @Test
    void encodeKeepsTheNullValueOfASet() {
        JsonObject json = OpCodec.encode(new Op.SetField("card1", "status", null));
        assertTrue(json.containsKey("value"));
    }

    @Test
    void decodeReadsACreateFromText() {
        Op op = OpCodec.decode(new JsonObject("""
                {"kind":"create","id":"c1","type":"card","parent":"l1","fields":{"title":"Hi","tags":["x"],"n":{"deep":[1]}}}"""));
        Op.Create c = assertInstanceOf(Op.Create.class, op);
        assertEquals("l1", c.parent());
        assertEquals(List.of("x"), c.fields().get("tags"));
        assertInstanceOf(Map.class, c.fields().get("n"));
        assertEquals(Map.of("deep", List.of(1L)), c.fields().get("n"));
    }

    @Test
    void wholeNumbersDecodeAsLongWhateverTheirJsonSpelling() {
        Op.SetField a = (Op.SetField) OpCodec.decode(new JsonObject("{\"kind\":\"set\",\"id\":\"c\",\"field\":\"n\",\"value\":5}"));
        Op.SetField b = (Op.SetField) OpCodec.decode(new JsonObject("{\"kind\":\"set\",\"id\":\"c\",\"field\":\"n\",\"value\":5.0}"));
        assertEquals(5L, a.value());
        assertEquals(a, b);
    }

    @Test
    void fractionsDecodeAsDouble() {
        Op.SetField a = (Op.SetField) OpCodec.decode(new JsonObject("{\"kind\":\"set\",\"id\":\"c\",\"field\":\"n\",\"value\":0.1}"));
        assertEquals(0.1, a.value());
    }

    @Test
    void decodedValuesAreNeverVertxJsonTypes() {
        Op.SetField s = (Op.SetField) OpCodec.decode(new JsonObject()
                .put("kind", "set").put("id", "c").put("field", "f").put("value", new JsonArray().add(new JsonObject().put("a", 1))));
        List<?> list = assertInstanceOf(List.class, s.value());
        assertFalse(list.get(0) instanceof JsonObject);
        assertInstanceOf(Map.class, list.get(0));
    }

    LinkboardException fails(String json) {
        return assertThrows(LinkboardException.class, () -> OpCodec.decode(new JsonObject(json)));
    }

    @Test
    void aMissingOpIsABadRequest() {
        LinkboardException e = assertThrows(LinkboardException.class, () -> OpCodec.decode(null));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
    }

    @Test
    void aMissingKindIsABadRequestNamingKind() {
        LinkboardException e = fails("{\"id\":\"c\"}");
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertEquals("kind", e.details().get("field"));
    }

    @Test
    void anUnknownKindIsAValidationFailureNamingKind() {
        LinkboardException e = fails("{\"kind\":\"explode\",\"id\":\"c\"}");
        assertEquals(ErrorCode.VALIDATION_FAILED, e.code());
        assertEquals("kind", e.details().get("field"));
    }

    @Test
    void aMissingIdIsABadRequestNamingId() {
        LinkboardException e = fails("{\"kind\":\"delete\"}");
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertEquals("id", e.details().get("field"));
    }

    @Test
    void aNumericIdIsABadRequestNamingId() {
        LinkboardException e = fails("{\"kind\":\"delete\",\"id\":5}");
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertEquals("id", e.details().get("field"));
    }

    @Test
    void anIdWithBadCharactersIsAValidationFailureNamingId() {
        LinkboardException e = fails("{\"kind\":\"delete\",\"id\":\"a b\"}");
        assertEquals(ErrorCode.VALIDATION_FAILED, e.code());
        assertEquals("id", e.details().get("field"));
    }

    @Test
    void fieldsThatAreNotAnObjectAreABadRequest() {
        LinkboardException e = fails("{\"kind\":\"create\",\"id\":\"c\",\"type\":\"card\",\"fields\":[1]}");
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertEquals("fields", e.details().get("field"));
    }

    @Test
    void aCreateWithoutTypeIsABadRequestNamingType() {
        LinkboardException e = fails("{\"kind\":\"create\",\"id\":\"c\"}");
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertEquals("type", e.details().get("field"));
    }

    @Test
    void aSetWithoutValueIsABadRequestNamingValue() {
        LinkboardException e = fails("{\"kind\":\"set\",\"id\":\"c\",\"field\":\"title\"}");
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertEquals("value", e.details().get("field"));
    }

    @Test
    void aNumericPosIsABadRequestNamingPos() {
        LinkboardException e = fails("{\"kind\":\"move\",\"id\":\"c\",\"parent\":null,\"pos\":3}");
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertEquals("pos", e.details().get("field"));
    }

    @Test
    void aLinkWithoutToIsABadRequestNamingTo() {
        LinkboardException e = fails("{\"kind\":\"link\",\"id\":\"c\"}");
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertEquals("to", e.details().get("field"));
    }

    @Test
    void aLinkWhoseToLacksTheItemIsABadRequestNamingTo() {
        LinkboardException e = fails("{\"kind\":\"link\",\"id\":\"c\",\"to\":{\"board\":\"b\"}}");
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertEquals("to", e.details().get("field"));
    }

    @Test
    void membersNotOfTheKindAreIgnored() {
        Op op = OpCodec.decode(new JsonObject("{\"kind\":\"delete\",\"id\":\"c\",\"cid\":\"x\",\"pos\":5}"));
        assertEquals(new Op.Delete("c"), op);
    }
}

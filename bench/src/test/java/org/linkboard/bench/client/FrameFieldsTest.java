package org.linkboard.bench.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrameFieldsTest {

    @Test
    void readsTheMessageTypeNotTheTypeOfANestedOpWrittenBeforeIt() {
        FrameFields f = FrameFields.scan("{\"op\":{\"kind\":\"create\",\"type\":\"card\",\"fields\":{\"type\":\"x\"}},"
                + "\"type\":\"op\",\"board\":\"b1\",\"seq\":42,\"by\":\"u\",\"cid\":\"0.1.2.3\"}");
        assertEquals("op", f.type);
        assertEquals("b1", f.board);
        assertEquals(42, f.seq);
        assertEquals("0.1.2.3", f.cid);
    }

    @Test
    void nestedSeqAndCidDoNotShadowTopLevelOnes() {
        FrameFields f = FrameFields.scan("{\"type\":\"ack\",\"op\":{\"seq\":1,\"cid\":\"inner\",\"a\":[1,{\"seq\":2}]},\"cid\":\"outer\",\"seq\":7}");
        assertEquals(7, f.seq);
        assertEquals("outer", f.cid);
    }

    @Test
    void readsJoinedVersionAndSkipsTheSnapshot() {
        FrameFields f = FrameFields.scan("{\"type\":\"joined\",\"board\":\"b\",\"version\":1234,"
                + "\"snapshot\":{\"items\":{\"a\":{\"fields\":{\"title\":\"say \\\"}{\\\" ok\"}}}},\"peers\":[]}");
        assertEquals("joined", f.type);
        assertEquals(1234, f.version);
        assertEquals(-1, f.seq);
    }

    @Test
    void readsTheSeqAndCidOfEveryOpOfAReplayWithoutTheirNestedMembers() {
        FrameFields f = FrameFields.scan("{\"type\":\"joined\",\"board\":\"b\",\"peers\":[],\"version\":12,\"ops\":["
                + "{\"seq\":11,\"op\":{\"kind\":\"create\",\"seq\":99,\"cid\":\"inner\",\"fields\":{\"t\":\"a]},\"}},\"by\":\"u\",\"cid\":\"c11\"},"
                + "{\"seq\":12,\"op\":{\"kind\":\"delete\",\"id\":\"x\"},\"by\":\"u\",\"cid\":\"c12\"}]}");

        assertEquals(12, f.version);
        assertEquals(2, f.ops.size());
        assertEquals(11, f.ops.get(0).seq);
        assertEquals("c11", f.ops.get(0).cid);
        assertEquals(12, f.ops.get(1).seq);
        assertEquals("c12", f.ops.get(1).cid);
    }

    @Test
    void aJoinedWithoutOpsHasNoneAndAnEmptyReplayHasAnEmptyList() {
        assertNull(FrameFields.scan("{\"type\":\"joined\",\"version\":3,\"snapshot\":{\"items\":{}}}").ops);
        assertEquals(0, FrameFields.scan("{\"type\":\"joined\",\"version\":3,\"ops\":[ ]}").ops.size());
    }

    @Test
    void readsTheCodeOfARejectOrError() {
        assertEquals("RATE_LIMITED", FrameFields.scan("{\"type\":\"error\",\"error\":{\"message\":\"slow down\",\"code\":\"RATE_LIMITED\"}}").errorCode);
        FrameFields r = FrameFields.scan("{\"type\":\"reject\",\"board\":\"b\",\"cid\":\"c\",\"error\":{\"code\":\"ID_TAKEN\",\"message\":\"m\",\"details\":{\"code\":\"no\"}}}");
        assertEquals("ID_TAKEN", r.errorCode);
        assertEquals("c", r.cid);
    }

    @Test
    void unescapesStrings() {
        assertEquals("a\"b\\c\u00e9", FrameFields.scan("{\"type\":\"x\",\"board\":\"a\\\"b\\\\c\\u00e9\"}").board);
    }

    @Test
    void scansUtf8BytesAtAnOffsetAndDecodesMultiByteValues() {
        byte[] msg = "{\"type\":\"op\",\"board\":\"\u00e9t\u00e9\",\"seq\":-3}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] framed = new byte[msg.length + 7];
        System.arraycopy(msg, 0, framed, 5, msg.length);
        FrameFields f = FrameFields.scan(framed, 5, msg.length);
        assertEquals("op", f.type);
        assertEquals("\u00e9t\u00e9", f.board);
        assertEquals(-3, f.seq);
    }

    @Test
    void aSeqBeyondTheRangeOfALongIsABadFrameNotAnOverflow() {
        assertEquals(Long.MAX_VALUE, FrameFields.scan("{\"type\":\"op\",\"seq\":9223372036854775807}").seq);
        assertThrows(IllegalArgumentException.class, () -> FrameFields.scan("{\"type\":\"op\",\"seq\":9223372036854775808}"));
        assertThrows(IllegalArgumentException.class, () -> FrameFields.scan("{\"type\":\"op\",\"seq\":99999999999999999999}"));
    }

    @Test
    void absentFieldsStayUnset() {
        FrameFields f = FrameFields.scan(" { \"type\" : \"pong\" } ");
        assertEquals("pong", f.type);
        assertNull(f.board);
        assertNull(f.cid);
        assertEquals(-1, f.seq);
        assertEquals(-1, f.version);
    }

    @Test
    void rejectsWhatIsNotAnObject() {
        assertThrows(IllegalArgumentException.class, () -> FrameFields.scan("[1,2]"));
        assertThrows(IllegalArgumentException.class, () -> FrameFields.scan("{\"type\":\"op\""));
        assertThrows(IllegalArgumentException.class, () -> FrameFields.scan("{\"type\":\"op\",\"seq\":1.5}"));
    }
}

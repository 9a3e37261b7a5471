package org.linkboard.server.board;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Byte runs packed into shared chunks: each run stays readable where it was put. */
class ByteChunksTest {

    private static byte[] run(int length, int fill) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    @Test
    void twoPartsOfARunLieSideBySideAndTheNextRunFollowsInTheSameChunk() {
        ByteChunks chunks = new ByteChunks(64, 1024);
        int first = chunks.append(new byte[] {1, 2}, new byte[] {3});
        byte[] chunk = chunks.chunk();
        int second = chunks.append(new byte[] {4}, null);

        assertSame(chunk, chunks.chunk());
        assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOfRange(chunk, first, first + 3));
        assertEquals(first + 3, second);
        assertEquals(4, chunk[second]);
    }

    @Test
    void aRunThatDoesNotFitGoesIntoANewChunkTwiceTheLastAndTheOldOneKeepsItsBytes() {
        ByteChunks chunks = new ByteChunks(64, 1024);
        int first = chunks.append(run(60, 7), null);
        byte[] old = chunks.chunk();
        int second = chunks.append(run(10, 8), null);

        assertNotSame(old, chunks.chunk());
        assertEquals(128, chunks.chunk().length);
        assertEquals(0, second);
        assertArrayEquals(run(60, 7), Arrays.copyOfRange(old, first, first + 60));
    }

    @Test
    void chunksStopGrowingAtTheLargestSizeButARunLargerThanThatGetsItsOwn() {
        ByteChunks chunks = new ByteChunks(64, 256);
        for (int i = 0; i < 10; i++) chunks.append(run(60, i), null);
        assertEquals(256, chunks.chunk().length);

        int big = chunks.append(run(1000, 9), null);

        assertEquals(1000, chunks.chunk().length);
        assertArrayEquals(run(1000, 9), Arrays.copyOfRange(chunks.chunk(), big, big + 1000));
    }
}

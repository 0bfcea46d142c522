package org.fedklpr.transport.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;

import org.fedklpr.api.FedklprException;
import org.fedklpr.transport.grpc.proto.Chunk;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

class ChunksTest {
    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aPayloadIsCutIntoOrderedChunksOfAtMostOneMebibyteAndPutTogetherAgain() {
        byte[] payload = bytes(2 * Chunks.MAX_CHUNK + 12_345);
        List<Chunk> chunks = Chunks.split(payload, Chunks.MAX_CHUNK);
        assertEquals(3, chunks.size());
        assertTrue(chunks.stream().allMatch(c -> c.getData().size() <= Chunks.MAX_CHUNK));
        assertEquals(List.of(0L, (long) Chunks.MAX_CHUNK, 2L * Chunks.MAX_CHUNK),
                chunks.stream().map(Chunk::getOffset).toList());
        Chunks.Assembler assembler = new Chunks.Assembler("update", payload.length, 10L << 20);
        chunks.forEach(assembler::add);
        assertArrayEquals(payload, assembler.payload());
        assertTrue(Chunks.split(new byte[0], 10).isEmpty(), "an empty payload is no chunk at all");
        assertArrayEquals(new byte[0], new Chunks.Assembler("nothing", 0, 1).payload());
    }

    @Test
    void aDeclaredSizeOverTheLimitIsRefusedBeforeAnythingIsAllocated() {
        FedklprException e = assertThrows(FedklprException.class,
                () -> new Chunks.Assembler("the update of site-2", Long.MAX_VALUE, 1L << 30));
        assertTrue(e.getMessage().contains("the update of site-2 declares " + Long.MAX_VALUE), e.getMessage());
        assertThrows(FedklprException.class, () -> new Chunks.Assembler("x", -1, 10));
    }

    @Test
    void truncatedOutOfOrderRepeatedAndOverlongChunksAreRefused() {
        byte[] payload = bytes(30);
        List<Chunk> chunks = Chunks.split(payload, 10);

        Chunks.Assembler truncated = new Chunks.Assembler("model", 30, 100);
        truncated.add(chunks.get(0));
        truncated.add(chunks.get(1));
        assertFalse(truncated.complete());
        FedklprException ended = assertThrows(FedklprException.class, truncated::payload);
        assertTrue(ended.getMessage().contains("ended after 20 of its declared 30 bytes"), ended.getMessage());

        Chunks.Assembler outOfOrder = new Chunks.Assembler("model", 30, 100);
        outOfOrder.add(chunks.get(0));
        FedklprException gap = assertThrows(FedklprException.class, () -> outOfOrder.add(chunks.get(2)));
        assertTrue(gap.getMessage().contains("offset 20 came where offset 10 was expected"), gap.getMessage());

        Chunks.Assembler repeated = new Chunks.Assembler("model", 30, 100);
        repeated.add(chunks.get(0));
        assertThrows(FedklprException.class, () -> repeated.add(chunks.get(0)));

        Chunks.Assembler overlong = new Chunks.Assembler("model", 25, 100);
        overlong.add(chunks.get(0));
        overlong.add(chunks.get(1));
        FedklprException past = assertThrows(FedklprException.class, () -> overlong.add(chunks.get(2)));
        assertTrue(past.getMessage().contains("run past the declared 25 bytes"), past.getMessage());

        Chunks.Assembler huge = new Chunks.Assembler("model", 3L << 20, 10L << 20);
        Chunk tooBig = Chunk.newBuilder().setOffset(0).setData(ByteString.copyFrom(bytes(Chunks.MAX_CHUNK + 1)))
                .build();
        assertThrows(FedklprException.class, () -> huge.add(tooBig));
        assertThrows(IllegalArgumentException.class, () -> Chunks.split(payload, Chunks.MAX_CHUNK + 1));
    }
}

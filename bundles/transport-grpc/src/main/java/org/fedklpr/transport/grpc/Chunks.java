package org.fedklpr.transport.grpc;

import java.util.ArrayList;
import java.util.List;

import org.fedklpr.api.FedklprException;
import org.fedklpr.transport.grpc.proto.Chunk;

import com.google.protobuf.UnsafeByteOperations;

/**
 * Payloads (a codec's bytes of a model or update) cut into chunks for the wire, and put together
 * again. A payload never travels as one message: gRPC's message limit counts the framing, and one
 * large message would have to be held whole on both sides.
 */
final class Chunks {
    /** The largest chunk: 1 MiB carries a model at full loopback speed and stays far below the message limit. */
    static final int MAX_CHUNK = 1 << 20;

    private Chunks() {
    }

    /** {@code payload} as chunks of at most {@code size} bytes, in order. */
    static List<Chunk> split(byte[] payload, int size) {
        if (size <= 0 || size > MAX_CHUNK) {
            throw new IllegalArgumentException("chunk size must be in 1.." + MAX_CHUNK + ", got " + size);
        }
        List<Chunk> chunks = new ArrayList<>();
        for (int offset = 0; offset < payload.length; offset += size) {
            int length = Math.min(size, payload.length - offset);
            // A view, not a copy: the payload is not changed while its chunks are on their way.
            chunks.add(Chunk.newBuilder().setOffset(offset).setData(UnsafeByteOperations.unsafeWrap(payload, offset,
                    length)).build());
        }
        return chunks;
    }

    /**
     * Puts a payload together from its chunks. The declared size is checked against the limit before
     * anything is allocated; a chunk out of order, one past the declared size, or a payload that ends
     * early is refused with a message that says which.
     */
    static final class Assembler {
        private final String what;
        private final byte[] payload;
        private int received;

        /**
         * @param what names the payload in messages ("the update of site-2 for round 3")
         * @param declared the size the header announced
         * @param limit the most this side accepts
         */
        Assembler(String what, long declared, long limit) {
            this.what = what;
            if (declared < 0 || declared > limit) {
                throw new FedklprException(what + " declares " + declared + " bytes, more than the " + limit
                        + " this side accepts (maxPayloadMegabytes)");
            }
            this.payload = new byte[(int) declared];
        }

        void add(Chunk chunk) {
            if (chunk.getOffset() != received) {
                throw new FedklprException(what + ": a chunk for offset " + chunk.getOffset() + " came where offset "
                        + received + " was expected (chunks must come in order, without gaps or repeats)");
            }
            int length = chunk.getData().size();
            if (length > MAX_CHUNK) {
                throw new FedklprException(what + ": a chunk of " + length + " bytes is larger than " + MAX_CHUNK);
            }
            if ((long) received + length > payload.length) {
                throw new FedklprException(what + ": the chunks run past the declared " + payload.length + " bytes");
            }
            chunk.getData().copyTo(payload, received);
            received += length;
        }

        boolean complete() {
            return received == payload.length;
        }

        /** The whole payload; refused when bytes are missing. */
        byte[] payload() {
            if (!complete()) {
                throw new FedklprException(what + " ended after " + received + " of its declared " + payload.length
                        + " bytes");
            }
            return payload;
        }
    }
}

package org.fedklpr.api.transport;

import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;

/**
 * Turns model states into bytes and back ({@code fedklpr.name} = the encoding).
 * Decoding checks integrity: a corrupted or truncated payload is an error, never a model.
 */
public interface WireCodec {

    /** Encodes {@code state} and its mask ({@code null} = nothing pruned). */
    byte[] encode(ModelState state, ModelMask mask);

    /**
     * @throws org.fedklpr.api.FedklprException if the bytes are not a valid payload of this codec
     *         (bad magic, checksum mismatch, truncation); the message says which
     */
    Payload decode(byte[] bytes);

    /**
     * What the other side gets from {@code encode(state, mask)}, and how long that encoding is: for a
     * transport whose two sides share a process, which needs the values as they arrive and the bytes a
     * network would carry, but not the bytes themselves. The result must be exactly
     * {@code decode(encode(state, mask))} and {@code encode(state, mask).length}; a codec may produce
     * it without ever holding the whole encoding (a hundred MB for a ResNet-50, made and dropped per
     * client and round). By default it encodes and decodes.
     *
     * @since 3.1
     */
    default Carried carry(ModelState state, ModelMask mask) {
        byte[] bytes = encode(state, mask);
        return new Carried(decode(bytes), bytes.length);
    }

    /** What {@link #carry} gives: the payload as decoded, and the length of its encoding. */
    record Carried(Payload payload, long bytes) {
    }

    /** A decoded payload; {@code mask} is {@code null} when the sender pruned nothing. */
    record Payload(ModelState state, ModelMask mask) {
    }
}

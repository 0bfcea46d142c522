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

    /** A decoded payload; {@code mask} is {@code null} when the sender pruned nothing. */
    record Payload(ModelState state, ModelMask mask) {
    }
}

package org.fedklpr.wire;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.Map;

import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.transport.WireCodec.Payload;

/**
 * The dense wire format, version 1 (little-endian):
 *
 * <pre>
 * "FKLW"  u8 version=1  u8 flags (bit 0: masks follow each tensor)  u32 tensorCount
 * per tensor: u16 nameLength, UTF-8 name, u8 rank, rank x u32 dims, count x f32 values,
 *             [if masked: u8 hasMask, and when 1: ceil(count/8) bytes, bit i = element i kept]
 * u32 CRC-32 of every byte before it
 * </pre>
 *
 * Every value travels, pruned or not; a sparse format belongs beside this one, not inside it.
 */
final class DenseCodec {
    static final String NAME = "dense";
    private static final byte[] MAGIC = {'F', 'K', 'L', 'W'};
    private static final byte VERSION = 1;
    private static final int FLAG_MASKED = 1;

    private DenseCodec() {
    }

    static byte[] encode(ModelState state, ModelMask mask) {
        ByteBuffer buffer = Framing.allocate(encodedSize(state, mask));
        buffer.put(MAGIC).put(VERSION).put((byte) (mask == null ? 0 : FLAG_MASKED)).putInt(state.tensors().size());
        for (Map.Entry<String, Tensor> entry : state.tensors().entrySet()) {
            Tensor tensor = entry.getValue();
            Framing.putHeader(buffer, entry.getKey(), tensor);
            Framing.putFloats(buffer, tensor.values());
            if (mask != null) {
                BitSet kept = mask.tensors().get(entry.getKey());
                buffer.put((byte) (kept == null ? 0 : 1));
                if (kept != null) {
                    buffer.put(Bitmaps.toBytes(kept, tensor.size()));
                }
            }
        }
        return Framing.seal(buffer);
    }

    private static long encodedSize(ModelState state, ModelMask mask) {
        long size = MAGIC.length + 2 + 4 + Framing.TRAILER;
        for (Map.Entry<String, Tensor> entry : state.tensors().entrySet()) {
            size += Framing.headerSize(entry.getKey(), entry.getValue()) + 4L * entry.getValue().size();
            if (mask != null) {
                size += 1 + (mask.tensors().containsKey(entry.getKey()) ? Bitmaps.size(entry.getValue().size()) : 0);
            }
        }
        return size;
    }

    static Payload decode(byte[] bytes) {
        return Framing.readPayload(Framing.open(bytes, MAGIC, VERSION, NAME), NAME, (body, header, values, masked) -> {
            Framing.readFloats(body, values, header.name());
            return masked && body.get() == 1 ? Bitmaps.read(body, header.size()) : null;
        });
    }
}

package org.fedklpr.wire;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

import org.fedklpr.api.FedklprException;
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
    private static final int MAX_RANK = 8;

    private DenseCodec() {
    }

    static byte[] encode(ModelState state, ModelMask mask) {
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(encodedSize(state, mask))).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(MAGIC).put(VERSION).put((byte) (mask == null ? 0 : FLAG_MASKED)).putInt(state.tensors().size());
        for (Map.Entry<String, Tensor> entry : state.tensors().entrySet()) {
            byte[] name = entry.getKey().getBytes(StandardCharsets.UTF_8);
            Tensor tensor = entry.getValue();
            buffer.putShort((short) name.length).put(name).put((byte) tensor.shape().length);
            for (int dimension : tensor.shape()) {
                buffer.putInt(dimension);
            }
            buffer.asFloatBuffer().put(tensor.values());
            buffer.position(buffer.position() + 4 * tensor.size());
            if (mask != null) {
                BitSet kept = mask.tensors().get(entry.getKey());
                buffer.put((byte) (kept == null ? 0 : 1));
                if (kept != null) {
                    buffer.put(bitmap(kept, tensor.size()));
                }
            }
        }
        CRC32 crc = new CRC32();
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putInt((int) crc.getValue());
        return buffer.array();
    }

    private static long encodedSize(ModelState state, ModelMask mask) {
        long size = MAGIC.length + 2 + 4 + 4;
        for (Map.Entry<String, Tensor> entry : state.tensors().entrySet()) {
            int nameLength = entry.getKey().getBytes(StandardCharsets.UTF_8).length;
            if (nameLength > 0xFFFF) {
                throw new IllegalArgumentException("tensor name longer than 65535 bytes: " + entry.getKey());
            }
            size += 2 + nameLength + 1 + 4L * entry.getValue().shape().length + 4L * entry.getValue().size();
            if (mask != null) {
                size += 1 + (mask.tensors().containsKey(entry.getKey()) ? (entry.getValue().size() + 7) / 8 : 0);
            }
        }
        return size;
    }

    private static byte[] bitmap(BitSet kept, int size) {
        byte[] bytes = new byte[(size + 7) / 8];
        for (int i = kept.nextSetBit(0); i >= 0 && i < size; i = kept.nextSetBit(i + 1)) {
            bytes[i >> 3] |= (byte) (1 << (i & 7));
        }
        return bytes;
    }

    static Payload decode(byte[] bytes) {
        if (bytes.length < MAGIC.length + 2 + 4 + 4) {
            throw new FedklprException("payload of " + bytes.length + " bytes is too short to be a model");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new FedklprException("payload does not start with the FKLW magic: not a dense model payload");
            }
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        int expected = buffer.getInt(bytes.length - 4);
        if ((int) crc.getValue() != expected) {
            throw new FedklprException("payload checksum mismatch (CRC-32 " + Integer.toHexString((int) crc.getValue())
                    + ", trailer says " + Integer.toHexString(expected) + "): corrupted or truncated in transit");
        }
        buffer.position(MAGIC.length);
        byte version = buffer.get();
        if (version != VERSION) {
            throw new FedklprException("payload has format version " + version + ", this codec reads " + VERSION);
        }
        boolean masked = (buffer.get() & FLAG_MASKED) != 0;
        ByteBuffer body = buffer.slice(buffer.position(), bytes.length - 4 - buffer.position())
                .order(ByteOrder.LITTLE_ENDIAN);
        try {
            return readTensors(body, masked);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new FedklprException("payload is malformed at byte " + (buffer.position() + body.position()) + ": "
                    + (e.getMessage() == null ? "it ends inside a tensor" : e.getMessage()), e);
        }
    }

    private static Payload readTensors(ByteBuffer body, boolean masked) {
        int count = body.getInt();
        if (count < 0) {
            throw new IllegalArgumentException("negative tensor count " + count);
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, BitSet> kept = new LinkedHashMap<>();
        for (int t = 0; t < count; t++) {
            byte[] name = new byte[Short.toUnsignedInt(body.getShort())];
            body.get(name);
            String tensorName = new String(name, StandardCharsets.UTF_8);
            int rank = Byte.toUnsignedInt(body.get());
            if (rank > MAX_RANK) {
                throw new IllegalArgumentException("tensor '" + tensorName + "' claims rank " + rank);
            }
            int[] shape = new int[rank];
            for (int d = 0; d < rank; d++) {
                shape[d] = body.getInt();
            }
            long elements = Tensor.elementCount(shape);
            if (elements * 4 > body.remaining()) {
                throw new IllegalArgumentException("tensor '" + tensorName + "' needs " + elements * 4
                        + " bytes of values, " + body.remaining() + " remain");
            }
            float[] values = new float[(int) elements];
            body.asFloatBuffer().get(values);
            body.position(body.position() + 4 * values.length);
            if (masked && body.get() == 1) {
                byte[] bitmap = new byte[(values.length + 7) / 8];
                body.get(bitmap);
                kept.put(tensorName, BitSet.valueOf(bitmap));
            }
            if (tensors.put(tensorName, new Tensor(shape, values)) != null) {
                throw new IllegalArgumentException("tensor '" + tensorName + "' appears twice");
            }
        }
        if (body.hasRemaining()) {
            throw new IllegalArgumentException(body.remaining() + " bytes follow the last tensor");
        }
        return new Payload(ModelState.of(tensors), masked ? ModelMask.of(kept) : null);
    }
}

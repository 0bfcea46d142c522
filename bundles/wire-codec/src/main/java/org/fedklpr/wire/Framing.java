package org.fedklpr.wire;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
 * What every payload format here shares: a 4-byte magic and a version byte in front, a CRC-32 of
 * everything before it at the end, and tensors introduced by name and shape.
 */
final class Framing {
    static final int MAX_RANK = 8;
    static final int TRAILER = 4;

    private Framing() {
    }

    static int headerSize(String name, Tensor tensor) {
        int nameLength = name.getBytes(StandardCharsets.UTF_8).length;
        if (nameLength > 0xFFFF) {
            throw new IllegalArgumentException("tensor name longer than 65535 bytes: " + name);
        }
        return 2 + nameLength + 1 + 4 * tensor.shape().length;
    }

    static void putHeader(ByteBuffer buffer, String name, Tensor tensor) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        buffer.putShort((short) bytes.length).put(bytes).put((byte) tensor.shape().length);
        for (int dimension : tensor.shape()) {
            buffer.putInt(dimension);
        }
    }

    /** Appends the CRC-32 of {@code buffer}'s content so far and returns the whole array. */
    static byte[] seal(ByteBuffer buffer) {
        CRC32 crc = new CRC32();
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putInt((int) crc.getValue());
        if (buffer.position() != buffer.capacity()) {
            throw new IllegalStateException("payload size miscounted: " + buffer.position() + " of "
                    + buffer.capacity() + " bytes written");
        }
        return buffer.array();
    }

    static ByteBuffer allocate(long size) {
        return ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Checks magic, checksum and version and returns the body after the version byte (without the
     * trailer), little-endian.
     */
    static ByteBuffer open(byte[] bytes, byte[] magic, byte version, String format) {
        if (bytes.length < magic.length + 1 + TRAILER) {
            throw new FedklprException(format + " payload of " + bytes.length + " bytes is too short to be a model");
        }
        if (!Arrays.equals(bytes, 0, magic.length, magic, 0, magic.length)) {
            throw new FedklprException("payload does not start with the " + new String(magic, StandardCharsets.US_ASCII)
                    + " magic: not a " + format + " model payload");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - TRAILER);
        int expected = buffer.getInt(bytes.length - TRAILER);
        if ((int) crc.getValue() != expected) {
            throw new FedklprException("payload checksum mismatch (CRC-32 " + Integer.toHexString((int) crc.getValue())
                    + ", trailer says " + Integer.toHexString(expected) + "): corrupted or truncated in transit");
        }
        byte actual = bytes[magic.length];
        if (actual != version) {
            throw new FedklprException(format + " payload has format version " + actual + ", this codec reads "
                    + version);
        }
        int start = magic.length + 1;
        return buffer.slice(start, bytes.length - TRAILER - start).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A tensor's name and shape as read back. */
    record Header(String name, int[] shape, int size) {
    }

    static Header readHeader(ByteBuffer body) {
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
        if (elements > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor '" + tensorName + "' claims " + elements + " elements");
        }
        return new Header(tensorName, shape, (int) elements);
    }

    static void readFloats(ByteBuffer body, float[] values, String tensor) {
        if ((long) values.length * 4 > body.remaining()) {
            throw new IllegalArgumentException("tensor '" + tensor + "' needs " + values.length * 4L
                    + " bytes of values, " + body.remaining() + " remain");
        }
        body.asFloatBuffer().get(values);
        body.position(body.position() + 4 * values.length);
    }

    static void putFloats(ByteBuffer buffer, float[] values) {
        buffer.asFloatBuffer().put(values);
        buffer.position(buffer.position() + 4 * values.length);
    }

    /** Reads one tensor's values (and its mask, if it has one) after its header. */
    interface TensorReader {
        /** @return the tensor's kept elements, or {@code null} when it carries no mask */
        BitSet read(ByteBuffer body, Header header, float[] values, boolean masked);
    }

    /**
     * The body both formats share after the version byte: {@code u8 flags (bit 0: masks)},
     * {@code u32 tensorCount}, then per tensor its header and what {@code reader} reads.
     *
     * @throws FedklprException naming the format and the position of what is malformed
     */
    static Payload readPayload(ByteBuffer body, String format, TensorReader reader) {
        try {
            boolean masked = (body.get() & 1) != 0;
            int count = body.getInt();
            if (count < 0) {
                throw new IllegalArgumentException("negative tensor count " + count);
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            Map<String, BitSet> kept = new LinkedHashMap<>();
            for (int t = 0; t < count; t++) {
                Header header = readHeader(body);
                float[] values = new float[header.size()];
                BitSet mask = reader.read(body, header, values, masked);
                if (mask != null) {
                    kept.put(header.name(), mask);
                }
                if (tensors.put(header.name(), new Tensor(header.shape(), values)) != null) {
                    throw new IllegalArgumentException("tensor '" + header.name() + "' appears twice");
                }
            }
            if (body.hasRemaining()) {
                throw new IllegalArgumentException(body.remaining() + " bytes follow the last tensor");
            }
            return new Payload(ModelState.of(tensors), masked ? ModelMask.of(kept) : null);
        } catch (RuntimeException e) {
            throw malformed(format, body, e);
        }
    }

    /** Wraps what reading a malformed body throws into the user-facing error. */
    static FedklprException malformed(String format, ByteBuffer body, RuntimeException e) {
        String reason = e instanceof BufferUnderflowException || e.getMessage() == null ? "it ends inside a tensor"
                : e.getMessage();
        return new FedklprException(format + " payload is malformed at body byte " + body.position() + ": " + reason,
                e);
    }
}

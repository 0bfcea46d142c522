package org.fedklpr.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Map;

import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.transport.WireCodec.Payload;

/**
 * The sparse wire formats, version 1 (little-endian). Per tensor they send only the listed elements:
 * the kept ones when the tensor has a mask, otherwise the non-zero ones (zeros are rebuilt). Each
 * tensor takes the smallest of three encodings. The three formats differ only in how the listed
 * values are written ({@link ValueFormat}) and in their magic: "FKLS" float32 ({@code sparse}),
 * "FKLH" float16 ({@code fp16}), "FKL8" int8 with a scale per output channel ({@code int8}).
 *
 * <pre>
 * magic  u8 version=1  u8 flags (bit 0: the payload carries masks)  u32 tensorCount
 * per tensor: u16 nameLength, UTF-8 name, u8 rank, rank x u32 dims, u8 encoding, u8 listedIsMask
 *   encoding 0 dense:  the values of every element                  (never used with a mask)
 *   encoding 1 bitmap: ceil(count/8) bytes, then the values of the listed elements in order
 *   encoding 2 index:  u32 listed, listed x varint gap (first index, then differences minus 1),
 *                      then the values of the listed elements in order
 * u32 CRC-32 of every byte before it
 * </pre>
 *
 * In float32 a dense tensor costs 2 bytes more than in the dense format; a tensor half pruned costs
 * about 53 % of its dense size (values plus a 1-bit-per-element bitmap).
 */
final class SparseCodec {
    static final SparseCodec FLOAT32 = new SparseCodec("sparse", "FKLS", ValueFormat.FLOAT32);
    static final SparseCodec FLOAT16 = new SparseCodec("fp16", "FKLH", ValueFormat.FLOAT16);
    static final SparseCodec INT8 = new SparseCodec("int8", "FKL8", ValueFormat.INT8_PER_CHANNEL);
    private static final byte VERSION = 1;
    private static final int FLAG_MASKED = 1;
    private static final byte DENSE = 0;
    private static final byte BITMAP = 1;
    private static final byte INDEX = 2;

    private final String name;
    private final byte[] magic;
    private final ValueFormat values;

    private SparseCodec(String name, String magic, ValueFormat values) {
        this.name = name;
        this.magic = magic.getBytes(StandardCharsets.US_ASCII);
        this.values = values;
    }

    String name() {
        return name;
    }

    /** How one tensor will travel. */
    private record Plan(String name, Tensor tensor, BitSet listed, boolean listedIsMask, byte encoding, long size) {
    }

    byte[] encode(ModelState state, ModelMask mask) {
        Plan[] plans = new Plan[state.tensors().size()];
        long size = magic.length + 2 + 4 + Framing.TRAILER;
        int t = 0;
        for (Map.Entry<String, Tensor> entry : state.tensors().entrySet()) {
            BitSet kept = mask == null ? null : mask.tensors().get(entry.getKey());
            plans[t] = plan(entry.getKey(), entry.getValue(), kept);
            size += plans[t].size();
            t++;
        }
        ByteBuffer buffer = Framing.allocate(size);
        buffer.put(magic).put(VERSION).put((byte) (mask == null ? 0 : FLAG_MASKED)).putInt(plans.length);
        for (Plan plan : plans) {
            write(buffer, plan);
        }
        return Framing.seal(buffer);
    }

    private Plan plan(String name, Tensor tensor, BitSet kept) {
        int n = tensor.size();
        BitSet listed = kept != null ? kept.get(0, n) : nonZero(tensor.values());
        int count = listed.cardinality();
        long header = Framing.headerSize(name, tensor) + 2;
        long dense = kept != null ? Long.MAX_VALUE : values.size(tensor, n);
        long listedValues = values.size(tensor, count);
        long bitmap = Bitmaps.size(n) + listedValues;
        long index = 4 + gapBytes(listed) + listedValues;
        byte encoding = dense <= bitmap && dense <= index ? DENSE : bitmap <= index ? BITMAP : INDEX;
        long body = encoding == DENSE ? dense : encoding == BITMAP ? bitmap : index;
        return new Plan(name, tensor, listed, kept != null, encoding, header + body);
    }

    /** The non-zero elements (NaN counts as non-zero), built a 64-bit word at a time. */
    private static BitSet nonZero(float[] values) {
        long[] words = new long[(values.length + 63) >>> 6];
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0f) {
                words[i >>> 6] |= 1L << i;
            }
        }
        return BitSet.valueOf(words);
    }

    private static long gapBytes(BitSet listed) {
        long bytes = 0;
        int previous = -1;
        for (int i = listed.nextSetBit(0); i >= 0; i = listed.nextSetBit(i + 1)) {
            bytes += varintSize(i - previous - 1);
            previous = i;
        }
        return bytes;
    }

    private static int varintSize(int value) {
        int size = 1;
        while ((value >>>= 7) != 0) {
            size++;
        }
        return size;
    }

    private void write(ByteBuffer buffer, Plan plan) {
        Framing.putHeader(buffer, plan.name(), plan.tensor());
        buffer.put(plan.encoding()).put((byte) (plan.listedIsMask() ? 1 : 0));
        if (plan.encoding() == DENSE) {
            values.write(buffer, plan.name(), plan.tensor(), null);
            return;
        }
        if (plan.encoding() == BITMAP) {
            buffer.put(Bitmaps.toBytes(plan.listed(), plan.tensor().size()));
        } else {
            buffer.putInt(plan.listed().cardinality());
            int previous = -1;
            for (int i = plan.listed().nextSetBit(0); i >= 0; i = plan.listed().nextSetBit(i + 1)) {
                putVarint(buffer, i - previous - 1);
                previous = i;
            }
        }
        values.write(buffer, plan.name(), plan.tensor(), plan.listed());
    }

    private static void putVarint(ByteBuffer buffer, int value) {
        while ((value & ~0x7F) != 0) {
            buffer.put((byte) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        buffer.put((byte) value);
    }

    private static int getVarint(ByteBuffer body) {
        int value = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            byte b = body.get();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("an index gap is longer than 5 bytes");
    }

    Payload decode(byte[] bytes) {
        return Framing.readPayload(Framing.open(bytes, magic, VERSION, name), name, (body, header, read, masked) -> {
            byte encoding = body.get();
            boolean listedIsMask = body.get() == 1;
            BitSet listed = readTensor(body, encoding, header, read);
            if (listedIsMask && !masked) {
                throw new IllegalArgumentException("tensor '" + header.name()
                        + "' carries a mask in a payload without masks");
            }
            return listedIsMask ? listed : null;
        });
    }

    /** Fills {@code values} and returns the listed elements ({@code null} for dense). */
    private BitSet readTensor(ByteBuffer body, byte encoding, Framing.Header header, float[] read) {
        switch (encoding) {
            case DENSE -> {
                values.read(body, header, read, null);
                return null;
            }
            case BITMAP -> {
                BitSet listed = Bitmaps.read(body, header.size());
                values.read(body, header, read, listed);
                return listed;
            }
            case INDEX -> {
                int listedCount = body.getInt();
                if (listedCount < 0 || listedCount > header.size()) {
                    throw new IllegalArgumentException("tensor '" + header.name() + "' lists " + listedCount
                            + " of " + header.size() + " elements");
                }
                BitSet listed = new BitSet(header.size());
                int index = -1;
                for (int k = 0; k < listedCount; k++) {
                    index += getVarint(body) + 1;
                    if (index < 0 || index >= header.size()) {
                        throw new IllegalArgumentException("tensor '" + header.name() + "' lists element " + index
                                + " of " + header.size());
                    }
                    listed.set(index);
                }
                values.read(body, header, read, listed);
                return listed;
            }
            default -> throw new IllegalArgumentException("tensor '" + header.name() + "' has unknown encoding "
                    + encoding);
        }
    }
}

package org.fedklpr.wire;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.function.IntConsumer;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.model.Tensor;

/**
 * How the values of one tensor's listed elements are written: float32 as they are, float16, or int8
 * with a scale per output channel. The quantising formats refuse a value that is not finite (its
 * tensor and element named), on both sides: a NaN would otherwise poison a scale or travel as a
 * model.
 */
interface ValueFormat {
    /** Bytes the values of {@code listed} elements of {@code tensor} take. */
    long size(Tensor tensor, int listed);

    /** Writes the values of the {@code listed} elements in order ({@code null}: every element). */
    void write(ByteBuffer buffer, String name, Tensor tensor, BitSet listed);

    /** Reads the values of the {@code listed} elements into {@code values} ({@code null}: every element). */
    void read(ByteBuffer body, Framing.Header header, float[] values, BitSet listed);

    ValueFormat FLOAT32 = new ValueFormat() {
        @Override
        public long size(Tensor tensor, int listed) {
            return 4L * listed;
        }

        @Override
        public void write(ByteBuffer buffer, String name, Tensor tensor, BitSet listed) {
            float[] values = tensor.values();
            if (listed == null) {
                Framing.putFloats(buffer, values);
                return;
            }
            // A plain loop: this is the default codec's hot path.
            for (int i = listed.nextSetBit(0); i >= 0; i = listed.nextSetBit(i + 1)) {
                buffer.putFloat(values[i]);
            }
        }

        @Override
        public void read(ByteBuffer body, Framing.Header header, float[] values, BitSet listed) {
            if (listed == null) {
                Framing.readFloats(body, values, header.name());
                return;
            }
            for (int i = listed.nextSetBit(0); i >= 0; i = listed.nextSetBit(i + 1)) {
                values[i] = body.getFloat();
            }
        }
    };

    /** IEEE 754 half precision, rounded to nearest, ties to even ({@link HalfFloats}). */
    ValueFormat FLOAT16 = new ValueFormat() {
        @Override
        public long size(Tensor tensor, int listed) {
            return 2L * listed;
        }

        @Override
        public void write(ByteBuffer buffer, String name, Tensor tensor, BitSet listed) {
            float[] values = tensor.values();
            forEach(listed, values.length, i -> buffer.putShort(HalfFloats.toHalf(checked(values[i], name, i))));
        }

        @Override
        public void read(ByteBuffer body, Framing.Header header, float[] values, BitSet listed) {
            forEach(listed, values.length, i -> values[i] = HalfFloats.toFloat(body.getShort(), header.name(), i));
        }
    };

    /**
     * Symmetric int8 with one float32 scale per output channel (the first dimension) for tensors of
     * rank 2 or more: {@code scale = max |v| / 127} over the channel's listed elements,
     * {@code q = rint(v / scale)} (nearest, ties to even) in [-127, 127], decoded as {@code q * scale};
     * no element moves by more than half its channel's scale. Vectors and scalars (biases, batch-norm
     * weights and running statistics) travel as float32: they are a sliver of the bytes, and one
     * scale across a running variance would turn its small entries into 0.
     */
    ValueFormat INT8_PER_CHANNEL = new ValueFormat() {
        @Override
        public long size(Tensor tensor, int listed) {
            return Int8Channels.quantised(tensor.shape()) ? 4L * tensor.shape()[0] + listed
                    : FLOAT32.size(tensor, listed);
        }

        @Override
        public void write(ByteBuffer buffer, String name, Tensor tensor, BitSet listed) {
            float[] values = tensor.values();
            if (!Int8Channels.quantised(tensor.shape())) {
                forEach(listed, values.length, i -> checked(values[i], name, i));
                FLOAT32.write(buffer, name, tensor, listed);
                return;
            }
            int channels = tensor.shape()[0];
            int perChannel = channels == 0 ? 0 : values.length / channels;
            float[] scales = new float[channels];
            forEach(listed, values.length, i -> {
                int channel = i / perChannel;
                scales[channel] = Math.max(scales[channel], Math.abs(checked(values[i], name, i)));
            });
            for (int c = 0; c < channels; c++) {
                scales[c] /= Int8Channels.LEVELS;
                buffer.putFloat(scales[c]);
            }
            forEach(listed, values.length, i -> buffer.put(Int8Channels.quantise(values[i], scales[i / perChannel])));
        }

        @Override
        public void read(ByteBuffer body, Framing.Header header, float[] values, BitSet listed) {
            if (!Int8Channels.quantised(header.shape())) {
                FLOAT32.read(body, header, values, listed);
                forEach(listed, values.length, i -> {
                    if (!Float.isFinite(values[i])) {
                        throw new IllegalArgumentException("tensor '" + header.name() + "' element " + i + " is "
                                + values[i]);
                    }
                });
                return;
            }
            int channels = header.shape()[0];
            int perChannel = channels == 0 ? 0 : values.length / channels;
            float[] scales = new float[channels];
            for (int c = 0; c < channels; c++) {
                scales[c] = body.getFloat();
                if (!(scales[c] >= 0) || Float.isInfinite(scales[c])) {
                    throw new IllegalArgumentException("tensor '" + header.name() + "' has the scale " + scales[c]
                            + " for channel " + c);
                }
            }
            forEach(listed, values.length, i -> {
                byte q = body.get();
                if (q == Byte.MIN_VALUE) {
                    throw new IllegalArgumentException("tensor '" + header.name() + "' element " + i
                            + " is -128, outside the int8 levels [-127, 127]");
                }
                values[i] = q * scales[i / perChannel];
            });
        }
    };

    private static void forEach(BitSet listed, int size, IntConsumer action) {
        if (listed == null) {
            for (int i = 0; i < size; i++) {
                action.accept(i);
            }
        } else {
            for (int i = listed.nextSetBit(0); i >= 0; i = listed.nextSetBit(i + 1)) {
                action.accept(i);
            }
        }
    }

    private static float checked(float value, String tensor, int index) {
        if (!Float.isFinite(value)) {
            throw new FedklprException("tensor '" + tensor + "' element " + index + " is " + value
                    + ": a quantised payload carries finite values only");
        }
        return value;
    }
}

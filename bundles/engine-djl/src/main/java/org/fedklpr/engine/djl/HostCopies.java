package org.fedklpr.engine.djl;

import java.util.BitSet;

import ai.djl.mxnet.engine.MxNDArray;
import ai.djl.mxnet.jna.JnaUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import com.sun.jna.Memory;

/**
 * Copies between Java float arrays and MXNet arrays through staging memory that is freed as soon as
 * the copy is done. DJL's own {@code toFloatArray()} and {@code create(float[])} stage through direct
 * byte buffers, which go back to the C library only when the garbage collector happens to find them:
 * a ResNet-50 client reads and writes its 100 MB of weights several times a round, and in a
 * simulation of eight of them those buffers piled up by the gigabyte between collections.
 */
final class HostCopies {
    /** Floats staged at a time when a mask is spelled out (256 KB of Java array, reused). */
    private static final int MASK_CHUNK = 1 << 16;

    private HostCopies() {
    }

    /** The values of a float32 array, in row-major order. */
    static float[] read(NDArray array) {
        checkFloat(array);
        int count = Math.toIntExact(array.size());
        float[] values = new float[count];
        if (count == 0) {
            return values;
        }
        try (Memory staging = new Memory(4L * count)) {
            JnaUtils.syncCopyToCPU(((MxNDArray) array).getHandle(), staging, count);
            staging.read(0, values, 0, count);
        }
        return values;
    }

    /** A new float32 array of {@code manager} holding {@code values} (of as many elements as {@code shape}). */
    static NDArray create(NDManager manager, float[] values, Shape shape) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException(values.length + " values for shape " + shape);
        }
        NDArray array = manager.create(shape, DataType.FLOAT32);
        if (values.length == 0) {
            return array;
        }
        try (Memory staging = new Memory(4L * values.length)) {
            staging.write(0, values, 0, values.length);
            array.set(staging.getByteBuffer(0, staging.size()));
        }
        return array;
    }

    /**
     * A new float32 array of {@code manager}: 1 where {@code kept} has a bit set, 0 elsewhere. Spelled
     * out a chunk at a time, so that no Java array of the tensor's size is made.
     */
    static NDArray keepMask(NDManager manager, BitSet kept, Shape shape) {
        int count = Math.toIntExact(shape.size());
        NDArray array = manager.create(shape, DataType.FLOAT32);
        if (count == 0) {
            return array;
        }
        float[] chunk = new float[Math.min(MASK_CHUNK, count)];
        try (Memory staging = new Memory(4L * count)) {
            for (int from = 0; from < count; from += chunk.length) {
                int length = Math.min(chunk.length, count - from);
                for (int i = 0; i < length; i++) {
                    chunk[i] = kept.get(from + i) ? 1f : 0f;
                }
                staging.write(4L * from, chunk, 0, length);
            }
            array.set(staging.getByteBuffer(0, staging.size()));
        }
        return array;
    }

    private static void checkFloat(NDArray array) {
        if (array.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("expected a float32 array, got " + array.getDataType());
        }
    }
}

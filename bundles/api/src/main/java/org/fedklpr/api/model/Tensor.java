package org.fedklpr.api.model;

import java.util.Arrays;

/**
 * A dense float tensor in row-major order. The arrays are shared, not copied: treat a tensor as
 * immutable once it is handed to another service.
 */
public record Tensor(int[] shape, float[] values) {

    public Tensor {
        long expected = elementCount(shape);
        if (expected != values.length) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " needs "
                    + expected + " values, got " + values.length);
        }
    }

    /** Number of elements a tensor of this shape holds (1 for a scalar, 0 if any dimension is 0). */
    public static long elementCount(int[] shape) {
        long count = 1;
        for (int dimension : shape) {
            if (dimension < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            count *= dimension;
        }
        return count;
    }

    public int size() {
        return values.length;
    }

    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    public String shapeText() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Tensor" + shapeText();
    }
}

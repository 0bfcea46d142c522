package org.fedklpr.engine.djl;

import ai.djl.ndarray.types.Shape;

/** Conversions between DJL shapes and the API's int shapes. */
final class DjlTensors {
    private DjlTensors() {
    }

    static int[] shape(Shape shape) {
        int[] dims = new int[shape.dimension()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = Math.toIntExact(shape.get(i));
        }
        return dims;
    }

    static Shape shape(int[] dims) {
        long[] longs = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            longs[i] = dims[i];
        }
        return new Shape(longs);
    }
}

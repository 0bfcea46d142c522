package org.fedklpr.engine.djl;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.PairList;
import org.fedklpr.api.eval.DotProducts;

/**
 * Query × gallery dot products by MXNet's {@code dot} operator, that is by the BLAS MXNet is built
 * with (MKL in mxnet-native-mkl): several times the throughput of the evaluator's own Java kernel
 * (docs/BENCHMARKS.md). The gallery is copied into native memory once, as it is: the operator
 * reads it transposed ({@code transpose_b}), so no transposed copy is made. Each chunk of queries
 * is one copy in, one product into an output array kept for chunks of that size, and one copy out.
 */
final class MxnetDotProducts implements DotProducts {
    private static final PairList<String, Object> TRANSPOSE_GALLERY = new PairList<>();

    static {
        TRANSPOSE_GALLERY.add("transpose_b", "True");
    }

    private final Engine engine;

    MxnetDotProducts(Engine engine) {
        this.engine = engine;
    }

    @Override
    public Loaded load(float[][] rows) {
        int size = rows.length;
        int dimension = size == 0 ? 0 : rows[0].length;
        NDManager manager = DjlRuntime.withDjlClassLoader(() -> engine.newBaseManager(Device.cpu()));
        try {
            NDArray gallery = manager.create(direct(manager, rows, 0, size, dimension, "gallery row", null), new Shape(size,
                    dimension), DataType.FLOAT32);
            return new LoadedGallery(manager, gallery, size, dimension);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Rows {@code from} … {@code from + count − 1} in one native-order direct buffer (reused when
     * {@code reuse} is large enough), which MXNet copies from without another copy in Java.
     */
    private static ByteBuffer direct(NDManager manager, float[][] rows, int from, int count, int dimension,
            String rowName, ByteBuffer reuse) {
        int bytes = Math.multiplyExact(Math.multiplyExact(count, dimension), Float.BYTES);
        ByteBuffer buffer = reuse != null && reuse.capacity() >= bytes ? reuse.clear() : manager.allocateDirect(bytes);
        FloatBuffer values = buffer.asFloatBuffer();
        for (int i = 0; i < count; i++) {
            float[] row = rows[from + i];
            if (row.length != dimension) {
                throw new IllegalArgumentException(rowName + " " + (from + i) + " has " + row.length + " values, the"
                        + " gallery's rows " + dimension);
            }
            values.put(row);
        }
        return buffer.limit(bytes);
    }

    private static final class LoadedGallery implements Loaded {
        private final NDManager manager;
        private final NDArray gallery;
        private final int size;
        private final int dimension;
        private ByteBuffer queryBuffer;
        private NDArray product;

        LoadedGallery(NDManager manager, NDArray gallery, int size, int dimension) {
            this.manager = manager;
            this.gallery = gallery;
            this.size = size;
            this.dimension = dimension;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public void dots(float[][] queries, int from, int count, float[] out) {
            if (count == 0 || size == 0) {
                return;
            }
            queryBuffer = direct(manager, queries, from, count, dimension, "query", queryBuffer);
            if (product == null || product.getShape().get(0) != count) {
                if (product != null) {
                    product.close();
                }
                product = manager.create(new Shape(count, size), DataType.FLOAT32);
            }
            try (NDManager scratch = manager.newSubManager()) {
                NDArray chunk = scratch.create(queryBuffer, new Shape(count, dimension), DataType.FLOAT32);
                manager.invoke("dot", new NDArray[] {chunk, gallery}, new NDArray[] {product}, TRANSPOSE_GALLERY);
            }
            product.toByteBuffer().asFloatBuffer().get(out, 0, count * size);
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}

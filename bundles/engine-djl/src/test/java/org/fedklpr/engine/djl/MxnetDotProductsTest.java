package org.fedklpr.engine.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.SplittableRandom;

import org.fedklpr.api.eval.DotProducts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MxnetDotProductsTest {
    private static float[][] unitRows(SplittableRandom random, int count, int dimension) {
        float[][] rows = new float[count][dimension];
        for (float[] row : rows) {
            double norm = 0;
            for (int d = 0; d < dimension; d++) {
                row[d] = (float) random.nextGaussian();
                norm += row[d] * row[d];
            }
            for (int d = 0; d < dimension; d++) {
                row[d] /= (float) Math.sqrt(norm);
            }
        }
        return rows;
    }

    @Test
    void dotProductsAreThoseOfEveryQueryWithEveryGalleryRowAndTheSameEveryCall(@TempDir Path cache) {
        DjlEngine engine = EngineTestSupport.startEngine(cache);
        SplittableRandom random = new SplittableRandom(4);
        int dimension = 131; // no multiple of a SIMD width
        float[][] gallery = unitRows(random, 517, dimension);
        float[][] queries = unitRows(random, 40, dimension);
        try (DotProducts.Loaded loaded = engine.load(gallery)) {
            assertEquals(517, loaded.size());
            float[] out = new float[7 * gallery.length];
            loaded.dots(queries, 30, 7, out);
            for (int i = 0; i < 7; i++) {
                for (int j = 0; j < gallery.length; j++) {
                    double exact = 0;
                    for (int d = 0; d < dimension; d++) {
                        exact += (double) queries[30 + i][d] * gallery[j][d];
                    }
                    assertEquals(exact, out[i * gallery.length + j], 1e-6, "query " + (30 + i) + ", gallery " + j);
                }
            }
            float[] again = new float[7 * gallery.length];
            loaded.dots(queries, 30, 7, again);
            assertArrayEquals(out, again, 0f);
            assertThrows(IllegalArgumentException.class, () -> loaded.dots(new float[][] {new float[3]}, 0, 1, out));
        } finally {
            engine.deactivate();
        }
        assertThrows(IllegalArgumentException.class, () -> engine.load(new float[][] {new float[2], new float[3]}));
    }
}

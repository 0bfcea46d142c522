package org.fedklpr.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.eval.FeatureSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCsvTest {
    @Test
    void readsLabelsAndFeatures(@TempDir Path folder) throws IOException {
        Path file = Files.writeString(folder.resolve("q.csv"), "3,1,0.5,-1e-3,2\n\n-1, 2, 0, 0, 1\n0,6,1,1,1\n");
        FeatureSet set = FeatureCsv.read(file);
        assertEquals(3, set.size());
        assertEquals(3, set.dimension());
        assertArrayEquals(new int[] {3, -1, 0}, set.personIds());
        assertArrayEquals(new int[] {1, 2, 6}, set.cameras());
        assertArrayEquals(new float[] {0.5f, -0.001f, 2f}, set.features()[0]);
    }

    @Test
    void mistakesNameFileLineAndColumn(@TempDir Path folder) throws IOException {
        assertMessage(folder, "pid,camid,f1\n1,1,0.5\n", "line 1 column 1: pid 'pid' is not a whole number");
        assertMessage(folder, "1,1,0.5,0.5\n2,1,0.5\n", "line 2: 1 feature values, but the rows before have 2");
        assertMessage(folder, "1,1,0.5,abc\n", "line 1 column 4: 'abc' is not a number");
        assertMessage(folder, "1,1,NaN\n", "line 1 column 3: feature value NaN is not finite");
        assertMessage(folder, "1,1\n", "line 1: expected pid,camid,f1,...,fd but found 2 fields");
        assertMessage(folder, "-2,1,0.1\n", "pid -2 is invalid");
        assertMessage(folder, "\n", "has no rows");
        FedklprException missing = assertThrows(FedklprException.class,
                () -> FeatureCsv.read(folder.resolve("none.csv")));
        assertTrue(missing.getMessage().contains("none.csv does not exist"), missing.getMessage());
    }

    @Test
    void whatIsWrittenReadsBackBitForBit(@TempDir Path folder) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        float[][] features = new float[5][33];
        for (float[] row : features) {
            for (int d = 0; d < row.length; d++) {
                row[d] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-12, 6)));
            }
        }
        features[0][0] = Float.MIN_VALUE;
        features[0][1] = -0f;
        features[0][2] = Float.MAX_VALUE;
        Path labelled = folder.resolve("labelled.csv");
        FeatureCsv.writeLabelled(labelled, new FeatureSet(features, new int[] {3, -1, 0, 12, 3},
                new int[] {1, 2, 1, 6, 2}));
        FeatureSet read = FeatureCsv.read(labelled);
        assertArrayEquals(new int[] {3, -1, 0, 12, 3}, read.personIds());
        assertArrayEquals(new int[] {1, 2, 1, 6, 2}, read.cameras());
        for (int i = 0; i < features.length; i++) {
            assertArrayEquals(features[i], read.features()[i], 0f, "row " + i);
        }

        List<String> paths = List.of("a/b.jpg", "with, comma.png", "\"quoted\".jpg", " padded .jpg", "x.jpg");
        Path byPath = folder.resolve("paths.csv");
        FeatureCsv.writeByPath(byPath, paths, features);
        FeatureCsv.PathFeatures back = FeatureCsv.readByPath(byPath);
        assertEquals(paths, back.paths());
        for (int i = 0; i < features.length; i++) {
            assertArrayEquals(features[i], back.features()[i], 0f, "row " + i);
        }
    }

    private static void assertMessage(Path folder, String content, String expected) throws IOException {
        Path file = Files.writeString(folder.resolve("bad.csv"), content);
        FedklprException e = assertThrows(FedklprException.class, () -> FeatureCsv.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains(expected), e.getMessage());
    }
}

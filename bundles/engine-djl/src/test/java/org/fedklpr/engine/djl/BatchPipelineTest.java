package org.fedklpr.engine.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.engine.ImageSet;
import org.junit.jupiter.api.Test;

/** Augmentation and the batch-ahead pipeline, on in-memory images (no engine needed). */
class BatchPipelineTest {
    private static final int HEIGHT = 32;
    private static final int WIDTH = 16;

    private static ImageSet images(int count) {
        List<ReidImage> images = new ArrayList<>();
        byte[][] pixels = new byte[count][HEIGHT * WIDTH * 3];
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < count; i++) {
            images.add(new ReidImage(Path.of("image-" + i + ".png"), 1 + i % 3, 1));
            for (int p = 0; p < pixels[i].length; p++) {
                pixels[i][p] = (byte) (40 + random.nextInt(200)); // never the mean colour exactly
            }
        }
        return new ImageSet(images, pixels, HEIGHT, WIDTH, List.of());
    }

    @Test
    void randomErasingZeroesOneRectangleInEveryChannelAndNothingElse() {
        ImageSet set = images(1);
        BatchAssembler assembler = new BatchAssembler(HEIGHT, WIDTH);
        float[] plain = new float[assembler.imageSize()];
        float[] erased = new float[assembler.imageSize()];
        assembler.fill(plain, set, new int[] {0}, 0, 1, new SplittableRandom(9), 0f);
        assembler.fill(erased, set, new int[] {0}, 0, 1, new SplittableRandom(9), 1f);
        int plane = HEIGHT * WIDTH;
        int zeros = 0;
        for (int i = 0; i < plane; i++) {
            boolean zero = erased[i] == 0f;
            for (int c = 0; c < 3; c++) {
                assertEquals(zero, erased[c * plane + i] == 0f, "erasing covers all channels alike");
                if (!zero) {
                    assertEquals(plain[c * plane + i], erased[c * plane + i]);
                }
            }
            zeros += zero ? 1 : 0;
        }
        assertTrue(zeros >= 0.02 * plane && zeros <= 0.4 * plane * 1.1, zeros + " of " + plane + " pixels erased");
    }

    @Test
    void pipelineGivesTheScheduledBatchesInOrderWhateverItsTiming() {
        ImageSet set = images(12);
        int[] labels = set.images().stream().mapToInt(image -> image.personId() - 1).toArray();
        List<int[]> schedule = List.of(new int[] {0, 1, 2, 3}, new int[] {7, 6, 5, 4}, new int[] {11, 8, 9, 10},
                new int[] {3, 2, 1, 0});
        BatchAssembler assembler = new BatchAssembler(HEIGHT, WIDTH);
        SplittableRandom expectedRandom = new SplittableRandom(5);
        try (BatchPipeline pipeline = new BatchPipeline(assembler, set, labels, schedule, new SplittableRandom(5),
                0.5f)) {
            for (int[] indices : schedule) {
                float[] expected = new float[indices.length * assembler.imageSize()];
                assembler.fill(expected, set, indices, 0, indices.length, expectedRandom, 0.5f);
                BatchPipeline.Batch batch = pipeline.next();
                assertArrayEquals(expected, batch.pixels());
                for (int b = 0; b < indices.length; b++) {
                    assertEquals(labels[indices[b]], batch.labels()[b]);
                }
                pipeline.recycle(batch);
            }
            assertTrue(pipeline.waitSeconds() >= 0);
        }
    }

    @Test
    void aFailureWhilePreparingABatchReachesTheTrainingLoop() {
        ImageSet set = images(4);
        BatchAssembler wrongSize = new BatchAssembler(HEIGHT * 2, WIDTH * 2);
        try (BatchPipeline pipeline = new BatchPipeline(wrongSize, set, new int[4], List.<int[]>of(new int[] {0, 1}),
                new SplittableRandom(1), 0f)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, pipeline::next);
            assertTrue(e.getMessage().contains("images were decoded at 32x16 but the network takes 64x32"),
                    e.getMessage());
        }
    }
}

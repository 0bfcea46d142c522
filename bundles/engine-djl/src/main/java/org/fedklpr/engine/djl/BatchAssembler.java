package org.fedklpr.engine.djl;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.fedklpr.api.engine.ImageSet;
import org.fedklpr.api.federation.InputNormalisation;

/**
 * Turns decoded images into a normalised float batch (N, 3, H, W). Training batches are augmented
 * as in the re-ID baselines: random horizontal flip, padding followed by a random crop back to the
 * input size (10 pixels at 256x128, scaled with the input height), and optionally random erasing
 * (Zhong et al.): with probability p a rectangle of 2–40 % of the image, aspect ratio 0.3–3.3, is
 * set to the normalisation mean, i.e. 0 after normalisation.
 */
final class BatchAssembler {
    private final float[] mean = InputNormalisation.mean();
    private final float[] std = InputNormalisation.std();
    private final int height;
    private final int width;
    private final int padding;

    BatchAssembler(int height, int width) {
        this.height = height;
        this.width = width;
        this.padding = Math.max(1, Math.round(height * 10f / 256f));
    }

    int imageSize() {
        return 3 * height * width;
    }

    /**
     * Fills {@code batch} with the images at {@code indices[from..from+count)}.
     *
     * @param random augmentation randomness, or {@code null} for the plain images (inference)
     */
    void fill(float[] batch, ImageSet images, int[] indices, int from, int count, SplittableRandom random) {
        fill(batch, images, indices, from, count, random, 0f);
    }

    /** As {@link #fill(float[], ImageSet, int[], int, int, SplittableRandom)}, erasing with probability {@code erasing}. */
    void fill(float[] batch, ImageSet images, int[] indices, int from, int count, SplittableRandom random,
            float erasing) {
        fill(batch, images, indices, from, count, random, erasing, false);
    }

    /** The plain images mirrored left to right, for flip fusion at inference. */
    void fillMirrored(float[] batch, ImageSet images, int[] indices, int from, int count) {
        fill(batch, images, indices, from, count, null, 0f, true);
    }

    private void fill(float[] batch, ImageSet images, int[] indices, int from, int count, SplittableRandom random,
            float erasing, boolean mirror) {
        if (images.height() != height || images.width() != width) {
            throw new IllegalArgumentException("images were decoded at " + images.height() + "x" + images.width()
                    + " but the network takes " + height + "x" + width);
        }
        int plane = height * width;
        for (int b = 0; b < count; b++) {
            byte[] rgb = images.pixels(indices[from + b]);
            boolean flip = mirror || (random != null && random.nextBoolean());
            int shiftY = random == null ? 0 : random.nextInt(2 * padding + 1) - padding;
            int shiftX = random == null ? 0 : random.nextInt(2 * padding + 1) - padding;
            int base = b * imageSize();
            for (int y = 0; y < height; y++) {
                int sourceY = y + shiftY;
                for (int x = 0; x < width; x++) {
                    int sourceX = (flip ? width - 1 - x : x) + shiftX;
                    boolean inside = sourceY >= 0 && sourceY < height && sourceX >= 0 && sourceX < width;
                    int source = (sourceY * width + sourceX) * 3;
                    for (int c = 0; c < 3; c++) {
                        // Padding is black before normalisation, as torchvision's Pad does.
                        float value = inside ? (rgb[source + c] & 0xFF) / 255f : 0f;
                        batch[base + c * plane + y * width + x] = (value - mean[c]) / std[c];
                    }
                }
            }
            if (random != null && erasing > 0 && random.nextDouble() < erasing) {
                erase(batch, base, random);
            }
        }
    }

    private static final double MIN_AREA = 0.02;
    private static final double MAX_AREA = 0.4;
    private static final double MIN_ASPECT = 0.3;

    /** Up to ten tries for a rectangle that fits, as torchvision does; none fitting leaves the image. */
    private void erase(float[] batch, int base, SplittableRandom random) {
        int plane = height * width;
        for (int attempt = 0; attempt < 10; attempt++) {
            double area = plane * (MIN_AREA + random.nextDouble() * (MAX_AREA - MIN_AREA));
            double logAspect = Math.log(MIN_ASPECT) + random.nextDouble() * (-2 * Math.log(MIN_ASPECT));
            double aspect = Math.exp(logAspect);
            int h = (int) Math.round(Math.sqrt(area * aspect));
            int w = (int) Math.round(Math.sqrt(area / aspect));
            if (h < height && w < width && h > 0 && w > 0) {
                int top = random.nextInt(height - h + 1);
                int left = random.nextInt(width - w + 1);
                for (int c = 0; c < 3; c++) {
                    for (int y = top; y < top + h; y++) {
                        int row = base + c * plane + y * width;
                        Arrays.fill(batch, row + left, row + left + w, 0f);
                    }
                }
                return;
            }
        }
    }
}

package org.fedklpr.engine.djl;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.objective.LocalObjective;

import ai.djl.ndarray.NDArray;

/** Small real images for engine tests: identities are colour/stripe patterns with noise. */
final class EngineTestSupport {
    /** Softmax cross-entropy, written here so the engine is tested without the loss bundles. */
    static final LocalObjective CROSS_ENTROPY = step -> {
        NDArray logProbabilities = step.logits().logSoftmax(1);
        NDArray oneHot = step.labels().oneHot(Math.toIntExact(step.logits().getShape().get(1)));
        return logProbabilities.mul(oneHot).sum(new int[] {1}).mean().neg();
    };

    private EngineTestSupport() {
    }

    /** The engine, with natives in DJL_CACHE_DIR when the build sets it, else in {@code cache}. */
    static DjlEngine startEngine(Path cache) {
        String configured = System.getProperty("DJL_CACHE_DIR");
        return new DjlEngine(configured != null ? configured : cache.toString(), 2);
    }

    /** Writes {@code perIdentity} images of each of {@code identities} people; returns them in order. */
    static List<ReidImage> writeIdentities(Path folder, int identities, int perIdentity, long seed) {
        java.util.Random random = new java.util.Random(seed);
        List<ReidImage> images = new ArrayList<>();
        for (int id = 1; id <= identities; id++) {
            Color top = Color.getHSBColor(id / (float) identities, 0.9f, 0.9f);
            Color bottom = Color.getHSBColor((id * 0.37f) % 1f, 0.7f, 0.4f + 0.5f * (id % 2));
            for (int k = 0; k < perIdentity; k++) {
                BufferedImage image = new BufferedImage(32, 64, BufferedImage.TYPE_3BYTE_BGR);
                Graphics2D g = image.createGraphics();
                g.setColor(new Color(random.nextInt(80), random.nextInt(80), random.nextInt(80)));
                g.fillRect(0, 0, 32, 64);
                int shift = random.nextInt(5) - 2;
                g.setColor(top);
                g.fillRect(8 + shift, 10, 16, 22);
                g.setColor(bottom);
                g.fillRect(9 + shift, 32, 14, 28);
                if (id % 3 == 0) {
                    g.setColor(Color.WHITE);
                    for (int y = 12; y < 30; y += 4) {
                        g.fillRect(8 + shift, y, 16, 1);
                    }
                }
                g.dispose();
                Path file = folder.resolve(String.format("%04d_c%ds1_%06d_01.jpg", id, 1 + k % 2, k));
                try {
                    ImageIO.write(image, "jpg", file.toFile());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                images.add(new ReidImage(file, id, 1 + k % 2));
            }
        }
        return images;
    }
}

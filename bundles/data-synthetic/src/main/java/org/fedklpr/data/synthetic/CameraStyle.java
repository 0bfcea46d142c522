package org.fedklpr.data.synthetic;

import java.awt.Color;
import java.util.SplittableRandom;

/**
 * How one camera sees the world: light, colour cast, blur, noise, which side of people it tends to
 * see, how large they appear, how often something stands in front of them, and its background.
 * Every client has its own cameras, so each site's images have their own look (non-IID).
 */
record CameraStyle(float gain, float red, float green, float blue, float contrast, int blurRadius, float noise,
        float frontShare, float backShare, float scale, float occlusion, Color wall, Color floor, float horizon,
        int texture, float jpegQuality) {

    static CameraStyle random(SplittableRandom random) {
        float front = 0.2f + 0.6f * random.nextFloat();
        return new CameraStyle(
                0.65f + 0.6f * random.nextFloat(),
                0.8f + 0.4f * random.nextFloat(),
                0.8f + 0.4f * random.nextFloat(),
                0.8f + 0.4f * random.nextFloat(),
                0.75f + 0.4f * random.nextFloat(),
                random.nextInt(3),
                2f + 8f * random.nextFloat(),
                front,
                (1 - front) * (0.4f + 0.5f * random.nextFloat()),
                0.82f + 0.16f * random.nextFloat(),
                0.05f + 0.25f * random.nextFloat(),
                Color.getHSBColor(random.nextFloat(), 0.1f + 0.3f * random.nextFloat(), 0.3f + 0.6f * random.nextFloat()),
                Color.getHSBColor(random.nextFloat(), 0.05f + 0.2f * random.nextFloat(),
                        0.2f + 0.5f * random.nextFloat()),
                0.55f + 0.25f * random.nextFloat(),
                random.nextInt(3),
                0.6f + 0.35f * random.nextFloat());
    }
}

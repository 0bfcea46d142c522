package org.fedklpr.data.synthetic;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/** A camera's rendering of the scene: exposure, colour cast, contrast, lens blur and sensor noise. */
final class CameraEffects {
    private CameraEffects() {
    }

    /** Applies {@code style} to {@code image} (TYPE_INT_RGB) in place. */
    static void apply(BufferedImage image, CameraStyle style, float exposure, SplittableRandom random) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] rgb = image.getRGB(0, 0, width, height, null, 0, width);
        float[] gains = {style.gain() * exposure * style.red(), style.gain() * exposure * style.green(),
            style.gain() * exposure * style.blue()};
        for (int i = 0; i < rgb.length; i++) {
            int pixel = rgb[i];
            int out = 0;
            for (int c = 0; c < 3; c++) {
                int shift = 16 - 8 * c;
                float value = ((pixel >> shift) & 0xFF) / 255f;
                value = ((value - 0.5f) * style.contrast() + 0.5f) * gains[c];
                out |= PedestrianRenderer.clamp(Math.round(value * 255)) << shift;
            }
            rgb[i] = out;
        }
        if (style.blurRadius() > 0) {
            rgb = boxBlur(rgb, width, height, style.blurRadius());
        }
        for (int i = 0; i < rgb.length; i++) {
            int pixel = rgb[i];
            int out = 0;
            for (int c = 0; c < 3; c++) {
                int shift = 16 - 8 * c;
                int noisy = ((pixel >> shift) & 0xFF) + (int) Math.round(gaussian(random) * style.noise());
                out |= PedestrianRenderer.clamp(noisy) << shift;
            }
            rgb[i] = out;
        }
        image.setRGB(0, 0, width, height, rgb, 0, width);
    }

    private static int[] boxBlur(int[] rgb, int width, int height, int radius) {
        int[] horizontal = new int[rgb.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                horizontal[y * width + x] = average(rgb, y * width, 1, x, width, radius);
            }
        }
        int[] vertical = new int[rgb.length];
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                vertical[y * width + x] = average(horizontal, x, width, y, height, radius);
            }
        }
        return vertical;
    }

    /** Mean of the pixels at {@code base + step * j} for j within {@code radius} of {@code at}. */
    private static int average(int[] rgb, int base, int step, int at, int length, int radius) {
        int r = 0;
        int g = 0;
        int b = 0;
        int count = 0;
        for (int j = Math.max(0, at - radius); j <= Math.min(length - 1, at + radius); j++) {
            int pixel = rgb[base + step * j];
            r += (pixel >> 16) & 0xFF;
            g += (pixel >> 8) & 0xFF;
            b += pixel & 0xFF;
            count++;
        }
        return ((r / count) << 16) | ((g / count) << 8) | (b / count);
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}

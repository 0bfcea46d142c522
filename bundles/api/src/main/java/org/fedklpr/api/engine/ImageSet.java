package org.fedklpr.api.engine;

import java.util.List;

import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.data.SkippedFile;

/**
 * Images decoded and resized once, kept in memory as 8-bit RGB (row-major, interleaved), so
 * that every local epoch and every evaluation reads them without touching the disk again.
 *
 * @param images the images that decoded, in input order
 * @param pixels {@code pixels[i]} holds {@code height * width * 3} bytes of {@code images[i]}
 * @param skipped files that could not be decoded, with the reason
 */
public record ImageSet(List<ReidImage> images, byte[][] pixels, int height, int width, List<SkippedFile> skipped) {

    public ImageSet {
        images = List.copyOf(images);
        skipped = List.copyOf(skipped);
        if (pixels.length != images.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + pixels.length + " pixel buffers");
        }
    }

    public int size() {
        return images.size();
    }
}

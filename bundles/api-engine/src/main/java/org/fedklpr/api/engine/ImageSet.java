package org.fedklpr.api.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.data.SkippedFile;

/**
 * Images decoded and resized to one input size, as 8-bit RGB (row-major, interleaved). As many as
 * memory allows are kept decoded, so that every local epoch and every evaluation reads them without
 * touching the disk again; the others are decoded again from their files each time they are used
 * (an engine prepares training batches ahead of the step, so that costs no training time).
 */
public final class ImageSet {

    /** Decodes image {@code index} of the set again, for images not kept in memory. */
    @FunctionalInterface
    public interface PixelSource {
        byte[] load(int index);
    }

    private final List<ReidImage> images;
    private final byte[][] kept;
    private final PixelSource source;
    private final int height;
    private final int width;
    private final List<SkippedFile> skipped;

    /**
     * A set held entirely in memory.
     *
     * @param images the images that decoded, in input order
     * @param pixels {@code pixels[i]} holds {@code height * width * 3} bytes of {@code images[i]}
     * @param skipped files that could not be decoded, with the reason
     */
    public ImageSet(List<ReidImage> images, byte[][] pixels, int height, int width, List<SkippedFile> skipped) {
        this(images, pixels, index -> {
            throw new IllegalStateException("image " + index + " is not in memory");
        }, height, width, skipped);
        for (int i = 0; i < pixels.length; i++) {
            if (pixels[i] == null) {
                throw new IllegalArgumentException("no pixels for " + images.get(i).path());
            }
        }
    }

    /**
     * A set of which only some images are held in memory.
     *
     * @param kept {@code kept[i]}: the pixels of {@code images[i]}, or null when {@code source}
     *        decodes them on demand
     */
    public ImageSet(List<ReidImage> images, byte[][] kept, PixelSource source, int height, int width,
            List<SkippedFile> skipped) {
        this.images = List.copyOf(images);
        this.skipped = List.copyOf(skipped);
        if (kept.length != images.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + kept.length + " pixel buffers");
        }
        this.kept = kept;
        this.source = Objects.requireNonNull(source, "source");
        this.height = height;
        this.width = width;
    }

    /** The pixels of image {@code index}: from memory, or decoded again from its file. */
    public byte[] pixels(int index) {
        byte[] pixels = kept[index];
        return pixels != null ? pixels : source.load(index);
    }

    /** Images held decoded in memory (the rest are decoded on each use). */
    public int keptInMemory() {
        return (int) Arrays.stream(kept).filter(Objects::nonNull).count();
    }

    /** The images at {@code indices}, in that order, sharing this set's memory and source. */
    public ImageSet subset(int[] indices) {
        List<ReidImage> chosen = new ArrayList<>(indices.length);
        byte[][] chosenPixels = new byte[indices.length][];
        for (int j = 0; j < indices.length; j++) {
            chosen.add(images.get(indices[j]));
            chosenPixels[j] = kept[indices[j]];
        }
        return new ImageSet(chosen, chosenPixels, j -> source.load(indices[j]), height, width, List.of());
    }

    public List<ReidImage> images() {
        return images;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public List<SkippedFile> skipped() {
        return skipped;
    }

    public int size() {
        return images.size();
    }
}

package org.fedklpr.engine.djl;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.data.SkippedFile;
import org.fedklpr.api.engine.ImageSet;

/**
 * Decodes image files on a small owned thread pool and resizes them (bilinear) to the network's
 * input size. An unreadable file is skipped with its reason, never fatal. Every file is decoded
 * once up front (that is how broken ones are found); the decoded pixels are kept while they fit
 * in the cache budget, in input order, and the rest are decoded again whenever they are used.
 */
final class ImageDecoder implements AutoCloseable {
    /** Decoded images waiting to be collected at most, per thread: bounds memory while decoding. */
    private static final int WINDOW_PER_THREAD = 8;

    private final ExecutorService pool;
    private final int threads;
    private final LongSupplier cacheBudgetBytes;

    /**
     * @param cacheBudgetBytes how many bytes of decoded pixels one {@link #decode} call may keep,
     *        asked at each call (the engine derives it from the free heap)
     */
    ImageDecoder(int threads, LongSupplier cacheBudgetBytes) {
        this.threads = Math.max(1, threads);
        this.cacheBudgetBytes = cacheBudgetBytes;
        this.pool = Executors.newFixedThreadPool(this.threads, runnable -> {
            Thread thread = new Thread(runnable, "fedklpr-image-decoder");
            thread.setDaemon(true);
            return thread;
        });
    }

    ImageSet decode(List<ReidImage> images, int height, int width) {
        long budget = cacheBudgetBytes.getAsLong();
        long imageBytes = 3L * height * width;
        List<ReidImage> decoded = new ArrayList<>(images.size());
        List<byte[]> kept = new ArrayList<>(images.size());
        List<SkippedFile> skipped = new ArrayList<>();
        Deque<Future<byte[]>> running = new ArrayDeque<>();
        int next = 0;
        long keptBytes = 0;
        for (int i = 0; i < images.size(); i++) {
            while (next < images.size() && running.size() < threads * WINDOW_PER_THREAD) {
                ReidImage image = images.get(next++);
                running.add(pool.submit(() -> decodeOne(image, height, width)));
            }
            try {
                byte[] pixels = running.poll().get();
                decoded.add(images.get(i));
                boolean fits = keptBytes + imageBytes <= budget;
                kept.add(fits ? pixels : null);
                keptBytes += fits ? imageBytes : 0;
            } catch (ExecutionException e) {
                skipped.add(new SkippedFile(images.get(i).path(), e.getCause().getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while decoding images", e);
            }
        }
        return new ImageSet(decoded, kept.toArray(new byte[0][]), index -> decodeAgain(decoded.get(index), height,
                width), height, width, skipped);
    }

    private static byte[] decodeAgain(ReidImage image, int height, int width) {
        try {
            return decodeOne(image, height, width);
        } catch (IOException e) {
            throw new UncheckedIOException(image.path() + " decoded when the client started but not any more: "
                    + e.getMessage(), e);
        }
    }

    private static byte[] decodeOne(ReidImage image, int height, int width) throws IOException {
        BufferedImage source = read(image);

        BufferedImage resized = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D graphics = resized.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.drawImage(source, 0, 0, width, height, null);
        } finally {
            graphics.dispose();
        }
        byte[] bgr = ((DataBufferByte) resized.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[bgr.length];
        for (int i = 0; i < bgr.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return rgb;
    }

    /**
     * Reads the whole image. A file whose data ends early is refused: Java's JPEG reader only warns
     * ("Premature end of JPEG file") and returns the image with the missing part grey, which would
     * train on a picture that is not there.
     */
    private static BufferedImage read(ReidImage image) throws IOException {
        List<String> warnings = new ArrayList<>();
        BufferedImage decoded = null;
        try (ImageInputStream input = ImageIO.createImageInputStream(image.path().toFile())) {
            Iterator<ImageReader> readers = input == null ? Collections.emptyIterator() : ImageIO.getImageReaders(input);
            if (readers.hasNext()) {
                ImageReader reader = readers.next();
                try {
                    reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                    reader.setInput(input, true, true);
                    decoded = reader.read(0);
                } finally {
                    reader.dispose();
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("not a decodable image (" + e.getMessage() + ")", e);
        }
        if (decoded == null) {
            throw new IOException("not a decodable image (no image reader accepts it)");
        }
        if (!warnings.isEmpty()) {
            throw new IOException("not a complete image (" + String.join("; ", warnings) + ")");
        }
        return decoded;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}

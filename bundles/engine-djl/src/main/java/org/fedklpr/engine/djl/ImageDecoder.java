package org.fedklpr.engine.djl;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.imageio.ImageIO;

import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.data.SkippedFile;
import org.fedklpr.api.engine.ImageSet;

/**
 * Decodes image files on a small owned thread pool and resizes them (bilinear) to the network's
 * input size. An unreadable file is skipped with its reason, never fatal.
 */
final class ImageDecoder implements AutoCloseable {
    private final ExecutorService pool;

    ImageDecoder(int threads) {
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), runnable -> {
            Thread thread = new Thread(runnable, "fedklpr-image-decoder");
            thread.setDaemon(true);
            return thread;
        });
    }

    ImageSet decode(List<ReidImage> images, int height, int width) {
        List<Future<byte[]>> decoded = new ArrayList<>(images.size());
        for (ReidImage image : images) {
            decoded.add(pool.submit(() -> decodeOne(image, height, width)));
        }
        List<ReidImage> kept = new ArrayList<>(images.size());
        List<byte[]> pixels = new ArrayList<>(images.size());
        List<SkippedFile> skipped = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            try {
                pixels.add(decoded.get(i).get());
                kept.add(images.get(i));
            } catch (ExecutionException e) {
                skipped.add(new SkippedFile(images.get(i).path(), e.getCause().getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while decoding images", e);
            }
        }
        return new ImageSet(kept, pixels.toArray(new byte[0][]), height, width, skipped);
    }

    private static byte[] decodeOne(ReidImage image, int height, int width) throws IOException {
        BufferedImage source;
        try {
            source = ImageIO.read(image.path().toFile());
        } catch (IOException | RuntimeException e) {
            throw new IOException("not a decodable image (" + e.getMessage() + ")", e);
        }
        if (source == null) {
            throw new IOException("not a decodable image (no image reader accepts it)");
        }
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

    @Override
    public void close() {
        pool.shutdownNow();
    }
}

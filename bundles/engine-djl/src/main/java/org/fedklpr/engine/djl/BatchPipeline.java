package org.fedklpr.engine.djl;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.fedklpr.api.engine.ImageSet;

/**
 * Prepares training batches (augmentation and normalisation) on its own thread, one batch ahead of
 * the step that consumes them, so that the engine computes while the next batch is assembled. Two
 * buffers circulate: the consumer hands one back once the engine has copied it. The time the
 * consumer spends blocked in {@link #next()} is what "waiting for data" means in
 * {@link org.fedklpr.api.engine.TrainingReport}.
 *
 * <p>The batches' content depends only on the schedule and the augmentation seed, never on timing.
 */
final class BatchPipeline implements AutoCloseable {
    /** One assembled batch: pixels in (N, 3, H, W) order and the labels of the N images. */
    record Batch(float[] pixels, int[] labels) {
    }

    private final BlockingQueue<float[]> free = new ArrayBlockingQueue<>(2);
    private final BlockingQueue<Object> ready = new ArrayBlockingQueue<>(2);
    private final Thread worker;
    private long waitNanos;

    /**
     * @param schedule image indices of each batch, in training order
     * @param labels label of every image of {@code images}
     */
    BatchPipeline(BatchAssembler assembler, ImageSet images, int[] labels, List<int[]> schedule,
            SplittableRandom augmentation, float erasing) {
        int largest = schedule.stream().mapToInt(batch -> batch.length).max().orElse(0);
        free.add(new float[largest * assembler.imageSize()]);
        free.add(new float[largest * assembler.imageSize()]);
        worker = new Thread(() -> {
            try {
                for (int[] indices : schedule) {
                    float[] pixels = free.take();
                    assembler.fill(pixels, images, indices, 0, indices.length, augmentation, erasing);
                    int[] batchLabels = new int[indices.length];
                    for (int b = 0; b < indices.length; b++) {
                        batchLabels[b] = labels[indices[b]];
                    }
                    ready.put(new Batch(pixels, batchLabels));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // closed early: the consumer has gone
            } catch (RuntimeException e) {
                ready.offer(e);
            }
        }, "fedklpr-batch-pipeline");
        worker.setDaemon(true);
        worker.start();
    }

    /** The next batch, waiting for it if it is not assembled yet. */
    Batch next() {
        long started = System.nanoTime();
        try {
            Object item = ready.take();
            waitNanos += System.nanoTime() - started;
            if (item instanceof RuntimeException failure) {
                throw new IllegalStateException("preparing a training batch failed: " + failure.getMessage(), failure);
            }
            return (Batch) item;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a training batch", e);
        }
    }

    /** Gives a batch's buffer back once its pixels have been copied to the engine. */
    void recycle(Batch batch) {
        free.offer(batch.pixels());
    }

    double waitSeconds() {
        return waitNanos / 1e9;
    }

    @Override
    public void close() {
        worker.interrupt();
    }
}

package org.fedklpr.api.engine;

import java.util.List;

import org.fedklpr.api.federation.NetworkSpec;
import org.fedklpr.api.federation.TrainingSettings;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.TensorScope;
import org.fedklpr.api.objective.LocalObjective;

/**
 * A re-ID network: backbone, embedding with batch-norm neck, and an identity classifier head.
 * Holds native memory: close it. Not thread-safe.
 */
public interface ReidNetwork extends AutoCloseable {

    NetworkSpec spec();

    /**
     * Multiply-accumulate operations of one forward pass of one image (convolutions and linear
     * layers), for throughput reports; -1 when the engine does not know.
     */
    /**
     * Flip fusion, a common test-time augmentation: for every image, the embedding of the image and
     * that of its mirror image are added before L2 normalisation.
     *
     * @throws UnsupportedOperationException if the engine does not offer it
     */
    default float[][] embedWithFlip(ImageSet images) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not implement flip fusion");
    }

    default long multiplyAddsPerImage() {
        return -1;
    }

    /** Copies the parameters (and batch-norm statistics) in {@code scope} out of the network. */
    ModelState read(TensorScope scope);

    /**
     * Overwrites the parameters present in {@code state}; others keep their values.
     *
     * @throws IllegalArgumentException naming the first tensor that the network does not have or
     *         whose shape differs
     */
    void write(ModelState state);

    /**
     * Trains on {@code images} with identity labels {@code labels} (0-based classes of the head),
     * minimising the sum of {@code objectives}.
     *
     * @param globalReference the model this round started from, for objectives that compare with it
     *        ({@link LocalObjective#needsGlobalEmbeddings()}, {@link LocalObjective#needsGlobalParameters()});
     *        may be empty when none do
     */
    TrainingReport train(ImageSet images, int[] labels, TrainingSettings settings, List<NamedObjective> objectives,
            ModelState globalReference);

    /**
     * {@link #train(ImageSet, int[], TrainingSettings, List, ModelState)}, telling {@code progress}
     * after every step how far it is; an engine that cannot tell trains without it.
     */
    default TrainingReport train(ImageSet images, int[] labels, TrainingSettings settings,
            List<NamedObjective> objectives, ModelState globalReference, StepListener progress) {
        return train(images, labels, settings, objectives, globalReference);
    }

    /**
     * Trains with targets chosen at the start of every epoch ({@link EpochLabelling}): pseudo-labels
     * made with the network as it is then, for instance. Images whose label is
     * {@link EpochTargets#SITS_OUT} are left out of that epoch; labels are not checked against the
     * identity head (pseudo-identities are not its classes).
     *
     * @throws UnsupportedOperationException if the engine trains only with fixed labels
     */
    default TrainingReport train(ImageSet images, EpochLabelling labelling, TrainingSettings settings,
            List<NamedObjective> objectives, ModelState globalReference, StepListener progress) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not train with per-epoch labels");
    }

    /** Told after each training step, on the training thread: keep it short. */
    @FunctionalInterface
    interface StepListener {
        StepListener NONE = (step, steps, images) -> { };

        /**
         * @param step the steps done so far
         * @param steps the steps of this training
         * @param images the images those steps have seen
         */
        void stepDone(int step, int steps, long images);
    }

    /** L2-normalised embeddings of {@code images} (inference mode), one row per image. */
    float[][] embed(ImageSet images);

    /** The identity head's most likely class for each image (inference mode). */
    int[] classify(ImageSet images);

    /**
     * Keeps the elements that {@code mask} prunes at zero from now on: they are zeroed at once, after
     * every {@link #write}, and after every optimiser step of {@link #train}. {@code null} lifts the
     * constraint (the elements keep their current values).
     *
     * @throws IllegalArgumentException naming a masked tensor the network does not have
     */
    void constrain(ModelMask mask);

    @Override
    void close();

    /** An objective with the name it was selected by, so reports can show each term. */
    record NamedObjective(String name, LocalObjective objective) {
    }
}

package org.fedklpr.api.engine;

/**
 * How a client trains in one round.
 *
 * @param epochs local epochs over the client's training images
 * @param batchSize images per step
 * @param optimizer {@code sgd} or {@code adam}
 * @param learningRate step size of the backbone and embedding
 * @param headLearningRateFactor the classifier head's step size is {@code learningRate} times this
 *        (FedPav trains the freshly initialised head ten times faster)
 * @param momentum SGD momentum (ignored by Adam)
 * @param weightDecay L2 weight decay
 * @param instancesPerIdentity 0: batches are a random shuffle; K &gt; 0: identity-balanced P×K
 *        batches of {@code batchSize / K} identities with K images each (what triplet losses need)
 * @param seed seed of shuffling and augmentation for this client and round
 */
public record TrainingSettings(int epochs, int batchSize, String optimizer, float learningRate,
        float headLearningRateFactor, float momentum, float weightDecay, int instancesPerIdentity, long seed) {

    public TrainingSettings {
        if (epochs <= 0) {
            throw new IllegalArgumentException("localEpochs must be positive, got " + epochs);
        }
        if (batchSize <= 1) {
            throw new IllegalArgumentException("batchSize must be at least 2 (batch norm), got " + batchSize);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learningRate must be positive, got " + learningRate);
        }
        if (instancesPerIdentity < 0 || (instancesPerIdentity > 0 && batchSize / instancesPerIdentity < 2)) {
            throw new IllegalArgumentException("instancesPerIdentity must be 0, or leave room for at least 2 identities"
                    + " per batch of " + batchSize + ", got " + instancesPerIdentity);
        }
        if (!"sgd".equals(optimizer) && !"adam".equals(optimizer)) {
            throw new IllegalArgumentException("optimizer must be 'sgd' or 'adam', got '" + optimizer + "'");
        }
    }

    public TrainingSettings withSeed(long newSeed) {
        return new TrainingSettings(epochs, batchSize, optimizer, learningRate, headLearningRateFactor, momentum,
                weightDecay, instancesPerIdentity, newSeed);
    }
}

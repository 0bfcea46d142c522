package org.fedklpr.api.federation;

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
 * @param randomErasing probability that a training image gets a random rectangle erased (Zhong et
 *        al.'s random erasing; 0.5 in the BNNeck baseline, 0 in FedReID), in [0, 1]
 */
public record TrainingSettings(int epochs, int batchSize, String optimizer, float learningRate,
        float headLearningRateFactor, float momentum, float weightDecay, int instancesPerIdentity, long seed,
        float randomErasing) {

    /** Settings without random erasing. */
    public TrainingSettings(int epochs, int batchSize, String optimizer, float learningRate,
            float headLearningRateFactor, float momentum, float weightDecay, int instancesPerIdentity, long seed) {
        this(epochs, batchSize, optimizer, learningRate, headLearningRateFactor, momentum, weightDecay,
                instancesPerIdentity, seed, 0f);
    }

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
        if (!(randomErasing >= 0 && randomErasing <= 1)) {
            throw new IllegalArgumentException("randomErasing is a probability in [0, 1], got " + randomErasing);
        }
        if (!"sgd".equals(optimizer) && !"adam".equals(optimizer)) {
            throw new IllegalArgumentException("optimizer must be 'sgd' or 'adam', got '" + optimizer + "'");
        }
    }

    public TrainingSettings withSeed(long newSeed) {
        return new TrainingSettings(epochs, batchSize, optimizer, learningRate, headLearningRateFactor, momentum,
                weightDecay, instancesPerIdentity, newSeed, randomErasing);
    }
}

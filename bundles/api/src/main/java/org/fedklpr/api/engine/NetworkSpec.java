package org.fedklpr.api.engine;

/**
 * What network to build.
 *
 * @param architecture the backbone's name as the engine knows it (for example {@code tiny-cnn})
 * @param inputHeight image height the network takes
 * @param inputWidth image width the network takes
 * @param embeddingDim size of the re-ID embedding (the BNNeck output)
 * @param identities number of classes of the identity classifier head
 * @param seed seed of the weight initialisation (equal seeds give equal weights)
 */
public record NetworkSpec(String architecture, int inputHeight, int inputWidth, int embeddingDim, int identities,
        long seed) {

    public NetworkSpec {
        if (inputHeight <= 0 || inputWidth <= 0) {
            throw new IllegalArgumentException("input size must be positive, got " + inputHeight + "x" + inputWidth);
        }
        if (embeddingDim <= 0) {
            throw new IllegalArgumentException("embeddingDim must be positive, got " + embeddingDim);
        }
        if (identities <= 0) {
            throw new IllegalArgumentException("the identity head needs at least one class, got " + identities);
        }
    }

    public NetworkSpec withSeed(long newSeed) {
        return new NetworkSpec(architecture, inputHeight, inputWidth, embeddingDim, identities, newSeed);
    }
}

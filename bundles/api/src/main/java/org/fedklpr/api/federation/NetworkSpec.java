package org.fedklpr.api.federation;

/**
 * What network to build.
 *
 * @param architecture the backbone's name as the engine knows it (for example {@code tiny-cnn})
 * @param inputHeight image height the network takes; 0 (with width 0): the architecture's usual
 *        size, which the engine fills in (the network it builds tells it)
 * @param inputWidth image width the network takes; 0: see inputHeight
 * @param embeddingDim size of the re-ID embedding (the BNNeck output)
 * @param identities number of classes of the identity classifier head
 * @param seed seed of the weight initialisation (equal seeds give equal weights)
 * @param pretrainedWeights a local file of backbone weights to start from instead of the seeded
 *        initialisation (the engine documents the formats it reads), or blank for none; nothing is
 *        ever downloaded
 */
public record NetworkSpec(String architecture, int inputHeight, int inputWidth, int embeddingDim, int identities,
        long seed, String pretrainedWeights) {

    /** A network with seeded initial weights and no pretrained file. */
    public NetworkSpec(String architecture, int inputHeight, int inputWidth, int embeddingDim, int identities,
            long seed) {
        this(architecture, inputHeight, inputWidth, embeddingDim, identities, seed, "");
    }

    public NetworkSpec {
        boolean usual = inputHeight == 0 && inputWidth == 0;
        if (!usual && (inputHeight <= 0 || inputWidth <= 0)) {
            throw new IllegalArgumentException("input size must be positive (or 0x0 for the architecture's usual"
                    + " size), got " + inputHeight + "x" + inputWidth);
        }
        if (embeddingDim <= 0) {
            throw new IllegalArgumentException("embeddingDim must be positive, got " + embeddingDim);
        }
        pretrainedWeights = pretrainedWeights == null ? "" : pretrainedWeights.strip();
        if (identities <= 0) {
            throw new IllegalArgumentException("the identity head needs at least one class, got " + identities);
        }
    }

    public NetworkSpec withSeed(long newSeed) {
        return new NetworkSpec(architecture, inputHeight, inputWidth, embeddingDim, identities, newSeed,
                pretrainedWeights);
    }

    public NetworkSpec withInputSize(int height, int width) {
        return new NetworkSpec(architecture, height, width, embeddingDim, identities, seed, pretrainedWeights);
    }

    public NetworkSpec withPretrainedWeights(String file) {
        return new NetworkSpec(architecture, inputHeight, inputWidth, embeddingDim, identities, seed, file);
    }
}

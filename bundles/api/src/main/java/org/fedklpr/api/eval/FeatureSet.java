package org.fedklpr.api.eval;

/**
 * Embeddings with their labels: row {@code i} of {@code features} belongs to person
 * {@code personIds[i]} seen by camera {@code cameras[i]}. {@code -1} is junk; every other id, {@code 0}
 * included, is a person (as in torchreid): a distractor is a gallery entry whose id no query has.
 */
public record FeatureSet(float[][] features, int[] personIds, int[] cameras) {
    public FeatureSet {
        if (features.length != personIds.length || features.length != cameras.length) {
            throw new IllegalArgumentException("feature set has " + features.length + " features, "
                    + personIds.length + " person ids and " + cameras.length + " cameras");
        }
    }

    public int size() {
        return features.length;
    }

    public int dimension() {
        return features.length == 0 ? 0 : features[0].length;
    }
}

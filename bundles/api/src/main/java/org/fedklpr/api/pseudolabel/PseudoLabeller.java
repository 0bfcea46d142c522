package org.fedklpr.api.pseudolabel;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Groups a site's unlabelled training images into pseudo-identities from their embeddings
 * ({@code fedklpr.name} = the method, e.g. {@code dbscan}). Deterministic: the same embeddings give the
 * same labels.
 */
@ProviderType
public interface PseudoLabeller {

    /**
     * @param embeddings one L2-normalised row per training image, all of one length
     * @param cameras the camera of each image (1-based, as in the file names)
     * @throws IllegalArgumentException if the arrays differ in length or a row in length
     */
    PseudoLabels label(float[][] embeddings, int[] cameras);
}

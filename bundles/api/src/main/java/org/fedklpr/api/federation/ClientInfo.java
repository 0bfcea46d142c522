package org.fedklpr.api.federation;

/**
 * What a client tells the coordinator about its data (counts only, never images).
 *
 * @param skippedFiles files of the dataset left out (bad names, not images, undecodable)
 */
public record ClientInfo(String clientId, String dataset, int trainImages, int trainIdentities, int queryImages,
        int galleryImages, int skippedFiles) {
}

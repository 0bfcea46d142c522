package org.fedklpr.api.federation;

/**
 * What a client tells the coordinator about its data (counts only, never images) and the network it
 * built.
 *
 * @param skippedFiles files of the dataset left out (bad names, not images, undecodable)
 * @param inputHeight the height in pixels its network takes, the architecture's usual one filled in
 *        where the spec left it open; 0 before it has built one
 * @param inputWidth the width that goes with it
 */
public record ClientInfo(String clientId, String dataset, int trainImages, int trainIdentities, int queryImages,
        int galleryImages, int skippedFiles, int inputHeight, int inputWidth) {

    /** A client that has not built its network yet. */
    public ClientInfo(String clientId, String dataset, int trainImages, int trainIdentities, int queryImages,
            int galleryImages, int skippedFiles) {
        this(clientId, dataset, trainImages, trainIdentities, queryImages, galleryImages, skippedFiles, 0, 0);
    }
}

package org.fedklpr.api.data;

import java.nio.file.Path;

/**
 * One pedestrian image and its labels.
 *
 * @param path the image file
 * @param personId the identity; {@value #DISTRACTOR} marks a distractor and {@value #JUNK} a junk
 *        image (Market-1501 convention)
 * @param camera the camera that took it (1-based, as in the file names)
 */
public record ReidImage(Path path, int personId, int camera) {
    /** Person id of junk images, which evaluation ignores. */
    public static final int JUNK = -1;
    /** Person id of distractors: valid gallery entries that never match a query. */
    public static final int DISTRACTOR = 0;

    public boolean isJunk() {
        return personId == JUNK;
    }
}

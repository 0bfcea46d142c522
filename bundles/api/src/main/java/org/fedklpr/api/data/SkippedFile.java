package org.fedklpr.api.data;

import java.nio.file.Path;

/**
 * A file a loader or decoder left out, and why (shown to the user as is).
 *
 * @param path the file
 * @param reason why it was left out, without the file name (so equal reasons can be counted)
 * @param split the split it would have belonged to ({@value #TRAIN}, {@value #QUERY},
 *        {@value #GALLERY}), or empty when that is not known
 */
public record SkippedFile(Path path, String reason, String split) {
    public static final String TRAIN = "train";
    public static final String QUERY = "query";
    public static final String GALLERY = "gallery";
    /** Reason of a junk image (person -1) found among training images, which training never uses. */
    public static final String JUNK_IN_TRAINING = "junk image (person -1) in the training split";
    /** Reason of a distractor image (person 0) found among training images. */
    public static final String DISTRACTOR_IN_TRAINING = "distractor image (person 0) in the training split";

    public SkippedFile(Path path, String reason) {
        this(path, reason, "");
    }

    @Override
    public String toString() {
        return path + ": " + reason;
    }
}

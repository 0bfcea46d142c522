package org.fedklpr.api.data;

import java.nio.file.Path;
import java.util.List;

/**
 * The images of a plain folder that follows no dataset layout: a gallery to search, a folder to
 * extract features of.
 *
 * @param root the folder
 * @param images every image, sorted by name, a folder's own files before its sub-folders' (the order
 *        a dataset reader lists the same files in)
 * @param labelled the same images with the person and camera their names carry (Market-1501 style
 *        {@code 0002_c1s1_000451_03.jpg} or {@code cam_1_0002_00.png}), or empty when a name does not
 *        carry them: a folder is labelled as a whole or not at all
 * @param skipped files that are not readable images, with the reason
 */
public record ImageFolder(Path root, List<Path> images, List<ReidImage> labelled, List<SkippedFile> skipped) {
    public ImageFolder {
        images = List.copyOf(images);
        labelled = List.copyOf(labelled);
        skipped = List.copyOf(skipped);
    }

    public boolean isLabelled() {
        return !labelled.isEmpty();
    }
}

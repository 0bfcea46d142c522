package org.fedklpr.api.data;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One site's re-ID data: training images, and the query and gallery images its evaluation ranks.
 *
 * @param name short name (the folder name)
 * @param root the folder it was read from
 * @param format the layout it was read as (the provider's name)
 * @param train training images (no junk, no distractors)
 * @param query query images
 * @param gallery gallery images, which may include distractors and junk
 * @param skipped files present but not usable, with the reason
 */
public record ReidDataset(String name, Path root, String format, List<ReidImage> train, List<ReidImage> query,
        List<ReidImage> gallery, List<SkippedFile> skipped) {

    public ReidDataset {
        train = List.copyOf(train);
        query = List.copyOf(query);
        gallery = List.copyOf(gallery);
        skipped = List.copyOf(skipped);
    }

    /** Number of distinct person ids among the training images. */
    public int trainIdentities() {
        Set<Integer> ids = new HashSet<>();
        for (ReidImage image : train) {
            ids.add(image.personId());
        }
        return ids.size();
    }
}

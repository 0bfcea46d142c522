package org.fedklpr.data.formats;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.data.SkippedFile;

/**
 * Collects the images of one split and what was skipped there. Junk ({@code -1}) and distractors
 * ({@code 0}) stay in query and gallery, where the evaluation protocol handles them; in the
 * training split they are skipped, as the official protocol never trains on them.
 */
final class SplitCollector {
    private final String split;
    private final List<SkippedFile> skipped;
    private final List<ReidImage> images = new ArrayList<>();

    SplitCollector(String split, List<SkippedFile> skipped) {
        this.split = split;
        this.skipped = skipped;
    }

    void add(Path file, int personId, int camera) {
        if (split.equals(SkippedFile.TRAIN) && personId == ReidImage.JUNK) {
            skip(file, SkippedFile.JUNK_IN_TRAINING);
        } else if (split.equals(SkippedFile.TRAIN) && personId == ReidImage.DISTRACTOR) {
            skip(file, SkippedFile.DISTRACTOR_IN_TRAINING);
        } else {
            images.add(new ReidImage(file, personId, camera));
        }
    }

    void skip(Path file, String reason) {
        skipped.add(new SkippedFile(file, reason, split));
    }

    /**
     * The images, in the order added.
     *
     * @throws FedklprException when none has a real person id, naming {@code where} and what it holds
     */
    List<ReidImage> images(Object where, String expected) {
        if (images.stream().noneMatch(image -> image.personId() > 0)) {
            long skippedHere = skipped.stream().filter(s -> s.split().equals(split)).count();
            throw new FedklprException("the " + split + " split (" + where + ") has no usable images: expected "
                    + expected + "; " + skippedHere + " file" + (skippedHere == 1 ? " was" : "s were") + " skipped"
                    + (skippedHere > 0 ? ", the first: " + skipped.stream().filter(s -> s.split().equals(split))
                            .findFirst().orElseThrow() : ""));
        }
        return images;
    }
}

package org.fedklpr.data.formats;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.data.SkippedFile;

/**
 * Collects the images of one split and what was skipped there. Junk ({@code -1}) and distractors
 * ({@code 0}) stay in the gallery, where the evaluation protocol handles them; in the training split
 * they are skipped, as the official protocol never trains on them, and in the query split because
 * they can never be matched.
 */
final class SplitCollector {
    static final String JUNK_QUERY = "junk image (person -1) in the query split: it can never be matched";
    static final String DISTRACTOR_QUERY = "distractor image (person 0) in the query split: it can never be matched";
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
        } else if (split.equals(SkippedFile.QUERY) && (personId == ReidImage.JUNK || personId == ReidImage.DISTRACTOR)) {
            // The evaluator treats 0 as a person like any other (as torchreid does); the
            // platform's distractors only ever sit in galleries, where no query matches them.
            skip(file, personId == ReidImage.JUNK ? JUNK_QUERY : DISTRACTOR_QUERY);
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
        if (!images.isEmpty() && images.stream().noneMatch(image -> image.personId() > 0)) {
            long junk = images.stream().filter(ReidImage::isJunk).count();
            throw new FedklprException("the " + split + " split (" + where + ") holds only junk (person -1: " + junk
                    + ") and distractor (person 0: " + (images.size() - junk) + ") images: no query can be matched "
                    + "there; expected " + expected);
        }
        if (images.isEmpty()) {
            long skippedHere = skipped.stream().filter(s -> s.split().equals(split)).count();
            throw new FedklprException("the " + split + " split (" + where + ") has no usable images: expected "
                    + expected + "; " + skippedHere + " file" + (skippedHere == 1 ? " was" : "s were") + " skipped"
                    + (skippedHere > 0 ? ", the first: " + skipped.stream().filter(s -> s.split().equals(split))
                            .findFirst().orElseThrow() : ""));
        }
        return images;
    }
}

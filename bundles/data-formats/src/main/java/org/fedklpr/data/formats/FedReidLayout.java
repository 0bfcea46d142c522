package org.fedklpr.data.formats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.data.ReidDataset;
import org.fedklpr.api.data.SkippedFile;

/**
 * The layout the FedReID benchmark's preparation scripts write (torchvision ImageFolder style):
 * {@code <dataset>/pytorch/{train_all,query,gallery}/<person>/<image>}. The person comes from the
 * folder ({@code -1} junk, {@code 0000} distractor); the camera from the file name, which is a
 * Market-1501 style name or a small set's {@code cam_<c>_<pid>_<idx>}. A name that carries a
 * person too must agree with its folder. {@code train_all} (train + val) is the training split;
 * when only {@code train/} exists it is used.
 */
final class FedReidLayout {
    static final String PYTORCH = "pytorch";
    static final String DESCRIPTION = "fedreid: [pytorch/]train_all/, query/ and gallery/ with one folder per"
            + " person id and names like 0002_c1s1_000451_03.jpg or cam_1_0002_00.png (FedReID benchmark)";
    private static final List<String> TRAIN_FOLDERS = List.of("train_all", "train");

    private FedReidLayout() {
    }

    static boolean recognises(Path root) {
        Path base = base(root);
        return Files.isDirectory(base.resolve("query")) && Files.isDirectory(base.resolve("gallery"));
    }

    /** The folder that holds the splits: {@code root/pytorch} when there is one, else {@code root}. */
    private static Path base(Path root) {
        Path pytorch = root.resolve(PYTORCH);
        return Files.isDirectory(pytorch) ? pytorch : root;
    }

    static ReidDataset read(Path root, String format) {
        if (!Files.isDirectory(root)) {
            throw new FedklprException("dataset folder " + root + " does not exist or is not a folder");
        }
        Path base = base(root);
        Path trainFolder = TRAIN_FOLDERS.stream().map(base::resolve).filter(Files::isDirectory).findFirst()
                .orElseThrow(() -> missing(root, "train_all"));
        List<SkippedFile> skipped = new ArrayList<>();
        SplitCollector train = split(trainFolder, SkippedFile.TRAIN, skipped, root);
        SplitCollector query = split(base.resolve("query"), SkippedFile.QUERY, skipped, root);
        SplitCollector gallery = split(base.resolve("gallery"), SkippedFile.GALLERY, skipped, root);
        String expected = "one folder per person id holding files named like " + ReidFileName.EXAMPLES;
        return new ReidDataset(ImageFiles.folderName(root), root, format, train.images(trainFolder, expected),
                query.images(base.resolve("query"), expected), gallery.images(base.resolve("gallery"), expected),
                skipped);
    }

    private static FedklprException missing(Path root, String folder) {
        return new FedklprException(root + " is not a FedReID dataset: it has no " + folder + "/ folder (expected "
                + PYTORCH + "/train_all/, " + PYTORCH + "/query/ and " + PYTORCH + "/gallery/, one folder per person)");
    }

    private static SplitCollector split(Path folder, String split, List<SkippedFile> skipped, Path root) {
        if (!Files.isDirectory(folder)) {
            throw missing(root, folder.getFileName().toString());
        }
        SplitCollector collector = new SplitCollector(split, skipped);
        for (Path file : ImageFiles.sortedFiles(folder)) {
            collector.skip(file, "file directly in the split folder (expected one folder per person id)");
        }
        for (Path personFolder : ImageFiles.sortedFolders(folder)) {
            Optional<Integer> person = personId(personFolder.getFileName().toString());
            for (Path file : ImageFiles.sortedFiles(personFolder)) {
                Optional<String> problem = ImageFiles.problem(file);
                Optional<ReidFileName> name = ReidFileName.parse(file.getFileName().toString());
                if (person.isEmpty()) {
                    collector.skip(file, "its folder name is not a person id (expected digits or -1)");
                } else if (problem.isPresent()) {
                    collector.skip(file, problem.get());
                } else if (name.isEmpty()) {
                    collector.skip(file, "name has no camera (expected names like " + ReidFileName.EXAMPLES + ")");
                } else if (name.get().personId() != person.get()) {
                    collector.skip(file, "the person id in the name differs from its folder's");
                } else {
                    collector.add(file, person.get(), name.get().camera());
                }
            }
        }
        return collector;
    }

    private static Optional<Integer> personId(String folderName) {
        if (!folderName.matches("-1|\\d{1,9}")) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(folderName));
    }
}

package org.fedklpr.data.formats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.data.ImageFolder;
import org.fedklpr.api.data.ImageFolderReader;
import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.data.SkippedFile;
import org.osgi.service.component.annotations.Component;

/**
 * A plain folder of images, sub-folders included, listed in the order the dataset layouts list the
 * same files (a folder's sorted files, then its sorted sub-folders), names read by {@link ReidFileName}.
 */
@Component
public final class PlainImageFolders implements ImageFolderReader {

    @Override
    public ImageFolder read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new FedklprException("image folder " + folder + " does not exist or is not a folder");
        }
        List<Path> images = new ArrayList<>();
        List<SkippedFile> skipped = new ArrayList<>();
        collect(folder, images, skipped);
        if (images.isEmpty()) {
            throw new FedklprException("image folder " + folder + " holds no image (.jpg, .jpeg, .png or .bmp)"
                    + (skipped.isEmpty() ? "" : "; " + skipped.size() + " files skipped, the first: " + skipped.get(0)));
        }
        List<ReidImage> labelled = new ArrayList<>();
        for (Path image : images) {
            Optional<ReidFileName> name = ReidFileName.parse(image.getFileName().toString());
            if (name.isEmpty()) {
                labelled.clear();
                break;
            }
            labelled.add(new ReidImage(image, name.get().personId(), name.get().camera()));
        }
        return new ImageFolder(folder, images, labelled, skipped);
    }

    private static void collect(Path folder, List<Path> images, List<SkippedFile> skipped) {
        for (Path file : ImageFiles.sortedFiles(folder)) {
            Optional<String> problem = ImageFiles.problem(file);
            if (problem.isPresent()) {
                skipped.add(new SkippedFile(file, problem.get()));
            } else {
                images.add(file);
            }
        }
        for (Path subfolder : ImageFiles.sortedFolders(folder)) {
            collect(subfolder, images, skipped);
        }
    }
}

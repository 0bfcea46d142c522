package org.fedklpr.shell.site;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.data.ImageFolder;
import org.fedklpr.api.data.ReidImage;
import org.fedklpr.files.FeatureCsv;

/**
 * A gallery's features for {@code fedklpr search}, computed once per model and gallery and kept in
 * the cache folder as a features CSV. The key is a digest of the model file's bytes and of every
 * gallery image's path, size and modification time, so that another model, or an image added,
 * removed or changed, computes the features again.
 */
final class GalleryIndex {
    /** Where the features came from, for the console. */
    enum Source { CACHE, COMPUTED }

    record Features(List<Path> images, float[][] features, Source source, Path cacheFile) {
    }

    private GalleryIndex() {
    }

    static Features of(ImageFolder gallery, Path modelFile, Path cacheFolder, ModelFeatures model) {
        Path cacheFile = cacheFolder.resolve(key(gallery, modelFile) + ".csv");
        if (Files.isRegularFile(cacheFile)) {
            FeatureCsv.PathFeatures cached = FeatureCsv.readByPath(cacheFile);
            return new Features(cached.paths().stream().map(Path::of).toList(), cached.features(), Source.CACHE,
                    cacheFile);
        }
        ModelFeatures.Embedded embedded = model.embed(gallery);
        List<Path> images = embedded.images().stream().map(ReidImage::path).toList();
        try {
            Files.createDirectories(cacheFolder);
            Path partial = Files.createTempFile(cacheFolder, "gallery", ".partial");
            FeatureCsv.writeByPath(partial, images.stream().map(Path::toString).toList(), embedded.features());
            Files.move(partial, cacheFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new FedklprException("cannot keep the gallery's features in " + cacheFolder + ": " + e.getMessage(),
                    e);
        }
        return new Features(images, embedded.features(), Source.COMPUTED, cacheFile);
    }

    static String key(ImageFolder gallery, Path modelFile) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(modelFile), digest)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            List<String> listing = new ArrayList<>();
            for (Path image : gallery.images()) {
                Path absolute = image.toAbsolutePath().normalize();
                listing.add(absolute + "\t" + Files.size(image) + "\t" + Files.getLastModifiedTime(image).toMillis());
            }
            digest.update(String.join("\n", listing).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
        } catch (IOException e) {
            throw new FedklprException("cannot read " + modelFile + " or the gallery " + gallery.root() + ": "
                    + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

package org.fedklpr.shell.site;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.fedklpr.api.Names;
import org.fedklpr.api.command.PlatformCommand;
import org.fedklpr.api.data.ImageFolder;
import org.fedklpr.api.data.ImageFolderReader;
import org.fedklpr.api.engine.LearningEngine;
import org.fedklpr.files.ExportedModel;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code fedklpr search --model model.npz --gallery DIR --query IMAGE [--top 10]}: the deployment use
 * of a re-ID model, the gallery ranked by distance to one query image. The gallery's features are
 * computed once per model and gallery and then read from the cache ({@link GalleryIndex}).
 * Operands: the model, the gallery folder, the query image, how many to print.
 */
@Component(property = Names.SERVICE_NAME + "=search")
public final class SearchCommand implements PlatformCommand {
    @Reference(target = ExtractCommand.ENGINE_FILTER)
    private LearningEngine engine;

    @Reference
    private ImageFolderReader folders;

    /** One gallery image and its distance to the query. */
    record Match(Path image, double distance) {
    }

    @Override
    public int run(List<String> arguments) {
        Path modelFile = Path.of(arguments.get(0));
        Path galleryFolder = Path.of(arguments.get(1));
        Path query = Path.of(arguments.get(2));
        int top = Integer.parseInt(arguments.get(3));
        ExportedModel model = ExportedModel.read(modelFile);
        ImageFolder gallery = folders.read(galleryFolder);
        long started = System.nanoTime();
        try (ModelFeatures features = new ModelFeatures(engine, model, modelFile)) {
            float[] queryFeatures = features.embed(query);
            GalleryIndex.Features index = GalleryIndex.of(gallery, modelFile, cacheFolder(), features);
            List<Match> ranked = rank(queryFeatures, index.images(), index.features());
            System.out.printf(Locale.ROOT, "query %s; gallery %s: %d images, features %s (%s); %.2f s%n", query,
                    galleryFolder, index.images().size(), index.source() == GalleryIndex.Source.CACHE
                            ? "read from the cache" : "computed and cached", index.cacheFile(),
                    (System.nanoTime() - started) / 1e9);
            System.out.println("rank  distance  image");
            for (int i = 0; i < Math.min(top, ranked.size()); i++) {
                System.out.printf(Locale.ROOT, "%4d  %8.4f  %s%n", i + 1, ranked.get(i).distance(),
                        ranked.get(i).image());
            }
        }
        return 0;
    }

    /**
     * The gallery by Euclidean distance between L2-normalised embeddings, nearest first; equal
     * distances keep the gallery's order.
     */
    static List<Match> rank(float[] query, List<Path> images, float[][] gallery) {
        Match[] matches = new Match[images.size()];
        for (int i = 0; i < matches.length; i++) {
            double dot = 0;
            for (int d = 0; d < query.length; d++) {
                dot += (double) query[d] * gallery[i][d];
            }
            matches[i] = new Match(images.get(i), Math.sqrt(Math.max(0, 2 - 2 * dot)));
        }
        Arrays.sort(matches, Comparator.comparingDouble(Match::distance));
        return List.of(matches);
    }

    private static Path cacheFolder() {
        String cache = System.getProperty("fedklpr.cache");
        Path root = cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "fedklpr");
        return root.resolve("gallery-features");
    }
}

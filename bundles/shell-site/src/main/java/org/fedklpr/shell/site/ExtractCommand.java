package org.fedklpr.shell.site;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.fedklpr.api.Names;
import org.fedklpr.api.command.PlatformCommand;
import org.fedklpr.api.data.ImageFolder;
import org.fedklpr.api.data.ImageFolderReader;
import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.engine.LearningEngine;
import org.fedklpr.api.eval.FeatureSet;
import org.fedklpr.files.ExportedModel;
import org.fedklpr.files.FeatureCsv;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code fedklpr extract --model model.npz --images DIR --out features.csv}: one row per image that
 * decodes, {@code pid,camid,f1,...,fd} when every name in the folder carries them (so that
 * {@code fedklpr evaluate} scores the file), else {@code path,f1,...,fd} with the path relative to DIR.
 * Operands: the model, the folder, the CSV.
 */
@Component(property = Names.SERVICE_NAME + "=extract")
public final class ExtractCommand implements PlatformCommand {
    /** The engine the exported models were trained with: the platform's one. */
    static final String ENGINE_FILTER = "(" + Names.SERVICE_NAME + "=djl)";

    @Reference(target = ENGINE_FILTER)
    private LearningEngine engine;

    @Reference
    private ImageFolderReader folders;

    @Override
    public int run(List<String> arguments) {
        Path modelFile = Path.of(arguments.get(0));
        Path imagesFolder = Path.of(arguments.get(1));
        Path out = Path.of(arguments.get(2));
        ExportedModel model = ExportedModel.read(modelFile);
        ImageFolder folder = folders.read(imagesFolder);
        long started = System.nanoTime();
        ModelFeatures.Embedded embedded;
        try (ModelFeatures features = new ModelFeatures(engine, model, modelFile)) {
            embedded = features.embed(folder);
        }
        if (folder.isLabelled()) {
            FeatureCsv.writeLabelled(out, new FeatureSet(embedded.features(),
                    embedded.images().stream().mapToInt(ReidImage::personId).toArray(),
                    embedded.images().stream().mapToInt(ReidImage::camera).toArray()));
        } else {
            FeatureCsv.writeByPath(out, embedded.images().stream()
                    .map(image -> imagesFolder.relativize(image.path()).toString()).toList(), embedded.features());
        }
        System.out.printf(Locale.ROOT, "extracted %d images of %s (%s rows, %d-d%s) to %s in %.1f s%s%n",
                embedded.images().size(), imagesFolder, folder.isLabelled() ? "pid,camid" : "path",
                model.manifest().embeddingDim(), model.manifest().flipFusion() ? ", flip fusion" : "", out,
                (System.nanoTime() - started) / 1e9, embedded.skipped().isEmpty() ? ""
                        : "; skipped " + embedded.skipped().size() + ", the first: " + embedded.skipped().get(0));
        return 0;
    }
}

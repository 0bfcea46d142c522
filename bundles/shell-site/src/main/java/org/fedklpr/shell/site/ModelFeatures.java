package org.fedklpr.shell.site;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.data.ImageFolder;
import org.fedklpr.api.data.ReidImage;
import org.fedklpr.api.data.SkippedFile;
import org.fedklpr.api.engine.ImageSet;
import org.fedklpr.api.engine.LearningEngine;
import org.fedklpr.api.engine.ReidNetwork;
import org.fedklpr.api.federation.NetworkSpec;
import org.fedklpr.api.model.TensorScope;
import org.fedklpr.files.ExportedModel;

/**
 * An exported model loaded into the learning engine, embedding images exactly as the run's sites
 * scored them: the same network, input size, decoding, batches and flip fusion, so that features
 * extracted here reproduce the run's metrics.
 */
final class ModelFeatures implements AutoCloseable {
    /** The identity head is not exported; retrieval never uses it, so the network gets the smallest. */
    private static final int NO_HEAD = 1;

    private final LearningEngine engine;
    private final ExportedModel.Manifest manifest;
    private final ReidNetwork network;

    /** Images that were embedded, their features (one row each, L2-normalised) and what was skipped. */
    record Embedded(List<ReidImage> images, float[][] features, List<SkippedFile> skipped) {
    }

    ModelFeatures(LearningEngine engine, ExportedModel model, Path file) {
        this.engine = engine;
        this.manifest = model.manifest();
        if (!engine.architectures().contains(manifest.architecture())) {
            throw new FedklprException(file + " is a " + manifest.architecture() + " model; this engine builds "
                    + engine.architectures());
        }
        network = engine.create(new NetworkSpec(manifest.architecture(), manifest.inputHeight(),
                manifest.inputWidth(), manifest.embeddingDim(), NO_HEAD, 0));
        try {
            Set<String> missing = new TreeSet<>(network.read(TensorScope.BACKBONE).names());
            missing.removeAll(model.weights().names());
            if (!missing.isEmpty()) {
                throw new FedklprException(file + " lacks " + missing.size() + " tensors of a " + manifest.architecture()
                        + " network with a " + manifest.embeddingDim() + "-d embedding, the first: " + missing.iterator()
                        .next());
            }
            network.write(model.weights());
        } catch (IllegalArgumentException e) {
            network.close();
            throw new FedklprException(file + " does not fit a " + manifest.architecture() + " network with a "
                    + manifest.embeddingDim() + "-d embedding: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** Every image of {@code folder} that decodes, in the folder's order. */
    Embedded embed(ImageFolder folder) {
        List<ReidImage> images = folder.isLabelled() ? folder.labelled()
                : folder.images().stream().map(path -> new ReidImage(path, ReidImage.JUNK, 0)).toList();
        Embedded embedded = embed(images, folder.root());
        List<SkippedFile> skipped = new ArrayList<>(folder.skipped());
        skipped.addAll(embedded.skipped());
        return new Embedded(embedded.images(), embedded.features(), skipped);
    }

    /** Every one of {@code images} that decodes, in their order; {@code where} names them in messages. */
    Embedded embed(List<ReidImage> images, Object where) {
        ImageSet decoded = engine.decode(images, manifest.inputHeight(), manifest.inputWidth());
        if (decoded.size() == 0) {
            throw new FedklprException("no image of " + where + " can be decoded (" + decoded.skipped().size()
                    + " skipped, the first: " + decoded.skipped().get(0) + ")");
        }
        float[][] features = manifest.flipFusion() ? network.embedWithFlip(decoded) : network.embed(decoded);
        return new Embedded(decoded.images(), features, decoded.skipped());
    }

    /** One image's features. */
    float[] embed(Path image) {
        ImageSet decoded = engine.decode(List.of(new ReidImage(image, ReidImage.JUNK, 0)), manifest.inputHeight(),
                manifest.inputWidth());
        if (decoded.size() == 0) {
            throw new FedklprException("query image " + image + " cannot be decoded: " + decoded.skipped().get(0)
                    .reason());
        }
        return (manifest.flipFusion() ? network.embedWithFlip(decoded) : network.embed(decoded))[0];
    }

    @Override
    public void close() {
        network.close();
    }
}

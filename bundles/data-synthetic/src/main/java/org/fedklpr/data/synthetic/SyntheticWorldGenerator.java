package org.fedklpr.data.synthetic;

import java.nio.file.Path;
import java.util.List;

import org.fedklpr.api.Names;
import org.fedklpr.api.data.DatasetGenerator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The synthetic re-ID world as a {@link DatasetGenerator} ({@code fedklpr.name=synthetic}),
 * configured under the PID {@value #PID}.
 */
@Component(configurationPid = SyntheticWorldGenerator.PID,
        property = Names.SERVICE_NAME + "=" + SyntheticWorldGenerator.NAME)
@Designate(ocd = SyntheticWorldGenerator.Config.class)
public final class SyntheticWorldGenerator implements DatasetGenerator {
    static final String NAME = "synthetic";
    static final String PID = "org.fedklpr.data.synthetic";

    @ObjectClassDefinition(name = "FedKLPR synthetic re-ID world",
            description = "Sizes of the generated federation; per-client lists are cycled over the clients")
    @interface Config {
        @AttributeDefinition(description = "Number of clients (sites)", min = "1")
        int clients() default 4;

        @AttributeDefinition(description = "Training identities per client", min = "1")
        int[] trainIdentities() default {64, 48, 32, 24};

        @AttributeDefinition(description = "Test identities (query and gallery) per client", min = "1")
        int[] testIdentities() default {24, 16, 12, 12};

        @AttributeDefinition(description = "Cameras per client (at least 2)", min = "2")
        int[] cameras() default {4, 3, 2, 2};

        @AttributeDefinition(description = "Training images of a person per camera that sees them, per client",
                min = "1")
        int[] trainImagesPerCamera() default {3};

        @AttributeDefinition(description = "Gallery images of a test person per camera (plus one query image)",
                min = "1")
        int galleryImagesPerCamera() default 2;

        @AttributeDefinition(description = "Distractor gallery images (id 0000) per client", min = "0")
        int distractors() default 12;

        @AttributeDefinition(description = "Junk gallery images (id -1) per client", min = "0")
        int junk() default 4;

        @AttributeDefinition(description = "Image width in pixels (Market-1501 crops are 64)", min = "4")
        int width() default 64;

        @AttributeDefinition(description = "Image height in pixels (Market-1501 crops are 128)", min = "8")
        int height() default 128;
    }

    private final WorldSpec spec;

    @Activate
    public SyntheticWorldGenerator(Config config) {
        this(new WorldSpec(config.clients(), config.trainIdentities(), config.testIdentities(), config.cameras(),
                config.trainImagesPerCamera(), config.galleryImagesPerCamera(), config.distractors(), config.junk(),
                config.width(), config.height()));
    }

    SyntheticWorldGenerator(WorldSpec spec) {
        this.spec = spec;
    }

    @Override
    public List<Path> generate(Path root, long seed) {
        return new WorldWriter(spec, seed).write(root);
    }

    @Override
    public String format() {
        return "market1501";
    }
}

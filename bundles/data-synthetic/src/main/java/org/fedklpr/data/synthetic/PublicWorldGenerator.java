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
 * A public synthetic re-ID dataset ({@code fedklpr.name=synthetic-public}), configured under the
 * PID {@value #PID}: one large site of many identities and cameras, the stand-in for the public
 * datasets a federation pretrains its backbone on. Written with its own seed, its people are not any
 * client's: every person's looks derive from the seed of the world they belong to.
 */
@Component(configurationPid = PublicWorldGenerator.PID,
        property = Names.SERVICE_NAME + "=" + PublicWorldGenerator.NAME)
@Designate(ocd = PublicWorldGenerator.Config.class)
public final class PublicWorldGenerator implements DatasetGenerator {
    static final String NAME = "synthetic-public";
    static final String PID = "org.fedklpr.data.synthetic.public";

    @ObjectClassDefinition(name = "FedKLPR public synthetic dataset",
            description = "Sizes of the public dataset that fedklpr pretrain trains a backbone on")
    @interface Config {
        @AttributeDefinition(description = "Training identities", min = "2")
        int trainIdentities() default 1500;

        @AttributeDefinition(description = "Test identities (query and gallery), for the progress line's Rank-1",
                min = "1")
        int testIdentities() default 100;

        @AttributeDefinition(description = "Cameras (at least 2)", min = "2")
        int cameras() default 8;

        @AttributeDefinition(description = "Training images of a person per camera that sees them", min = "1")
        int trainImagesPerCamera() default 2;

        @AttributeDefinition(description = "Image width in pixels", min = "16")
        int width() default 64;

        @AttributeDefinition(description = "Image height in pixels", min = "32")
        int height() default 128;
    }

    private final WorldSpec spec;

    @Activate
    public PublicWorldGenerator(Config config) {
        spec = new WorldSpec(1, new int[] {config.trainIdentities()}, new int[] {config.testIdentities()},
                new int[] {config.cameras()}, new int[] {config.trainImagesPerCamera()}, 1, 0, 0, config.width(),
                config.height());
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

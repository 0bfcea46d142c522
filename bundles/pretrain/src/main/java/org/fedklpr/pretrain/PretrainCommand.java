package org.fedklpr.pretrain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.Names;
import org.fedklpr.api.command.PlatformCommand;
import org.fedklpr.api.engine.BackbonePretraining;
import org.fedklpr.api.federation.NetworkSpec;
import org.fedklpr.api.settings.Settings;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code fedklpr pretrain FEATURE [--out FILE]}: makes (or finds in the cache) the backbone that
 * {@code pretrainedWeights=public} gives the feature's network, printing a line per epoch, and
 * copies it to {@code FILE} when asked, e.g. to hand it to the sites of a federation.
 */
@Component(property = Names.SERVICE_NAME + "=pretrain")
public final class PretrainCommand implements PlatformCommand {
    private static final String COORDINATOR = "org.fedklpr.coordinator";

    @Reference
    private BackbonePretraining pretraining;

    @Reference
    private Settings settings;

    @Override
    public int run(List<String> arguments) {
        Map<String, Object> network = settings.inEffect().get(COORDINATOR);
        if (network == null) {
            throw new FedklprException("fedklpr pretrain: this runtime has no " + COORDINATOR + " settings to take "
                    + "the network from (architecture, inputHeight, inputWidth, embeddingDim); run it with an "
                    + "experiment's feature, e.g. features/benchmark-synth8.json");
        }
        NetworkSpec spec = new NetworkSpec((String) network.get("architecture"),
                ((Number) network.get("inputHeight")).intValue(), ((Number) network.get("inputWidth")).intValue(),
                ((Number) network.get("embeddingDim")).intValue(), 1, 0);
        Path file = pretraining.backboneFor(spec, System.out::println);
        System.out.println("pretrained backbone: " + file.toAbsolutePath()
                + " (pretrainedWeights=public uses it for this network)");
        if (!arguments.isEmpty() && !arguments.get(0).isBlank()) {
            Path copy = Path.of(arguments.get(0));
            try {
                if (copy.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(copy.toAbsolutePath().getParent());
                }
                Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new FedklprException("cannot copy the pretrained backbone to " + copy + ": " + e.getMessage(),
                        e);
            }
            System.out.println("copied to " + copy.toAbsolutePath());
        }
        return 0;
    }
}

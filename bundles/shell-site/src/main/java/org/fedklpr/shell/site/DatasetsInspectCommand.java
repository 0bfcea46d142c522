package org.fedklpr.shell.site;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.fedklpr.api.Names;
import org.fedklpr.api.command.PlatformCommand;
import org.fedklpr.api.data.DatasetProvider;
import org.fedklpr.api.engine.LearningEngine;
import org.fedklpr.named.NamedServices;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** {@code fedklpr datasets inspect FOLDER}: see {@link DatasetInspection}. */
@Component(property = Names.SERVICE_NAME + "=datasets-inspect")
public final class DatasetsInspectCommand implements PlatformCommand {
    /** The format that detects the others (data-formats bundle). */
    private static final String AUTO_FORMAT = "auto";
    private static final String ENGINE = "djl";

    private final NamedServices<DatasetProvider> providers = new NamedServices<>("dataset format");
    private final NamedServices<LearningEngine> engines = new NamedServices<>("learning engine");

    @Override
    public int run(List<String> arguments) {
        System.out.println(DatasetInspection.run(providers.await(AUTO_FORMAT), engines.await(ENGINE),
                Path.of(arguments.get(0))));
        return 0;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProvider(DatasetProvider service, Map<String, Object> properties) {
        providers.add(service, properties);
    }

    void removeProvider(DatasetProvider service, Map<String, Object> properties) {
        providers.remove(service, properties);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addEngine(LearningEngine service, Map<String, Object> properties) {
        engines.add(service, properties);
    }

    void removeEngine(LearningEngine service, Map<String, Object> properties) {
        engines.remove(service, properties);
    }
}

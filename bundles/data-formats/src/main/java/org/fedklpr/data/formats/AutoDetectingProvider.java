package org.fedklpr.data.formats;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.Names;
import org.fedklpr.api.data.DatasetProvider;
import org.fedklpr.api.data.ReidDataset;
import org.fedklpr.named.NamedServices;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The format {@code auto}: reads each folder with the first installed layout (in name order) that
 * recognises it, so that one federation can mix layouts — the 8-dataset benchmark, one client per
 * dataset, with MSMT17 beside Market-style and FedReID folders. Layouts from other bundles take
 * part as soon as they are installed.
 */
@Component(property = Names.SERVICE_NAME + "=" + AutoDetectingProvider.NAME)
public final class AutoDetectingProvider implements DatasetProvider {
    static final String NAME = "auto";

    private final NamedServices<DatasetProvider> layouts = new NamedServices<>("dataset format");

    @Override
    public ReidDataset load(Path root) {
        if (!Files.isDirectory(root)) {
            throw new FedklprException("dataset folder " + root + " does not exist or is not a folder");
        }
        StringBuilder known = new StringBuilder();
        for (String name : layouts.names()) {
            DatasetProvider layout = layouts.get(name);
            if (layout.recognises(root)) {
                return layout.load(root);
            }
            known.append("\n  - ").append(layout.describe());
        }
        throw new FedklprException("cannot tell the layout of " + root + "; the layouts known here are:" + known);
    }

    @Override
    public boolean recognises(Path root) {
        return layouts.names().stream().anyMatch(name -> layouts.get(name).recognises(root));
    }

    @Override
    public String describe() {
        return NAME + ": whichever installed layout recognises the folder";
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(!(" + Names.SERVICE_NAME + "=" + NAME + "))")
    void addLayout(DatasetProvider layout, Map<String, Object> properties) {
        layouts.add(layout, properties);
    }

    void removeLayout(DatasetProvider layout, Map<String, Object> properties) {
        layouts.remove(layout, properties);
    }
}

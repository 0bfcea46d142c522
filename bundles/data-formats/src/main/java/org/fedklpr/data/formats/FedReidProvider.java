package org.fedklpr.data.formats;

import java.nio.file.Path;

import org.fedklpr.api.Names;
import org.fedklpr.api.data.DatasetProvider;
import org.fedklpr.api.data.ReidDataset;
import org.osgi.service.component.annotations.Component;

/** The FedReID benchmark's {@code pytorch/} folders ({@code fedklpr.name=fedreid}). */
@Component(property = Names.SERVICE_NAME + "=" + FedReidProvider.NAME)
public final class FedReidProvider implements DatasetProvider {
    static final String NAME = "fedreid";

    @Override
    public ReidDataset load(Path root) {
        return FedReidLayout.read(root, NAME);
    }

    @Override
    public boolean recognises(Path root) {
        return FedReidLayout.recognises(root);
    }

    @Override
    public String describe() {
        return FedReidLayout.DESCRIPTION;
    }
}

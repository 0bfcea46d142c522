package org.fedklpr.data.market1501;

import java.nio.file.Path;

import org.fedklpr.api.Names;
import org.fedklpr.api.data.DatasetProvider;
import org.fedklpr.api.data.ReidDataset;
import org.osgi.service.component.annotations.Component;

/** The Market-1501 layout as a {@link DatasetProvider} ({@code fedklpr.name=market1501}). */
@Component(property = Names.SERVICE_NAME + "=" + Market1501Provider.NAME)
public final class Market1501Provider implements DatasetProvider {
    static final String NAME = "market1501";

    @Override
    public ReidDataset load(Path root) {
        return MarketLayout.read(root, NAME);
    }
}

package org.fedklpr.data.formats;

import java.nio.file.Path;

import org.fedklpr.api.Names;
import org.fedklpr.api.data.DatasetProvider;
import org.fedklpr.api.data.ReidDataset;
import org.osgi.service.component.annotations.Component;

/**
 * The Market-1501 layout ({@code fedklpr.name=market1501}), also the format of DukeMTMC-reID and
 * CUHK03-NP.
 */
@Component(property = Names.SERVICE_NAME + "=" + Market1501Provider.NAME)
public final class Market1501Provider implements DatasetProvider {
    static final String NAME = "market1501";

    @Override
    public ReidDataset load(Path root) {
        return MarketLayout.read(root, NAME);
    }

    @Override
    public boolean recognises(Path root) {
        return MarketLayout.recognises(root);
    }

    @Override
    public String describe() {
        return MarketLayout.DESCRIPTION;
    }
}

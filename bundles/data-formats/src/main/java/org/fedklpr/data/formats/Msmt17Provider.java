package org.fedklpr.data.formats;

import java.nio.file.Path;

import org.fedklpr.api.Names;
import org.fedklpr.api.data.DatasetProvider;
import org.fedklpr.api.data.ReidDataset;
import org.osgi.service.component.annotations.Component;

/** MSMT17 with its list files ({@code fedklpr.name=msmt17}). */
@Component(property = Names.SERVICE_NAME + "=" + Msmt17Provider.NAME)
public final class Msmt17Provider implements DatasetProvider {
    static final String NAME = "msmt17";

    @Override
    public ReidDataset load(Path root) {
        return Msmt17Layout.read(root, NAME);
    }

    @Override
    public boolean recognises(Path root) {
        return Msmt17Layout.recognises(root);
    }

    @Override
    public String describe() {
        return Msmt17Layout.DESCRIPTION;
    }
}

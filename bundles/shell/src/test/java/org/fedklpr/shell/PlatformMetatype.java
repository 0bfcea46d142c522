package org.fedklpr.shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.List;

import org.fedklpr.api.settings.Settings;
import org.fedklpr.settings.MetatypeSettings;

/** The real settings of the bundles on the test class path, read from their metatype documents. */
final class PlatformMetatype {
    private PlatformMetatype() {
    }

    static Settings settings() {
        try {
            List<URL> documents = Collections.list(PlatformMetatype.class.getClassLoader().getResources(
                    "OSGI-INF/metatype/org.fedklpr.coordinator.Coordinator$Config.xml"));
            documents.addAll(Collections.list(PlatformMetatype.class.getClassLoader().getResources(
                    "OSGI-INF/metatype/org.fedklpr.data.synthetic.SyntheticWorldGenerator$Config.xml")));
            if (documents.size() != 2) {
                throw new IllegalStateException("expected the coordinator's and the synthetic world's metatype on the"
                        + " test class path, found " + documents);
            }
            return MetatypeSettings.declaredBy("test class path", documents);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.fedklpr.coordinator;

import java.nio.file.Path;

import org.fedklpr.api.Names;
import org.fedklpr.api.transport.WireCodec;
import org.fedklpr.files.ExportedModel;
import org.fedklpr.files.RunFolders;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Run folders as the coordinator writes them, for the tools that look at a finished run ({@code visrank}). */
@Component
public final class RunFolderReader implements RunFolders {
    /** The codec the checkpoints are written with. */
    @Reference(target = "(" + Names.SERVICE_NAME + "=" + Coordinator.CHECKPOINT_CODEC + ")")
    private WireCodec checkpointCodec;

    @Override
    public ExportedModel model(Path run) {
        return ModelExport.of(run, checkpointCodec);
    }

    @Override
    public SiteData siteData(Path run, String site) {
        return ModelExport.siteData(run, site);
    }
}

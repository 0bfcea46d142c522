package org.fedklpr.coordinator;

import java.nio.file.Path;
import java.util.List;

import org.fedklpr.api.Names;
import org.fedklpr.api.command.PlatformCommand;
import org.fedklpr.files.ExportedModel;
import org.fedklpr.files.RunFolders;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code fedklpr export RUN --out model.npz}: see {@link ModelExport}. Operands: the run folder, the file. */
@Component(property = Names.SERVICE_NAME + "=export")
public final class ExportCommand implements PlatformCommand {
    @Reference
    private RunFolders runs;

    @Override
    public int run(List<String> arguments) {
        Path out = Path.of(arguments.get(1));
        ExportedModel model = runs.model(Path.of(arguments.get(0)));
        model.write(out);
        System.out.println(ModelExport.describe(model, out));
        return 0;
    }
}

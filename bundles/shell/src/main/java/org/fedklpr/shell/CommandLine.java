package org.fedklpr.shell;

import java.nio.file.Path;
import java.util.function.Function;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.experiment.ExperimentRunner;
import org.fedklpr.api.experiment.ExperimentSummary;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The entry point the launcher calls once the runtime is up. It is registered as a JDK
 * {@link Function} (with {@value #MAIN_PROPERTY}) so that the launcher, outside the framework,
 * shares no class with it but the JDK's. Arguments: {@code experiment <run directory>}. Returns the
 * process exit code: 0 done, 2 a user-fixable error (printed as one line), 1 anything else.
 */
@Component(service = Function.class, property = CommandLine.MAIN_PROPERTY + "=true")
public final class CommandLine implements Function<String[], Integer> {
    static final String MAIN_PROPERTY = "fedklpr.main";

    private final ExperimentRunner runner;

    @Activate
    public CommandLine(@Reference ExperimentRunner runner) {
        this.runner = runner;
    }

    @Override
    public Integer apply(String[] arguments) {
        if (arguments.length != 2 || !"experiment".equals(arguments[0])) {
            System.err.println("fedklpr: the runtime expects 'experiment <run directory>'");
            return 2;
        }
        try {
            ExperimentSummary summary = runner.run(Path.of(arguments[1]));
            System.out.print(RoundTable.summary(summary));
            return 0;
        } catch (FedklprException e) {
            System.err.println("fedklpr: error: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            System.err.println("fedklpr: internal error: " + e);
            e.printStackTrace();
            return 1;
        }
    }
}

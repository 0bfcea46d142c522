package org.fedklpr.shell;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.aggregation.Aggregator;
import org.fedklpr.api.experiment.ExperimentRunner;
import org.fedklpr.api.settings.Setting;
import org.fedklpr.api.settings.Settings;
import org.fedklpr.named.NamedServices;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Gogo commands in the {@code fedklpr} scope. Swapping goes through Config Admin, exactly as an
 * edit of the coordinator's configuration would, so there is one path for both.
 */
@Component(service = GogoCommands.class, property = {"osgi.command.scope=fedklpr",
    "osgi.command.function=run", "osgi.command.function=status", "osgi.command.function=aggregator",
    "osgi.command.function=aggregators", "osgi.command.function=set"})
public final class GogoCommands {
    static final String COORDINATOR_PID = "org.fedklpr.coordinator";

    private final ExperimentRunner runner;
    private final ConfigurationAdmin configurationAdmin;
    private final Settings settings;
    private final BundleContext context;
    private final NamedServices<Aggregator> aggregators = new NamedServices<>("aggregator");

    @Activate
    public GogoCommands(@Reference ExperimentRunner runner, @Reference ConfigurationAdmin configurationAdmin,
            @Reference Settings settings, BundleContext context) {
        this.runner = runner;
        this.configurationAdmin = configurationAdmin;
        this.settings = settings;
        this.context = context;
    }

    /** Starts the configured experiment in the background, writing to {@code runDirectory}. */
    public String run(String runDirectory) {
        Thread thread = new Thread(() -> {
            try {
                System.out.print(RoundTable.summary(runner.run(Path.of(runDirectory))));
            } catch (RuntimeException e) {
                System.err.println("fedklpr: experiment failed: " + e.getMessage());
            }
        }, "fedklpr-experiment");
        thread.start();
        return "experiment started, writing to " + runDirectory;
    }

    public String status() {
        return runner.currentRound()
                .map(plan -> "round " + plan.round() + " with " + plan.aggregator() + " on " + plan.clients())
                .orElse("no experiment is running");
    }

    public String aggregators() {
        return "available: " + String.join(", ", aggregators.names()) + "; configured: " + configured("aggregator");
    }

    /** Selects the aggregator of the next round (and of later experiments). */
    public String aggregator(String name) {
        return set("aggregator", name);
    }

    /**
     * Sets one coordinator setting, e.g. {@code objectives identity-ce,kll} or {@code pruner magnitude};
     * the algorithm choices take effect at the next round, the rest at the next experiment. The value
     * is checked as a --set would be (key, type, range), then every name it makes the experiment use;
     * on a problem nothing changes.
     */
    public String set(String key, String value) {
        Object typed;
        try {
            typed = settings.check(List.of(Setting.text("fedklpr:set", COORDINATOR_PID, key, value)))
                    .get(COORDINATOR_PID).get(key);
        } catch (FedklprException e) {
            return "not set: " + e.getMessage();
        }
        ConfigurationSwitch change = new ConfigurationSwitch(configurationAdmin, context);
        change.apply(COORDINATOR_PID, Map.of(key, typed));
        try {
            runner.check();
        } catch (FedklprException e) {
            change.restore();
            return "not set: " + e.getMessage();
        }
        return key + " set to " + value + "; " + (List.of("aggregator", "objectives", "pruner", "pruningController")
                .contains(key) ? "it takes effect at the next round" : "it takes effect at the next experiment");
    }

    private Object configured(String key) {
        try {
            Dictionary<String, Object> properties = configurationAdmin.getConfiguration(COORDINATOR_PID, "?")
                    .getProperties();
            return properties == null || properties.get(key) == null ? "(default)" : properties.get(key);
        } catch (IOException e) {
            throw new FedklprException("cannot read configuration " + COORDINATOR_PID + ": " + e.getMessage(), e);
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addAggregator(Aggregator service, Map<String, Object> properties) {
        aggregators.add(service, properties);
    }

    void removeAggregator(Aggregator service, Map<String, Object> properties) {
        aggregators.remove(service, properties);
    }
}

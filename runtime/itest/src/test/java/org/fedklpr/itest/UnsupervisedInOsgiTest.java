package org.fedklpr.itest;

import static org.fedklpr.itest.OsgiRuntime.COORDINATOR;
import static org.fedklpr.itest.OsgiRuntime.SEED;
import static org.fedklpr.itest.OsgiRuntime.WORLD;
import static org.fedklpr.itest.OsgiRuntime.coordinatorSettings;
import static org.fedklpr.itest.OsgiRuntime.metrics;
import static org.fedklpr.itest.OsgiRuntime.tinyWorld;
import static org.fedklpr.itest.OsgiRuntime.with;
import static org.fedklpr.itest.OsgiRuntime.withoutTimes;
import static org.fedklpr.itest.OsgiRuntime.work;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.fedklpr.api.data.DatasetGenerator;
import org.fedklpr.api.experiment.ExperimentRunner;
import org.fedklpr.api.experiment.RoundListener;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

import com.google.gson.JsonObject;

/**
 * The bundles of features/demo-unsupervised.json in Felix: sites without identity labels train on
 * pseudo-identities; FedCAPR is swapped for FedKLPR between rounds; and the identity labels of the
 * training images are shown never to matter.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class UnsupervisedInOsgiTest {
    private static final String CRR = "org.fedklpr.prune.crr";
    private static final Pattern MARKET_NAME = Pattern.compile("(\\d{4})(_c\\d+s\\d+_\\d+_\\d+\\.jpg)");

    @Inject
    private BundleContext context;

    @Inject
    private ExperimentRunner runner;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private OsgiRuntime osgi;

    @Configuration
    public Option[] configuration() {
        return FeatureOptions.of("features/demo-unsupervised.json");
    }

    @Before
    public void connect() {
        osgi = new OsgiRuntime(context, configurationAdmin);
    }

    /** FedCAPR as features/demo-unsupervised.json has it, on a tiny world, with {@code rounds} rounds. */
    private static Map<String, Object> fedCapr(Path data, int rounds) {
        Map<String, Object> settings = coordinatorSettings(data, rounds);
        settings.put("pseudoLabels", "dbscan");
        settings.put("objectives", new String[] {"capr", "cosine-reg"});
        settings.put("aggregator", "cdw");
        settings.put("optimizer", "adam");
        settings.put("learningRate", 3.5e-4);
        settings.put("instancesPerIdentity", 4);
        return settings;
    }

    @Test
    public void fedCaprIsSwappedForFedKlprBetweenUnsupervisedRounds() throws Exception {
        Path work = work("unsupervised-swap");
        osgi.configure(WORLD, tinyWorld(2, new int[] {8, 6}, new int[] {4}));
        osgi.configure(CRR, Map.of("warmupRounds", 0, "initialRatio", 0.3, "targetRatio", 0.6));
        Map<String, Object> fedCapr = fedCapr(work.resolve("data"), 2);
        osgi.configure(COORDINATOR, fedCapr);
        Map<String, Object> fedKlpr = with(with(with(fedCapr, "objectives", new String[] {"capr", "kll"}),
                "aggregator", "klpwa"), "pruner", "magnitude");
        RoundListener swapper = record -> {
            if (record.round() == 1) {
                try {
                    osgi.configure(COORDINATOR, fedKlpr);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        ServiceRegistration<RoundListener> registration = context.registerService(RoundListener.class, swapper, null);
        try {
            runner.run(work.resolve("run"));
        } finally {
            registration.unregister();
            osgi.configure(CRR, Map.of());
        }
        List<JsonObject> rows = metrics(work.resolve("run"));
        for (JsonObject row : rows) {
            int round = row.get("round").getAsInt();
            if (round == 0) {
                continue;
            }
            String seen = row.toString();
            assertTrue(seen, row.get("pseudo_clusters").getAsDouble() >= 1);
            assertTrue(seen, row.get("pseudo_kept").getAsDouble() >= row.get("pseudo_clusters").getAsDouble());
            assertTrue(seen, row.get("pseudo_proxies").getAsDouble() >= row.get("pseudo_clusters").getAsDouble());
            assertTrue(seen, row.get("steps").getAsDouble() > 0);
            assertTrue(seen, row.has("loss.capr"));
            if (round == 1) {
                assertEquals(seen, "cdw", row.get("aggregator").getAsString());
                // FedCAPR's regulariser starts in round 2, and round 2 is FedKLPR's: it never runs here.
                assertFalse(seen, row.has("loss.cosine-reg"));
                assertFalse(seen, row.has("pruning_ratio"));
            } else {
                assertEquals(seen, "klpwa", row.get("aggregator").getAsString());
                assertTrue(seen, row.has("loss.kll"));
                assertTrue(seen, row.get("pruning_ratio").getAsDouble() > 0);
                assertTrue(seen, row.get("pruned_fraction").getAsDouble() > 0);
                // Pruning control's signal without labels: the memory's proxies classify the probe.
                double probe = row.get("probe_accuracy").getAsDouble();
                assertTrue(seen, probe >= 0 && probe <= 1);
            }
        }
        assertEquals(2 * 3, rows.size());
    }

    /**
     * The same world twice, the second time with every training image renamed as a person of its own
     * (ids in the files' order, so that the sites read the images in the same order): unsupervised
     * runs give the same metrics, row for row, while supervised runs do not.
     */
    @Test
    public void unsupervisedTrainingNeverReadsTheTrainingImagesIdentities() throws Exception {
        Path work = work("label-free");
        osgi.configure(WORLD, tinyWorld(2, new int[] {8, 6}, new int[] {4}));
        DatasetGenerator generator = osgi.syntheticGenerator();
        Path labelled = work.resolve("labelled");
        Path renamed = work.resolve("renamed");
        List<Path> folders = generator.generate(labelled, SEED);
        for (Path folder : folders) {
            copyWithTrainingIdentitiesReplaced(folder, renamed.resolve(folder.getFileName()));
        }
        // dataRoot as it is: no generator writes over the renamed copy.
        Map<String, Object> unsupervised = with(fedCapr(labelled, 2), "generator", "");
        osgi.configure(COORDINATOR, unsupervised);
        runner.run(work.resolve("unsupervised-labelled"));
        osgi.configure(COORDINATOR, with(unsupervised, "dataRoot", renamed.toString()));
        runner.run(work.resolve("unsupervised-renamed"));
        List<JsonObject> original = metrics(work.resolve("unsupervised-labelled"));
        List<JsonObject> blind = metrics(work.resolve("unsupervised-renamed"));
        assertEquals(original.size(), blind.size());
        for (int row = 0; row < original.size(); row++) {
            assertEquals("row " + row, withoutTimes(original.get(row)), withoutTimes(blind.get(row)));
        }
        assertTrue(original.get(original.size() - 1).get("pseudo_clusters").getAsDouble() >= 1);

        // The control: training with labels does see the renaming.
        Map<String, Object> supervised = with(coordinatorSettings(labelled, 2), "generator", "");
        supervised.put("instancesPerIdentity", 4);
        osgi.configure(COORDINATOR, supervised);
        runner.run(work.resolve("supervised-labelled"));
        osgi.configure(COORDINATOR, with(supervised, "dataRoot", renamed.toString()));
        runner.run(work.resolve("supervised-renamed"));
        JsonObject labelledLast = withoutTimes(last(metrics(work.resolve("supervised-labelled"))));
        JsonObject renamedLast = withoutTimes(last(metrics(work.resolve("supervised-renamed"))));
        assertNotEquals(labelledLast.get("loss"), renamedLast.get("loss"));
    }

    private static JsonObject last(List<JsonObject> rows) {
        return rows.get(rows.size() - 1);
    }

    /**
     * A copy of a Market-1501 folder whose training images each get an identity of their own,
     * numbered in the order of the original names; query and gallery are copied as they are.
     */
    private static void copyWithTrainingIdentitiesReplaced(Path folder, Path copy) throws IOException {
        for (String split : List.of("query", "bounding_box_test")) {
            Files.createDirectories(copy.resolve(split));
            try (Stream<Path> files = Files.list(folder.resolve(split))) {
                for (Path file : files.toList()) {
                    Files.copy(file, copy.resolve(split).resolve(file.getFileName()));
                }
            }
        }
        Files.createDirectories(copy.resolve("bounding_box_train"));
        List<Path> training;
        try (Stream<Path> files = Files.list(folder.resolve("bounding_box_train"))) {
            training = new ArrayList<>(files.sorted().toList());
        }
        int next = 1;
        for (Path file : training) {
            Matcher name = MARKET_NAME.matcher(file.getFileName().toString());
            assertTrue("a Market-1501 name: " + file, name.matches());
            Files.copy(file, copy.resolve("bounding_box_train").resolve(String.format("%04d", next++) + name.group(2)));
        }
        assertTrue("more training images than people", next - 1 > 14);
    }
}

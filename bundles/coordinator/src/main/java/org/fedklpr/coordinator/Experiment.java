package org.fedklpr.coordinator;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.aggregation.AggregationResult;
import org.fedklpr.api.aggregation.Aggregator;
import org.fedklpr.api.data.DatasetGenerator;
import org.fedklpr.api.eval.ReidMetrics;
import org.fedklpr.api.experiment.ClientRoundMetrics;
import org.fedklpr.api.experiment.ExperimentSummary;
import org.fedklpr.api.experiment.RoundListener;
import org.fedklpr.api.experiment.RoundPlan;
import org.fedklpr.api.experiment.RoundRecord;
import org.fedklpr.api.experiment.RunFailedException;
import org.fedklpr.api.federation.ClientDescriptor;
import org.fedklpr.api.federation.ClientEvaluation;
import org.fedklpr.api.federation.ClientInfo;
import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.federation.SiteMetrics;
import org.fedklpr.api.federation.SiteRequirements;
import org.fedklpr.api.federation.TrainingTask;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.TensorScope;
import org.fedklpr.api.pruning.Pruner;
import org.fedklpr.api.transport.ClientConnection;
import org.fedklpr.api.transport.Exchanged;
import org.fedklpr.api.transport.SiteUnavailableException;
import org.fedklpr.api.transport.Transport;
import org.fedklpr.api.transport.WireCodec;
import org.fedklpr.named.NamedServices;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * One federated experiment, from data to summary. The loop reads top to bottom: prepare clients,
 * evaluate the initial model (round 0), then per round select, send, train, check, aggregate,
 * evaluate, log, checkpoint and tell the listeners.
 */
final class Experiment {
    private static final System.Logger LOG = System.getLogger(Experiment.class.getName());

    /** The services an experiment uses, looked up by the coordinator. */
    record Services(Transport transport, DatasetGenerator generator, WireCodec checkpointCodec,
            NamedServices<Aggregator> aggregators, NamedServices<Pruner> pruners,
            Supplier<List<RoundListener>> listeners,
            Supplier<Map<String, Map<String, Object>>> settingsInEffect,
            Supplier<Map<String, Map<String, Object>>> settingsDefaults) {
    }

    /** The one setting a run folder may change on resume: more rounds extend it. */
    private static final String ROUNDS_KEY = Coordinator.PID + ":rounds";
    /**
     * Settings a run folder may resume under changed: how many rounds (more extend it), its label,
     * and how fast or in how much memory the same numbers are computed. Every other setting can
     * change what a round computes.
     */
    private static final Set<String> RESUMABLE_CHANGES = Set.of(ROUNDS_KEY, Coordinator.PID + ":name",
            "org.fedklpr.engine.djl:cacheDirectory", "org.fedklpr.engine.djl:decodeThreads",
            "org.fedklpr.engine.djl:decodedCacheMegabytes", "org.fedklpr.eval:threads",
            "org.fedklpr.eval:queryChunk");

    private final ExperimentSettings settings;
    private final Supplier<ExperimentSettings> live;
    private final Services services;
    private final Path runDirectory;
    private final Map<String, Object> provenance;
    private final RunLog log;
    private final Checkpoints checkpoints;
    private final List<ClientConnection> clients = new ArrayList<>();
    private final List<ClientInfo> infos = new ArrayList<>();
    private final DownlinkMasks downlinkMasks = new DownlinkMasks();
    private volatile RoundPlan currentPlan;

    private ModelState global;
    private long bytesUp;
    private long bytesDown;
    private long bytesEvaluation;
    private double initialRank1;
    private double initialMAP;
    private RoundRecord lastRecord;
    /** The log's rows of the round a resumed run restarted after (its scores until a round runs). */
    private List<JsonObject> resumedRoundRows = List.of();
    private double secondsBefore;
    private Double jvmStartToFirstRound;
    private int resumedFromRound = -1;
    /** Binds the coordinator's checkpoints to the sites' saved states: made at round 0, kept on resume. */
    private String experimentId;
    /** What the sites were last checked to have (again whenever a swap changes it). */
    private SiteRequirements lastRequirements;

    Experiment(ExperimentSettings settings, Supplier<ExperimentSettings> live, Services services, Path runDirectory,
            Map<String, Object> provenance) {
        this.settings = settings;
        this.live = live;
        this.services = services;
        this.runDirectory = runDirectory;
        this.provenance = provenance;
        this.log = new RunLog(runDirectory);
        this.checkpoints = new Checkpoints(runDirectory, services.checkpointCodec(), log.gson());
        // The coordinator checked these before the experiment was made.
        this.lastRequirements = settings.siteRequirements();
    }

    Optional<RoundPlan> currentPlan() {
        return Optional.ofNullable(currentPlan);
    }

    ExperimentSummary run() {
        long started = System.nanoTime();
        RunFolder.checkUsable(runDirectory, "run folder");
        Optional<Checkpoints.Progress> previous = checkpoints.progress();
        if (previous.isPresent()) {
            checkResumable(previous.get());
        }
        try {
            connectClients();
            prepareClients();
            int completed = resumeOrStart();
            for (int round = completed + 1; round <= settings.rounds(); round++) {
                runRound(round, started);
            }
            return finish(started, null);
        } catch (RunFailedException e) {
            finish(started, e.getMessage());
            throw e;
        } finally {
            currentPlan = null;
            for (ClientConnection client : clients) {
                client.close();
            }
        }
    }

    /**
     * A run folder resumes only under the settings it was made with, so that its rounds never mix
     * two experiments: every difference is named. More rounds extend it; fewer are refused.
     */
    private void checkResumable(Checkpoints.Progress progress) {
        Optional<JsonObject> recorded = checkpoints.settings(progress.round());
        if (recorded.isPresent()) {
            List<String> differences = SettingsDifference.between(recorded.get(), settingsInEffect(),
                    RESUMABLE_CHANGES, log.gson().toJsonTree(services.settingsDefaults().get()).getAsJsonObject());
            if (!differences.isEmpty()) {
                throw new FedklprException("the run folder " + runDirectory + " was made with other settings, and "
                        + "resuming it would mix them in one run:\n" + String.join("\n", differences)
                        + "\nrun it with the settings it was made with (its config.json lists them), or choose "
                        + "another --out");
            }
        } else if (!digest(settings.identity()).equals(progress.digest())) {
            throw new FedklprException("the run folder " + runDirectory + " holds a checkpoint of a different "
                    + "experiment (its settings differ); choose another --out or delete the folder");
        }
        if (settings.rounds() < progress.round()) {
            throw new FedklprException("the run folder " + runDirectory + " has completed " + progress.round()
                    + " rounds, and " + ROUNDS_KEY + "=" + settings.rounds() + " asks for fewer: run it with --rounds "
                    + progress.round() + " (or more, to extend it), or choose another --out");
        }
    }

    /** The settings of every PID now, as recorded with each checkpoint. */
    private JsonObject settingsInEffect() {
        return log.gson().toJsonTree(services.settingsInEffect().get()).getAsJsonObject();
    }

    private List<Path> dataFolders() {
        Path root = Path.of(settings.dataRoot());
        if (!settings.generator().isBlank()) {
            DatasetGenerator generator = services.generator();
            if (!generator.format().equals(settings.datasetFormat()) && !"auto".equals(settings.datasetFormat())) {
                throw new FedklprException("generator '" + settings.generator() + "' writes the " + generator.format()
                        + " layout but datasetFormat is '" + settings.datasetFormat() + "'");
            }
            return generator.generate(root, settings.seed());
        }
        if (!Files.isDirectory(root)) {
            throw new FedklprException("dataRoot " + root.toAbsolutePath() + " does not exist (expected one folder per"
                    + " client, or set generator=synthetic to create a synthetic federation there)");
        }
        try (Stream<Path> entries = Files.list(root)) {
            List<Path> folders = entries.filter(Files::isDirectory).sorted().toList();
            if (folders.isEmpty()) {
                throw new FedklprException("dataRoot " + root.toAbsolutePath() + " has no client folders");
            }
            return folders;
        } catch (IOException e) {
            throw new FedklprException("cannot list dataRoot " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * The experiment's sites: those the transport admits (sites in their own processes, with their
     * own data and state folders), or one simulated site per client folder of the data root.
     */
    private void connectClients() {
        List<ClientDescriptor> descriptors = new ArrayList<>();
        List<String> remote = services.transport().sites();
        if (!remote.isEmpty()) {
            remote.forEach(id -> descriptors.add(new ClientDescriptor(id, null, settings.datasetFormat(), null)));
        } else {
            for (Path folder : dataFolders()) {
                String id = folder.getFileName().toString();
                descriptors.add(new ClientDescriptor(id, folder, settings.datasetFormat(),
                        runDirectory.resolve("sites").resolve(id)));
            }
        }
        for (ClientDescriptor descriptor : descriptors) {
            clients.add(services.transport().connect(descriptor));
        }
        infos.addAll(values(eachClient(clients, ClientConnection::info)));
    }

    /** Builds every client's network; with a shared label space, identities are numbered across clients. */
    private void prepareClients() {
        int totalIdentities = infos.stream().mapToInt(ClientInfo::trainIdentities).sum();
        Map<ClientConnection, Integer> offsets = new LinkedHashMap<>();
        int offset = 0;
        for (int k = 0; k < clients.size(); k++) {
            offsets.put(clients.get(k), settings.sharedLabels() ? offset : 0);
            offset += infos.get(k).trainIdentities();
        }
        List<ClientInfo> prepared = values(eachClient(clients, client -> {
            // Without labels the identity head has nothing to learn: one class, never trained.
            client.prepare(settings.network(settings.sharedLabels() ? totalIdentities : settings.unsupervised() ? 1
                    : infos.get(clients.indexOf(client)).trainIdentities()), offsets.get(client));
            return client.info();
        }));
        infos.clear();
        infos.addAll(prepared);
        // The coordinator has no engine: the first site builds the starting model (any site would
        // build the same weights from the same spec).
        global = clients.get(0).initialModel(settings.initialGlobalNetwork(settings.sharedLabels() ? totalIdentities
                : 1), settings.sharedLabels() ? TensorScope.WHOLE_MODEL : TensorScope.BACKBONE);
    }

    /** @return the last completed round: the checkpoint's, or 0 after evaluating the initial model */
    private int resumeOrStart() {
        String digest = digest(settings.identity());
        Optional<Checkpoints.Restored> restored = checkpoints.load();
        if (restored.isPresent()) {
            Checkpoints.Progress progress = restored.get().progress();
            if (progress.experiment() == null) {
                throw new FedklprException("the run folder " + runDirectory + " was written by an earlier version, "
                        + "which kept the sites' own state in its checkpoint; it cannot be resumed: choose another"
                        + " --out");
            }
            experimentId = progress.experiment();
            global = restored.get().global();
            int round = progress.round();
            List<Outcome<Boolean>> restoredSites = eachClient(clients, client -> {
                client.restore(experimentId, round);
                return true;
            });
            for (Outcome<Boolean> outcome : restoredSites) {
                // A site that went away again restores its state when it is back (its connection knows which).
                if (outcome.failure() != null && !(outcome.failure() instanceof SiteUnavailableException)) {
                    throw outcome.failure();
                }
            }
            downlinkMasks.restore(restored.get().downlinkMasks());
            bytesUp = progress.bytesUp();
            bytesDown = progress.bytesDown();
            bytesEvaluation = progress.bytesEvaluation();
            secondsBefore = progress.seconds();
            initialRank1 = progress.initialRank1();
            initialMAP = progress.initialMAP();
            resumedRoundRows = log.truncateAfter(progress.round());
            LOG.log(Level.INFO, progress.round() >= settings.rounds()
                    ? runDirectory + " has completed all its " + progress.round() + " rounds: nothing is left to run"
                            + " (more rounds extend it)"
                    : "resuming " + runDirectory + " after round " + progress.round());
            resumedFromRound = progress.round();
            return progress.round();
        }
        RunFolder.create(runDirectory, "run folder");
        experimentId = UUID.randomUUID().toString();
        writeConfig();
        RoundPlan plan = new RoundPlan(0, List.of(), "none", TensorScope.BACKBONE);
        List<ClientRoundMetrics> rows = new ArrayList<>();
        List<Outcome<ReidMetrics>> scores = evaluateAggregated(0);
        for (ClientConnection client : clients) {
            Outcome<ReidMetrics> scored = scores.get(clients.indexOf(client));
            ReidMetrics metrics = scored.value() == null ? UNSCORED : scored.value();
            rows.add(new ClientRoundMetrics(0, client.clientId(), metrics.rank1(), metrics.rank5(), metrics.rank10(),
                    metrics.mAP(), null, 0, 0, "none", 0, 0, scored.failure() == null ? "initial"
                            : ((SiteUnavailableException) scored.failure()).status() + ": "
                                    + scored.failure().getMessage(), queryCounts(metrics, Map.of()), Map.of()));
        }
        RoundRecord record = new RoundRecord(plan, rows, 0);
        initialRank1 = record.meanRank1();
        initialMAP = record.meanMAP();
        completeRound(record, digest, 0);
        return 0;
    }

    /** The scores of a site that scored nothing (it could not be reached): written as null. */
    private static final ReidMetrics UNSCORED = new ReidMetrics(Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, 0, 0);

    /** What one client's call gave: its value, or the failure it ended in. */
    private record Outcome<T>(T value, FedklprException failure, double seconds) {
    }

    /**
     * Calls {@code call} for every client, as many at once as the transport allows (sites on their
     * own machines work in parallel; simulated ones one after the other); the outcomes come back in
     * the clients' order either way, so what follows does not depend on who answered first.
     */
    private <T> List<Outcome<T>> eachClient(List<ClientConnection> targets, Function<ClientConnection, T> call) {
        Function<ClientConnection, Outcome<T>> timed = client -> {
            long clientStarted = System.nanoTime();
            try {
                return new Outcome<>(call.apply(client), null, (System.nanoTime() - clientStarted) / 1e9);
            } catch (FedklprException e) {
                return new Outcome<>(null, e, (System.nanoTime() - clientStarted) / 1e9);
            }
        };
        int concurrency = Math.min(targets.size(), Math.max(1, services.transport().concurrentSites()));
        if (concurrency == 1) {
            return targets.stream().map(timed).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "fedklpr-round");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Outcome<T>>> futures = new ArrayList<>();
            for (ClientConnection client : targets) {
                futures.add(pool.submit(() -> timed.apply(client)));
            }
            List<Outcome<T>> outcomes = new ArrayList<>();
            for (Future<Outcome<T>> future : futures) {
                outcomes.add(future.get());
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FedklprException("interrupted while the sites worked", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException bug ? bug : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The values, or the first failure (naming its client) when a call that must succeed did not. */
    private static <T> List<T> values(List<Outcome<T>> outcomes) {
        for (Outcome<T> outcome : outcomes) {
            if (outcome.failure() != null) {
                throw outcome.failure();
            }
        }
        return outcomes.stream().map(Outcome::value).toList();
    }

    private void runRound(int round, long started) {
        if (jvmStartToFirstRound == null) {
            jvmStartToFirstRound = (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime())
                    / 1000.0;
        }
        long roundStarted = System.nanoTime();
        ExperimentSettings now = live.get();
        Aggregator aggregator = services.aggregators().get(now.aggregator());
        List<String> scopeProblems = scopeProblems(aggregator, now);
        if (!scopeProblems.isEmpty()) {
            throw new FedklprException("round " + round + ": " + scopeProblems.get(0));
        }
        if (!now.siteRequirements().equals(lastRequirements)) {
            // Swapped between rounds: the sites must have what the new settings name.
            services.transport().check(now.siteRequirements());
            lastRequirements = now.siteRequirements();
        }
        TensorScope scope = aggregator.scope();
        List<ClientConnection> selected = select(round);
        RoundPlan plan = new RoundPlan(round, selected.stream().map(ClientConnection::clientId).toList(),
                now.aggregator(), scope);
        currentPlan = plan;
        for (RoundListener listener : services.listeners().get()) {
            try {
                listener.roundStarted(plan, now.rounds());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "round listener " + listener + " failed", e);
            }
        }
        Map<String, ClientRoundMetrics> trained = new LinkedHashMap<>();
        Aggregated aggregated = trainAndAggregate(round, now, aggregator, selected, scope, trained);
        global = aggregated.result().global();
        Map<String, Double> weights = aggregated.result().clientWeights();

        List<ClientRoundMetrics> rows = new ArrayList<>();
        List<Outcome<ReidMetrics>> scores = evaluateAggregated(round);
        for (ClientConnection client : clients) {
            Outcome<ReidMetrics> scored = scores.get(clients.indexOf(client));
            ReidMetrics metrics = scored.value() == null ? UNSCORED : scored.value();
            ClientRoundMetrics training = trained.get(client.clientId());
            Map<String, Double> extra = queryCounts(metrics, training == null ? Map.of() : training.extra());
            Map<String, String> notes = new LinkedHashMap<>(training == null ? Map.of() : training.notes());
            if (scored.failure() != null) {
                notes.put("evaluation", ((SiteUnavailableException) scored.failure()).status() + ": "
                        + scored.failure().getMessage());
            }
            if (weights.containsKey(client.clientId())) {
                extra.put("weight", weights.get(client.clientId()));
            }
            rows.add(training == null
                    ? new ClientRoundMetrics(round, client.clientId(), metrics.rank1(), metrics.rank5(),
                            metrics.rank10(), metrics.mAP(), null, 0, 0, now.aggregator(), 0, 0,
                            scored.failure() == null ? "idle" : notes.remove("evaluation"), extra, notes)
                    : new ClientRoundMetrics(round, client.clientId(), metrics.rank1(), metrics.rank5(),
                            metrics.rank10(), metrics.mAP(), training.loss(), training.bytesUp(),
                            training.bytesDown(), now.aggregator(), training.seconds(), training.samples(),
                            training.status(), extra, notes));
        }
        if (now.coordinatorMask()) {
            cutSharedMask(round, now, aggregated.askedRatio(), scope);
        }
        completeRound(new RoundRecord(plan, rows, (System.nanoTime() - roundStarted) / 1e9),
                digest(settings.identity()), (System.nanoTime() - started) / 1e9);
    }

    /** A round's aggregate, and the largest pruning ratio its sites' controllers asked for. */
    private record Aggregated(AggregationResult result, double askedRatio) {
    }

    /**
     * Sends the round's task to {@code selected}, checks what comes back (a row per site in
     * {@code trained}) and aggregates the accepted updates. A method of its own so that the updates,
     * a whole model each, are garbage once it returns: the evaluation that follows holds none of them.
     */
    private Aggregated trainAndAggregate(int round, ExperimentSettings now, Aggregator aggregator,
            List<ClientConnection> selected, TensorScope scope, Map<String, ClientRoundMetrics> trained) {
        ModelState sent = global.select(scope);
        List<ClientUpdate> accepted = new ArrayList<>();
        try (HeldUpdates held = new HeldUpdates(runDirectory.resolve(HELD_UPDATES), services.checkpointCodec())) {
            List<Outcome<Received>> outcomes = eachClient(selected, client -> receive(client.train(
                    new TrainingTask(round, sent, downlinkMasks.of(client.clientId()), scope,
                            settings.training(round, trainingSeed(round, client)), now.objectives(), now.pruning(),
                            settings.probeTemperature(), aggregator.siteMetrics(), now.updateCompression(),
                            settings.pseudoLabels())), client.clientId(), round, sent, now, held));
            for (int index = 0; index < selected.size(); index++) {
                ClientConnection client = selected.get(index);
                Outcome<Received> outcome = outcomes.get(index);
                String status;
                Exchanged<ClientUpdate> exchanged = outcome.value() == null ? null : outcome.value().exchanged();
                if (outcome.failure() instanceof SiteUnavailableException away) {
                    status = away.status() + ": " + away.getMessage();
                } else if (outcome.failure() != null) {
                    status = "rejected: training failed: " + outcome.failure().getMessage();
                } else {
                    String problem = outcome.value().problem();
                    status = problem == null ? "trained" : "rejected: " + problem;
                }
                if (status.equals("trained")) {
                    ClientUpdate update = exchanged.value();
                    accepted.add(update);
                    downlinkMasks.received(client.clientId(), update.mask());
                } else {
                    LOG.log(Level.WARNING, "round " + round + ", client " + client.clientId() + ": update " + status
                            + "; it is not aggregated");
                }
                long up = exchanged == null ? 0 : exchanged.bytesUp();
                long down = exchanged == null ? 0 : exchanged.bytesDown();
                bytesUp += up;
                bytesDown += down;
                Map<String, Double> extra = new LinkedHashMap<>();
                Map<String, String> notes = Map.of();
                Double loss = null;
                long samples = 0;
                if (exchanged != null) {
                    extra.putAll(exchanged.value().metrics());
                    notes = exchanged.value().notes();
                    loss = extra.remove("loss");
                    samples = exchanged.value().samples();
                }
                if (exchanged != null && exchanged.wireBytesUp() >= 0) {
                    extra.put("wire_bytes_up", (double) exchanged.wireBytesUp());
                    extra.put("wire_bytes_down", (double) exchanged.wireBytesDown());
                }
                trained.put(client.clientId(), new ClientRoundMetrics(round, client.clientId(), 0, 0, 0, 0, loss, up,
                        down, now.aggregator(), outcome.seconds(), samples, status, extra, notes));
            }
            int quorum = settings.quorum(selected.size());
            if (accepted.size() < quorum) {
                List<String> reasons = new ArrayList<>();
                trained.forEach((client, row) -> {
                    if (!row.status().equals("trained")) {
                        reasons.add(client + ": " + row.status().replaceFirst("^rejected: ", ""));
                    }
                });
                throw new RunFailedException("round " + round + (accepted.isEmpty()
                        ? " has no update to aggregate: every one was rejected, so the model cannot learn"
                        : " has " + accepted.size() + " update(s) to aggregate of the " + selected.size() + " selected "
                                + "sites; it needs " + quorum + " (minSites)") + "\n" + String.join("\n", reasons)
                        + "\nthe run stops; its folder keeps round " + (round - 1) + ", the last completed, and "
                        + "resumes from it (for a diverged run, try a lower learningRate in another --out)");
            }
            double askedRatio = accepted.stream().mapToDouble(update -> update.metrics().getOrDefault("pruning_ratio",
                    0.0)).max().orElse(0);
            AggregationResult result = aggregator.aggregate(global, accepted);
            // The held files go when this returns: nothing of the next global model may be read from them.
            return new Aggregated(new AggregationResult(result.global().inMemory(), result.clientWeights()),
                    askedRatio);
        }
    }

    /** Where a round's accepted updates wait for the aggregator, in the run folder. */
    static final String HELD_UPDATES = "round-updates";

    /** What came back from a site, as the coordinator keeps it until the round is aggregated. */
    private record Received(Exchanged<ClientUpdate> exchanged, String problem) {
    }

    /**
     * Checks an update as it arrives, and keeps an acceptable one (expanded into the model when it is
     * compressed: the aggregator gets models) with its values {@linkplain HeldUpdates held} on disk; a
     * rejected one keeps only its figures. Done at once, per site, so that a round never holds every
     * site's values.
     */
    private static Received receive(Exchanged<ClientUpdate> exchanged, String clientId, int round, ModelState sent,
            ExperimentSettings now, HeldUpdates held) {
        String problem = UpdateCheck.problem(exchanged.value(), clientId, round, sent);
        ClientUpdate kept;
        if (problem == null) {
            kept = held.hold(now.updateCompression().isBlank() ? exchanged.value()
                    : CompressedUpdates.expand(exchanged.value(), sent));
        } else {
            kept = exchanged.value().with(ModelState.empty(), null);
        }
        return new Received(new Exchanged<>(kept, exchanged.bytesDown(), exchanged.bytesUp(),
                exchanged.wireBytesDown(), exchanged.wireBytesUp()), problem);
    }



    /**
     * The coordinator's mask for the next round (pruningMask=coordinator): the aggregate, which every
     * site trained under the mask in force, pruned further to the largest ratio the sites'
     * controllers asked for this round, never reviving an element; the global model keeps zeros
     * outside it and every site is sent it as its downlink mask, which it trains under. Cut after
     * the round's evaluation, so each scored model is one the sites fine-tuned under its mask, and
     * before the checkpoint, which keeps the cut model and the masks.
     */
    private void cutSharedMask(int round, ExperimentSettings now, double ratio, TensorScope scope) {
        if (ratio <= 0) {
            return;
        }
        // Every site was sent the same mask; it is the one in force.
        ModelMask inForce = clients.stream().map(client -> downlinkMasks.of(client.clientId()))
                .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        ModelMask cut = services.pruners().get(now.pruner()).prune(global.select(scope), ratio, inForce);
        global = global.with(SharedMask.zeroed(global.select(scope), cut));
        for (ClientConnection client : clients) {
            downlinkMasks.received(client.clientId(), cut);
        }
        LOG.log(Level.INFO, () -> String.format(java.util.Locale.ROOT, "round %d: the coordinator's mask now "
                + "prunes %.1f %% of the prunable weights", round, 100 * ratio));
    }

    /** Whether {@code aggregator} can average what the clients hold under {@code settings}. */
    static List<String> scopeProblems(Aggregator aggregator, ExperimentSettings settings) {
        if (aggregator.scope() == TensorScope.WHOLE_MODEL && !settings.sharedLabels()) {
            return List.of(Coordinator.PID + ":aggregator=" + settings.aggregator() + ": it averages whole models,"
                    + " identity heads included, but each client has its own head here (labelSpace=local); use "
                    + "labelSpace=shared or an aggregator that keeps heads local such as fedpav");
        }
        Set<String> unknown = new java.util.TreeSet<>(aggregator.siteMetrics());
        unknown.removeAll(SiteMetrics.ALL);
        if (!unknown.isEmpty()) {
            return List.of(Coordinator.PID + ":aggregator=" + settings.aggregator() + ": it weighs clients by "
                    + unknown + ", which sites do not compute (they compute " + new java.util.TreeSet<>(SiteMetrics.ALL)
                    + ")");
        }
        return List.of();
    }

    /** {@code extra} with how many queries were scored and how many had no valid gallery match. */
    private static Map<String, Double> queryCounts(ReidMetrics metrics, Map<String, Double> extra) {
        Map<String, Double> counts = new LinkedHashMap<>(extra);
        counts.put("queries", (double) metrics.queries());
        counts.put("queries_without_match", (double) metrics.queriesWithoutMatch());
        return counts;
    }

    /**
     * The aggregated model's scores at a client; a model that cannot be scored there (it has diverged:
     * its embeddings are not finite) fails the run, as no later round can repair it.
     */
    /**
     * Every client's scores of the global model, the traffic counted apart. A site that cannot be
     * reached scores nothing this round (its outcome says why); a model that a site cannot score
     * (it has diverged: its embeddings are not finite) fails the run, as no later round can repair it.
     */
    private List<Outcome<ReidMetrics>> evaluateAggregated(int round) {
        List<Outcome<Exchanged<ClientEvaluation>>> outcomes = eachClient(clients,
                client -> client.evaluate(round, global));
        List<Outcome<ReidMetrics>> scores = new ArrayList<>();
        for (int k = 0; k < clients.size(); k++) {
            Outcome<Exchanged<ClientEvaluation>> outcome = outcomes.get(k);
            FedklprException failure = outcome.failure();
            if (failure instanceof SiteUnavailableException) {
                LOG.log(Level.WARNING, "round " + round + ": " + failure.getMessage() + "; it scores nothing this"
                        + " round");
                scores.add(new Outcome<>(null, failure, outcome.seconds()));
            } else if (failure != null) {
                throw new RunFailedException("round " + round + ": the aggregated model cannot be evaluated at "
                        + clients.get(k).clientId() + ": " + failure.getMessage() + "\nthe run stops; its folder"
                        + " keeps round " + (round - 1) + ", the last completed (for a diverged run, try a lower"
                        + " learningRate in another --out)", failure);
            } else {
                bytesEvaluation += outcome.value().bytesDown() + outcome.value().bytesUp();
                scores.add(new Outcome<>(outcome.value().value().metrics(), null, outcome.seconds()));
            }
        }
        return scores;
    }

    /** Every client when the fraction is 1; otherwise a seeded sample, kept in client order. */
    private List<ClientConnection> select(int round) {
        int count = Math.max(1, (int) Math.round(settings.clientFraction() * clients.size()));
        if (count >= clients.size()) {
            return List.copyOf(clients);
        }
        int[] order = new int[clients.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(settings.seed() * 31 + round);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return Arrays.stream(order, 0, count).sorted().mapToObj(clients::get).toList();
    }

    private long trainingSeed(int round, ClientConnection client) {
        return settings.seed() * 1_000_003L + round * 7919L + clients.indexOf(client);
    }

    /** Logs the round, then checkpoints it: a round is complete once both are on disk. */
    private void completeRound(RoundRecord record, String digest, double elapsed) {
        log.append(record.clients());
        // The sites first: a checkpoint of the coordinator's names a round that every site has saved.
        List<Outcome<Boolean>> saved = eachClient(clients, client -> {
            client.checkpoint(experimentId, record.round());
            return true;
        });
        for (int k = 0; k < clients.size(); k++) {
            // A site that is away keeps its last saved state; it goes back to it when it returns.
            if (saved.get(k).failure() instanceof SiteUnavailableException away) {
                LOG.log(Level.WARNING, "round " + record.round() + ": " + away.getMessage() + "; its state stays at "
                        + "the last round it saved");
            } else if (saved.get(k).failure() != null) {
                throw saved.get(k).failure();
            }
        }
        checkpoints.save(new Checkpoints.Progress(record.round(), digest, experimentId, bytesUp, bytesDown,
                bytesEvaluation, secondsBefore + elapsed, initialRank1, initialMAP), global, downlinkMasks.all(),
                settingsInEffect());
        lastRecord = record;
        for (RoundListener listener : services.listeners().get()) {
            try {
                listener.roundCompleted(record);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "round listener " + listener + " failed", e);
            }
        }
        folderWritten();
    }

    /** Tells the listeners that the run folder is up to date; a view that cannot be written never fails the run. */
    private void folderWritten() {
        for (RoundListener listener : services.listeners().get()) {
            try {
                listener.runFolderWritten(runDirectory);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "round listener " + listener + " could not write its view of " + runDirectory,
                        e);
            }
        }
    }

    /**
     * Writes {@code summary.json}: the scores of the last completed round (never a mix of rounds),
     * and, for a run that failed, {@code "status": "failed"} and why.
     */
    private ExperimentSummary finish(long started, String failure) {
        double seconds = secondsBefore + (System.nanoTime() - started) / 1e9;
        JsonArray finalClients = new JsonArray();
        double finalRank1 = initialRank1;
        double finalMAP = initialMAP;
        int completed = Math.max(resumedFromRound, 0);
        if (lastRecord != null) {
            finalRank1 = lastRecord.meanRank1();
            finalMAP = lastRecord.meanMAP();
            completed = lastRecord.round();
            lastRecord.clients().forEach(row -> finalClients.add(RunLog.toJson(row)));
        } else if (!resumedRoundRows.isEmpty()) {
            // Resumed after its last round (a comparison reusing a finished run): nothing ran, the
            // scores are those of the round it had completed, not round 0's.
            finalRank1 = RoundRecord.meanOfScored(resumedRoundRows.stream().mapToDouble(row -> RunLog.score(row, "rank1")));
            finalMAP = RoundRecord.meanOfScored(resumedRoundRows.stream().mapToDouble(row -> RunLog.score(row, "mAP")));
            resumedRoundRows.forEach(finalClients::add);
        }
        ExperimentSummary summary = new ExperimentSummary(runDirectory, settings.rounds(), initialRank1, initialMAP,
                finalRank1, finalMAP, bytesUp, bytesDown, seconds, resumedFromRound);
        JsonObject json = new JsonObject();
        json.addProperty("name", settings.name());
        json.addProperty("status", failure == null ? "finished" : "failed");
        if (failure != null) {
            json.addProperty("failure", failure);
        }
        json.addProperty("rounds", settings.rounds());
        json.addProperty("rounds_completed", completed);
        RunLog.number(json, "initial_rank1", initialRank1);
        RunLog.number(json, "initial_mAP", initialMAP);
        RunLog.number(json, "final_rank1", finalRank1);
        RunLog.number(json, "final_mAP", finalMAP);
        json.addProperty("bytes_up", bytesUp);
        json.addProperty("bytes_down", bytesDown);
        json.addProperty("bytes_evaluation", bytesEvaluation);
        json.addProperty("seconds", seconds);
        json.addProperty("resumed_from_round", summary.resumedFromRound());
        if (jvmStartToFirstRound != null) {
            json.addProperty("jvm_start_to_first_round_seconds", jvmStartToFirstRound);
        }
        json.add("final_clients", finalClients);
        json.add("clients", log.gson().toJsonTree(infos));
        log.writeSummary(json);
        folderWritten();
        return summary;
    }

    private void writeConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("experiment_id", experimentId);
        config.put("experiment", settings);
        config.put("clients", infos);
        config.put("settings", settingsInEffect());
        config.putAll(provenance);
        log.writeConfig(config);
    }

    static String digest(ExperimentSettings identity) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(identity.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

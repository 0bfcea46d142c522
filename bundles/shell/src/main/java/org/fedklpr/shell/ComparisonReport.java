package org.fedklpr.shell;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.fedklpr.api.FedklprException;
import org.fedklpr.api.experiment.ExperimentSummary;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Writes a comparison's results: {@code comparison.json} (everything), {@code comparison.md} (the
 * tables a reader wants) and two charts, Rank-1 against round and against cumulative megabytes.
 * Traffic is training traffic, up plus down, in MB of 10^6 bytes.
 */
final class ComparisonReport {
    /** One configuration's outcome over one or more seeds: a summary and a series per seed. */
    record Result(ComparisonPlan.Entry entry, List<ExperimentSummary> runs, List<RunSeries> bySeed) {
        Result(ComparisonPlan.Entry entry, ExperimentSummary summary, RunSeries series) {
            this(entry, List.of(summary), List.of(series));
        }

        /** The seeds' series averaged round by round. */
        RunSeries series() {
            return RunSeries.mean(bySeed);
        }

        /** Rank-1 over every client's queries together, averaged over seeds. */
        double pooledRank1() {
            return bySeed.stream().mapToDouble(s -> s.finalPooled()[0]).average().orElse(Double.NaN);
        }

        double pooledMAP() {
            return bySeed.stream().mapToDouble(s -> s.finalPooled()[1]).average().orElse(Double.NaN);
        }

        double rank1() {
            return runs.stream().mapToDouble(ExperimentSummary::finalRank1).average().orElse(Double.NaN);
        }

        double mAP() {
            return runs.stream().mapToDouble(ExperimentSummary::finalMAP).average().orElse(Double.NaN);
        }

        /** Sample standard deviation of the final Rank-1 over seeds (0 for one seed). */
        double rank1Deviation() {
            return sampleDeviation(runs.stream().mapToDouble(ExperimentSummary::finalRank1).toArray());
        }

        double bytesUp() {
            return runs.stream().mapToLong(ExperimentSummary::bytesUp).average().orElse(Double.NaN);
        }

        double bytesDown() {
            return runs.stream().mapToLong(ExperimentSummary::bytesDown).average().orElse(Double.NaN);
        }

        double bytes() {
            return bytesUp() + bytesDown();
        }

        double seconds() {
            return runs.stream().mapToDouble(ExperimentSummary::seconds).sum();
        }
    }

    private ComparisonReport() {
    }

    static String write(Path folder, ComparisonPlan plan, List<Result> results) {
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("comparison.json"), new GsonBuilder().setPrettyPrinting().create()
                    .toJson(json(plan, results)) + "\n", StandardCharsets.UTF_8);
            String markdown = markdown(plan, results);
            Files.writeString(folder.resolve("comparison.md"), markdown, StandardCharsets.UTF_8);
            SvgChart byRound = new SvgChart("Mean Rank-1 by round", "round", "Rank-1 (%)");
            SvgChart byTraffic = new SvgChart("Mean Rank-1 by training traffic", "cumulative MB (up + down)",
                    "Rank-1 (%)");
            for (Result result : results) {
                RunSeries series = result.series();
                double[] rounds = new double[series.rounds().length];
                double[] rank1 = new double[rounds.length];
                for (int i = 0; i < rounds.length; i++) {
                    rounds[i] = series.rounds()[i];
                    rank1[i] = 100 * series.meanRank1()[i];
                }
                byRound.add(new SvgChart.Series(result.entry().name(), rounds, rank1));
                byTraffic.add(new SvgChart.Series(result.entry().name(), series.cumulativeMegabytes(), rank1));
            }
            Files.writeString(folder.resolve("rank1_vs_round.svg"), byRound.render(), StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("rank1_vs_mb.svg"), byTraffic.render(), StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("pareto.svg"), paretoChart(results).render(), StandardCharsets.UTF_8);
            return markdown;
        } catch (IOException e) {
            throw new FedklprException("cannot write the comparison to " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Final mean Rank-1 against total training MB, a dot per configuration, with the Pareto front:
     * the configurations that no other beats on both bytes and Rank-1.
     */
    static SvgChart paretoChart(List<Result> results) {
        SvgChart chart = new SvgChart("Final mean Rank-1 against total training traffic", "MB (up + down, whole run)",
                "Rank-1 (%)", true);
        for (Result result : results) {
            chart.add(new SvgChart.Series(result.entry().name(), new double[] {result.bytes() / 1e6},
                    new double[] {100 * result.rank1()}, true));
        }
        List<Result> front = paretoFront(results);
        chart.add(new SvgChart.Series("Pareto front", front.stream().mapToDouble(r -> r.bytes() / 1e6).toArray(),
                front.stream().mapToDouble(r -> 100 * r.rank1()).toArray()));
        return chart;
    }

    /** The configurations not dominated (fewer or equal bytes and higher or equal Rank-1, one strictly), by bytes. */
    static List<Result> paretoFront(List<Result> results) {
        return results.stream().filter(candidate -> results.stream().noneMatch(other -> other != candidate
                && other.bytes() <= candidate.bytes() && other.rank1() >= candidate.rank1()
                && (other.bytes() < candidate.bytes() || other.rank1() > candidate.rank1())))
                .sorted(Comparator.comparingDouble(Result::bytes)).toList();
    }

    private static Optional<Result> find(List<Result> results, String name) {
        return results.stream().filter(r -> r.entry().name().equals(name)).findFirst();
    }

    private static double saving(Result result, Result baseline) {
        return 1 - result.bytes() / baseline.bytes();
    }

    /** A figure, or null where runs could not give it (e.g. made before their rows counted queries). */
    private static void addFinite(JsonObject object, String key, double value) {
        if (Double.isFinite(value)) {
            object.addProperty(key, value);
        } else {
            object.add(key, JsonNull.INSTANCE);
        }
    }

    private static JsonObject json(ComparisonPlan plan, List<Result> results) {
        JsonObject root = new JsonObject();
        root.addProperty("subject", plan.subject());
        JsonArray baselines = new JsonArray();
        plan.baselines().forEach(baselines::add);
        root.add("baselines", baselines);
        JsonArray commandLine = new JsonArray();
        plan.commandLine().forEach(commandLine::add);
        root.add("command_line", commandLine);
        JsonArray configurations = new JsonArray();
        List<Result> front = paretoFront(results);
        for (Result result : results) {
            JsonObject entry = new JsonObject();
            entry.addProperty("name", result.entry().name());
            entry.addProperty("description", result.entry().description());
            entry.add("settings", JsonParser.parseString(result.entry().settingsJson()));
            JsonArray runs = new JsonArray();
            for (ExperimentSummary run : result.runs()) {
                JsonObject one = new JsonObject();
                one.addProperty("run_directory", run.runDirectory().toString());
                one.addProperty("rank1", run.finalRank1());
                one.addProperty("mAP", run.finalMAP());
                one.addProperty("initial_rank1", run.initialRank1());
                one.addProperty("initial_mAP", run.initialMAP());
                one.addProperty("bytes_up", run.bytesUp());
                one.addProperty("bytes_down", run.bytesDown());
                one.addProperty("seconds", run.seconds());
                runs.add(one);
            }
            entry.add("runs", runs);
            entry.addProperty("rank1", result.rank1());
            entry.addProperty("rank1_std", result.rank1Deviation());
            entry.addProperty("mAP", result.mAP());
            addFinite(entry, "pooled_rank1", result.pooledRank1());
            addFinite(entry, "pooled_mAP", result.pooledMAP());
            entry.addProperty("on_pareto_front", front.contains(result));
            entry.addProperty("bytes_up", result.bytesUp());
            entry.addProperty("bytes_down", result.bytesDown());
            entry.addProperty("mb_total", result.bytes() / 1e6);
            entry.addProperty("seconds", result.seconds());
            for (String name : plan.baselines()) {
                find(results, name).ifPresent(baseline -> {
                    entry.addProperty("saving_vs_" + name, saving(result, baseline));
                    entry.addProperty("rank1_delta_vs_" + name, result.rank1() - baseline.rank1());
                });
            }
            if (!plan.baselines().contains(result.entry().name())
                    && !result.entry().name().equals(plan.accuracyBaseline())) {
                targetCheck(plan, results, result).ifPresent(check -> entry.addProperty("meets_targets", check.met()));
            }
            find(results, plan.accuracyBaseline()).filter(reference -> reference != result).ifPresent(reference -> {
                JsonObject paired = new JsonObject();
                for (PairedDifferences difference : allPaired(result, reference)) {
                    JsonArray points = new JsonArray();
                    Arrays.stream(difference.points()).forEach(points::add);
                    paired.add(difference.key() + "_points_by_seed", points);
                    paired.addProperty(difference.key() + "_standard_error", difference.standardError());
                }
                if (paired.size() > 0) {
                    entry.add("paired_vs_" + reference.entry().name(), paired);
                }
            });
            JsonObject clients = new JsonObject();
            result.series().finalByClient().forEach((client, scores) -> {
                JsonObject values = new JsonObject();
                values.addProperty("rank1", scores[0]);
                values.addProperty("mAP", scores[1]);
                clients.add(client, values);
            });
            entry.add("clients", clients);
            JsonArray series = new JsonArray();
            RunSeries run = result.series();
            for (int i = 0; i < run.rounds().length; i++) {
                JsonObject point = new JsonObject();
                point.addProperty("round", run.rounds()[i]);
                point.addProperty("mean_rank1", run.meanRank1()[i]);
                point.addProperty("mean_mAP", run.meanMAP()[i]);
                point.addProperty("cumulative_mb", run.cumulativeMegabytes()[i]);
                series.add(point);
            }
            entry.add("series", series);
            configurations.add(entry);
        }
        root.add("configurations", configurations);
        Optional<Result> subject = find(results, plan.subject());
        Optional<Result> reference = find(results, plan.accuracyBaseline());
        if (subject.isPresent() && reference.isPresent()) {
            pairedDifferences(subject.get(), reference.get()).ifPresent(paired -> {
                JsonObject differences = new JsonObject();
                differences.addProperty("against", paired.reference());
                JsonArray points = new JsonArray();
                Arrays.stream(paired.points()).forEach(points::add);
                differences.add("rank1_points_by_seed", points);
                differences.addProperty("standard_error_points", paired.standardError());
                root.add("rank1_difference", differences);
            });
        }
        root.addProperty("verdict", verdict(plan, results));
        return root;
    }

    private static String markdown(ComparisonPlan plan, List<Result> results) {
        StringBuilder md = new StringBuilder("# Comparison\n\n");
        int seeds = results.get(0).runs().size();
        md.append("Training traffic is up + down, in MB (10^6 bytes); Rank-1 and mAP are the mean over clients "
                + "after the last round");
        md.append(seeds > 1 ? ", averaged over " + seeds + " seeds (± the standard deviation over seeds; each seed "
                + "is its own synthetic world and initialisation)" : " (one seed)");
        md.append(". Pooled Rank-1 counts every client's queries together (a client weighs by its number of "
                + "queries). Savings are against the baselines' total traffic.\n\n");
        md.append("| configuration | Rank-1 | pooled Rank-1 | mAP | MB up | MB down | MB total |");
        plan.baselines().forEach(b -> md.append(" saved vs ").append(b).append(" | ΔRank-1 vs ").append(b)
                .append(" |"));
        md.append(" seconds |\n|---|---|---|---|---|---|---|");
        plan.baselines().forEach(b -> md.append("---|---|"));
        md.append("---|\n");
        for (Result result : results) {
            md.append(String.format(Locale.ROOT, "| %s | %.1f %%%s | %s | %.1f %% | %.2f | %.2f | %.2f |",
                    result.entry().name(), 100 * result.rank1(), seeds > 1 ? String.format(Locale.ROOT, " ± %.1f",
                            100 * result.rank1Deviation()) : "", Double.isFinite(result.pooledRank1())
                            ? String.format(Locale.ROOT, "%.1f %%", 100 * result.pooledRank1()) : "-",
                    100 * result.mAP(),
                    result.bytesUp() / 1e6, result.bytesDown() / 1e6, result.bytes() / 1e6));
            for (String name : plan.baselines()) {
                Optional<Result> baseline = find(results, name);
                md.append(baseline.map(b -> String.format(Locale.ROOT, " %.1f %% | %+.1f |", 100 * saving(result, b),
                        100 * (result.rank1() - b.rank1()))).orElse(" - | - |"));
            }
            md.append(String.format(Locale.ROOT, " %.0f |%n", result.seconds()));
        }
        md.append("\nOn the Pareto front of final Rank-1 against total MB (`pareto.svg`; nothing else sends fewer "
                + "bytes for as much Rank-1): ").append(String.join(", ", paretoFront(results).stream()
                        .map(r -> r.entry().name()).toList())).append(".\n");
        md.append(pairedTable(plan, results));
        md.append("\n## Per client (Rank-1 / mAP, %)\n\n| configuration |");
        List<String> clients = results.get(0).series().finalByClient().keySet().stream().toList();
        clients.forEach(c -> md.append(' ').append(c).append(" |"));
        md.append("\n|---|");
        clients.forEach(c -> md.append("---|"));
        md.append('\n');
        for (Result result : results) {
            md.append("| ").append(result.entry().name()).append(" |");
            for (String client : clients) {
                double[] scores = result.series().finalByClient().getOrDefault(client, new double[] {0, 0});
                md.append(String.format(Locale.ROOT, " %.1f / %.1f |", 100 * scores[0], 100 * scores[1]));
            }
            md.append('\n');
        }
        md.append("\n## Configurations\n\n");
        if (!plan.commandLine().isEmpty()) {
            md.append("Command-line settings, over every configuration's own: `")
                    .append(String.join("`, `", plan.commandLine())).append("`.\n\n");
        }
        for (Result result : results) {
            md.append("- **").append(result.entry().name()).append("**: ").append(result.entry().description())
                    .append(" Settings: `").append(result.entry().settingsJson()).append("`\n");
        }
        md.append("\n## Verdict\n\n").append(verdict(plan, results)).append("\n\n");
        md.append("Charts: `rank1_vs_round.svg`, `rank1_vs_mb.svg`.\n");
        return md.toString();
    }

    /**
     * Differences of one figure between two configurations seed by seed (seed i of one against seed i
     * of the other: the same synthetic world and initialisation), in points, with the standard error
     * of their mean. On small test sets one seed moves Rank-1 by several points; this says how far the
     * mean can be trusted against a tolerance of one point.
     */
    record PairedDifferences(String subject, String reference, String figure, String key, double[] points) {
        double standardError() {
            return sampleDeviation(points) / Math.sqrt(points.length);
        }

        double mean() {
            return Arrays.stream(points).average().orElse(Double.NaN);
        }

        String describe() {
            StringBuilder list = new StringBuilder();
            for (double point : points) {
                list.append(list.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%+.1f", point));
            }
            return String.format(Locale.ROOT, "Seed by seed, %s − %s %s: %s points; standard error of the mean "
                    + "difference %.1f points over %d seeds.%n", subject, reference, figure, list, standardError(),
                    points.length);
        }
    }

    /** Sample standard deviation (divisor n - 1); 0 for fewer than two values. */
    private static double sampleDeviation(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double mean = Arrays.stream(values).average().orElse(0);
        double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(squares / (values.length - 1));
    }

    /** The mean-of-clients Rank-1 differences (the figure the verdict judges). */
    static Optional<PairedDifferences> pairedDifferences(Result subject, Result reference) {
        return paired(subject, reference, "Rank-1", "rank1", (result, seed) -> result.runs().get(seed).finalRank1());
    }

    /** Rank-1, pooled Rank-1 and mAP, each paired by seed; empty when the two were not run on the same seeds. */
    static List<PairedDifferences> allPaired(Result subject, Result reference) {
        List<PairedDifferences> all = new ArrayList<>();
        pairedDifferences(subject, reference).ifPresent(all::add);
        paired(subject, reference, "pooled Rank-1", "pooled_rank1",
                (result, seed) -> result.bySeed().get(seed).finalPooled()[0]).ifPresent(all::add);
        paired(subject, reference, "mAP", "mAP", (result, seed) -> result.runs().get(seed).finalMAP())
                .ifPresent(all::add);
        return all;
    }

    private interface PerSeed {
        double value(Result result, int seed);
    }

    private static Optional<PairedDifferences> paired(Result subject, Result reference, String figure, String key,
            PerSeed value) {
        int seeds = subject.runs().size();
        if (seeds < 2 || reference.runs().size() != seeds || subject.bySeed().size() != seeds
                || reference.bySeed().size() != seeds) {
            return Optional.empty();
        }
        double[] points = new double[seeds];
        for (int i = 0; i < seeds; i++) {
            points[i] = 100 * (value.value(subject, i) - value.value(reference, i));
        }
        return Optional.of(new PairedDifferences(subject.entry().name(), reference.entry().name(), figure, key,
                points));
    }

    /** Every configuration against the accuracy baseline, paired by seed (nothing for one seed). */
    private static String pairedTable(ComparisonPlan plan, List<Result> results) {
        Optional<Result> reference = find(results, plan.accuracyBaseline());
        if (reference.isEmpty() || reference.get().runs().size() < 2) {
            return "";
        }
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%n## Against %s, paired by seed%n%n"
                + "Mean difference in points (standard error of the mean difference over %d seeds).%n%n"
                + "| configuration | saved | ΔRank-1 | Δpooled Rank-1 | ΔmAP |%n|---|---|---|---|---|%n",
                plan.accuracyBaseline(), reference.get().runs().size()));
        for (Result result : results) {
            if (result == reference.get()) {
                continue;
            }
            List<PairedDifferences> paired = allPaired(result, reference.get());
            md.append(String.format(Locale.ROOT, "| %s | %.1f %% |", result.entry().name(),
                    100 * saving(result, reference.get())));
            for (String key : List.of("rank1", "pooled_rank1", "mAP")) {
                md.append(paired.stream().filter(d -> d.key().equals(key)).findFirst().map(d -> String.format(
                        Locale.ROOT, " %+.1f (%.1f) |", d.mean(), d.standardError())).orElse(" - |"));
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** Whether the subject met the traffic target against every baseline and the accuracy target. */
    static String verdict(ComparisonPlan plan, List<Result> results) {
        Optional<Result> subject = find(results, plan.subject());
        if (subject.isEmpty()) {
            return "The subject " + plan.subject() + " was not run.";
        }
        StringBuilder text = new StringBuilder();
        boolean met = true;
        for (String name : plan.baselines()) {
            Optional<Result> baseline = find(results, name);
            if (baseline.isEmpty()) {
                met = false;
                text.append(String.format(Locale.ROOT, "Baseline %s was not run.%n", name));
                continue;
            }
            double saving = saving(subject.get(), baseline.get());
            met &= savingMet(plan, saving);
            text.append(String.format(Locale.ROOT, "%s sends %.1f %% less than %s (target %.0f %%): %s.%n",
                    plan.subject(), 100 * saving, name, 100 * plan.savingTarget(),
                    savingMet(plan, saving) ? "met" : "NOT met"));
        }
        Optional<Result> reference = find(results, plan.accuracyBaseline());
        if (reference.isPresent()) {
            double delta = subject.get().rank1() - reference.get().rank1();
            boolean close = rank1Met(plan, delta);
            met &= close;
            text.append(String.format(Locale.ROOT, "Its mean Rank-1 is %+.1f points against %s (at most %.1f below "
                    + "allowed): %s.%n", 100 * delta, plan.accuracyBaseline(), 100 * plan.rank1Tolerance(),
                    close ? "met" : "NOT met"));
            pairedDifferences(subject.get(), reference.get()).ifPresent(paired -> text.append(paired.describe()));
        } else {
            met = false;
        }
        text.append(met ? "All targets met." : "Not every target is met.");
        List<Result> others = results.stream().filter(r -> !r.entry().name().equals(plan.subject())
                && !plan.baselines().contains(r.entry().name()) && !r.entry().name().equals(plan.accuracyBaseline()))
                .toList();
        List<TargetCheck> checked = others.stream().map(r -> targetCheck(plan, results, r)).flatMap(Optional::stream)
                .toList();
        if (!checked.isEmpty()) {
            text.append(String.format(Locale.ROOT, "%n%nThe other configurations against the same targets: "));
            List<TargetCheck> meeting = checked.stream().filter(TargetCheck::met).toList();
            if (meeting.isEmpty()) {
                TargetCheck closest = checked.stream().min(Comparator.comparingDouble(c -> c.shortfall(plan)))
                        .orElseThrow();
                text.append("none meets both; the closest is ").append(closest.describe()).append(", ")
                        .append(String.format(Locale.ROOT, "%.2f points short of the targets (saving and "
                                + "Rank-1 together)", 100 * closest.shortfall(plan)))
                        .append('.');
            } else {
                text.append(String.join("; ", meeting.stream().map(TargetCheck::describe).toList()))
                        .append(meeting.size() == 1 ? " meets both." : " meet both.");
            }
        }
        return text.toString();
    }

    /**
     * A configuration judged by the targets the verdict holds the subject to: its least saving over
     * the baselines and its mean Rank-1 against the accuracy baseline.
     */
    record TargetCheck(String name, double leastSaving, double rank1Delta, boolean savingMet, boolean rank1Met) {
        boolean met() {
            return savingMet && rank1Met;
        }

        /** How far from meeting both, as a fraction (saving missed plus Rank-1 missed); 0 when both are met. */
        double shortfall(ComparisonPlan plan) {
            return Math.max(0, plan.savingTarget() - leastSaving) + Math.max(0, -plan.rank1Tolerance() - rank1Delta);
        }

        String describe() {
            return String.format(Locale.ROOT, "%s (%.1f %% saved, %+.1f points Rank-1)", name, 100 * leastSaving,
                    100 * rank1Delta);
        }
    }

    /** Empty when a baseline or the accuracy baseline was not run. */
    static Optional<TargetCheck> targetCheck(ComparisonPlan plan, List<Result> results, Result result) {
        Optional<Result> reference = find(results, plan.accuracyBaseline());
        if (reference.isEmpty() || plan.baselines().isEmpty()) {
            return Optional.empty();
        }
        double least = Double.POSITIVE_INFINITY;
        for (String name : plan.baselines()) {
            Optional<Result> baseline = find(results, name);
            if (baseline.isEmpty()) {
                return Optional.empty();
            }
            least = Math.min(least, saving(result, baseline.get()));
        }
        double delta = result.rank1() - reference.get().rank1();
        return Optional.of(new TargetCheck(result.entry().name(), least, delta, savingMet(plan, least),
                rank1Met(plan, delta)));
    }

    private static boolean savingMet(ComparisonPlan plan, double saving) {
        return saving >= plan.savingTarget();
    }

    /** Within the tolerance; the epsilon keeps a difference of exactly the tolerance from failing on rounding. */
    private static boolean rank1Met(ComparisonPlan plan, double rank1Delta) {
        return rank1Delta >= -plan.rank1Tolerance() - 1e-12;
    }
}

package org.fedklpr.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Run and comparison folders written by hand in the published formats, for the report tests. */
final class ReportFixtures {
    private ReportFixtures() {
    }

    /** Three sites, rounds 0–3, FedKLPR-like rows (pruning ratio, weights, CRR actions); one site unscored in round 2. */
    static Path run(Path folder, String name, boolean finished) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("config.json"), """
                {"experiment_id": "x", "experiment": {"name": "%s", "rounds": 3, "aggregator": "klpwa"},
                 "clients": [{"clientId": "market"}, {"clientId": "duke"}, {"clientId": "cuhk<03>"}],
                 "settings": {"org.fedklpr.coordinator": {"aggregator": "klpwa"}}}
                """.formatted(name), StandardCharsets.UTF_8);
        StringBuilder rows = new StringBuilder();
        String[] sites = {"market", "duke", "cuhk<03>"};
        for (int round = 0; round <= 3; round++) {
            for (int s = 0; s < sites.length; s++) {
                boolean unscored = round == 2 && s == 2;
                double rank1 = 0.1 + 0.15 * round + 0.05 * s;
                rows.append(String.format(Locale.ROOT, "{\"round\":%d,\"client\":\"%s\",\"rank1\":%s,\"rank5\":0.5,"
                        + "\"rank10\":0.6,\"mAP\":%s,\"loss\":%s,\"bytes_up\":%d,\"bytes_down\":%d,\"aggregator\":"
                        + "\"klpwa\",\"seconds\":1.5,\"samples\":40,\"status\":\"%s\",\"queries\":20%s%s%s}\n", round,
                        sites[s].replace("\"", "\\\""), unscored ? "null" : Double.toString(rank1),
                        unscored ? "null" : Double.toString(rank1 / 2), round == 0 ? "null" : Double.toString(3.0 / round),
                        round == 0 ? 0 : 1_500_000, round == 0 ? 0 : 2_000_000, round == 0 ? "initial" : "trained",
                        round == 0 ? "" : ",\"pruning_ratio\":" + 0.1 * round, round == 0 ? "" : ",\"weight\":"
                                + (s + 1) / 6.0, round == 0 ? "" : ",\"crr_action\":\"" + (round < 2 ? "warmup"
                                        : "prune") + "\""));
            }
        }
        Files.writeString(folder.resolve("metrics.jsonl"), rows, StandardCharsets.UTF_8);
        if (finished) {
            Files.writeString(folder.resolve("summary.json"), "{\"status\": \"finished\", \"seconds\": 12.5}\n",
                    StandardCharsets.UTF_8);
        }
        return folder;
    }

    /** A comparison of two configurations, two seeds each, as ComparisonReport writes comparison.json. */
    static Path comparison(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path a = run(folder.resolve("FedPav-seed1"), "FedPav", true);
        Path b = run(folder.resolve("FedKLPR-seed1"), "FedKLPR", true);
        Files.writeString(folder.resolve("comparison.json"), """
                {"subject": "FedKLPR", "baselines": ["FedPav"], "command_line": [],
                 "configurations": [
                  {"name": "FedPav", "description": "FedPav baseline", "settings": {},
                   "runs": [{"run_directory": "%s", "rank1": 0.5}], "rank1": 0.50, "rank1_std": 0.02, "mAP": 0.30,
                   "pooled_rank1": 0.49, "pooled_mAP": null, "on_pareto_front": false, "bytes_up": 9e6,
                   "bytes_down": 12e6, "mb_total": 21.0, "seconds": 30, "saving_vs_FedPav": 0.0,
                   "series": [{"round": 0, "mean_rank1": 0.1, "mean_mAP": 0.05, "cumulative_mb": 0},
                              {"round": 1, "mean_rank1": 0.3, "mean_mAP": 0.2, "cumulative_mb": 10.5},
                              {"round": 2, "mean_rank1": 0.5, "mean_mAP": 0.3, "cumulative_mb": 21.0}]},
                  {"name": "FedKLPR", "description": "pruned <and> weighted", "settings": {},
                   "runs": [{"run_directory": "%s", "rank1": 0.52}], "rank1": 0.52, "rank1_std": 0.03, "mAP": 0.31,
                   "pooled_rank1": 0.50, "pooled_mAP": 0.30, "on_pareto_front": true, "bytes_up": 5e6,
                   "bytes_down": 8e6, "mb_total": 13.0, "seconds": 35, "saving_vs_FedPav": 0.38,
                   "series": [{"round": 0, "mean_rank1": 0.1, "mean_mAP": 0.05, "cumulative_mb": 0},
                              {"round": 1, "mean_rank1": 0.35, "mean_mAP": 0.2, "cumulative_mb": 7.0},
                              {"round": 2, "mean_rank1": 0.52, "mean_mAP": 0.31, "cumulative_mb": 13.0}]}],
                 "rank1_difference": {"against": "FedPav", "rank1_points_by_seed": [2.0, 1.5],
                   "standard_error_points": 0.25},
                 "verdict": "FedKLPR sends 38 %% fewer bytes at +2 points of Rank-1 (SE 0.25)."}
                """.formatted(a, b), StandardCharsets.UTF_8);
        return folder;
    }
}

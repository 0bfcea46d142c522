package org.fedklpr.api.federation;

import java.util.List;

/**
 * The services an experiment asks of every site, by name. A site checks that it has them when the
 * experiment starts, before any round runs (and again when a swap between rounds names others), so
 * that a misspelt objective is reported at once rather than after round 0's evaluation.
 *
 * <p>A check reports one problem per line. A line about one of these requirements starts with its
 * name and a colon ({@code objectives: no objective named 'kl' ...}; the names are
 * {@link #DATASET_FORMAT}, {@link #OBJECTIVES}, {@link #PRUNER}, {@link #PRUNING_CONTROLLER},
 * {@link #ARCHITECTURE}, {@link #PRETRAINED_WEIGHTS}, {@link #UPDATE_COMPRESSION} and {@link #PSEUDO_LABELS}),
 * so that the coordinator can name the setting the user wrote; a line about the site's own
 * configuration starts with {@code <pid>:<key>=<value>:}.
 *
 * @param datasetFormat the layout the site's data is read with
 * @param objectives the local objectives it trains with
 * @param pruning its pruner and pruning controller, or {@link TrainingTask.Pruning#NONE}
 * @param architecture the backbone its engine must build
 * @param pretrainedWeights the file of weights the starting model is built from, or blank; a site
 *        that may be asked to build the starting model must have it
 * @param updateCompression the update compression it sends through, or blank
 * @param pseudoLabeller the pseudo-labeller of unsupervised training, or blank (training with labels)
 */
public record SiteRequirements(String datasetFormat, List<String> objectives, TrainingTask.Pruning pruning,
        String architecture, String pretrainedWeights, String updateCompression, String pseudoLabeller) {
    public static final String ARCHITECTURE = "architecture";
    public static final String PRETRAINED_WEIGHTS = "pretrainedWeights";
    public static final String DATASET_FORMAT = "datasetFormat";
    public static final String OBJECTIVES = "objectives";
    public static final String PRUNER = "pruner";
    public static final String PRUNING_CONTROLLER = "pruningController";
    public static final String UPDATE_COMPRESSION = "updateCompression";
    public static final String PSEUDO_LABELS = "pseudoLabels";

    /** Requirements without update compression. */
    public SiteRequirements(String datasetFormat, List<String> objectives, TrainingTask.Pruning pruning,
            String architecture, String pretrainedWeights) {
        this(datasetFormat, objectives, pruning, architecture, pretrainedWeights, "", "");
    }

    /** Requirements of training with labels. */
    public SiteRequirements(String datasetFormat, List<String> objectives, TrainingTask.Pruning pruning,
            String architecture, String pretrainedWeights, String updateCompression) {
        this(datasetFormat, objectives, pruning, architecture, pretrainedWeights, updateCompression, "");
    }

    public SiteRequirements {
        updateCompression = updateCompression == null ? "" : updateCompression.strip();
        pseudoLabeller = pseudoLabeller == null ? "" : pseudoLabeller.strip();
        objectives = List.copyOf(objectives);
    }
}

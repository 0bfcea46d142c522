package org.fedklpr.loss.capr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fedklpr.api.Names;
import org.fedklpr.api.objective.LocalObjective;
import org.fedklpr.api.objective.ProxyBatch;
import org.fedklpr.api.objective.ProxyMemory;
import org.fedklpr.api.objective.TrainingStep;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * FedCAPR's camera-aware proxy loss (our reading of its code; docs/ALGORITHMS.md), on the
 * L2-normalised embeddings {@code f} of a batch and the site's proxy memory {@code M}, with
 * similarities {@code s_ip = f_i · M_p / τ}:
 * <ul>
 * <li>intra-camera: for each camera {@code c} in the batch, the cross-entropy of each image of
 * {@code c} over the proxies of {@code c}, its own proxy the target, averaged over those images;
 * summed over cameras and weighted {@code intraWeight};</li>
 * <li>inter-camera association: for each image, a softmax over the proxies of its pseudo-identity
 * (in every camera) and the {@code hardNegatives} other proxies most similar to it, the target
 * spread evenly over the former; the cross-entropy averaged per camera, summed, weighted
 * {@code interWeight}.</li>
 * </ul>
 * The memory is a constant in the loss; after each step every image's proxy follows its feature
 * ({@link ProxyMemory#follow}, momentum {@code momentum}), one image after another in batch order.
 * Hard negatives are chosen with the memory as the step found it.
 */
@Component(configurationPid = CameraAwareProxyLoss.PID, property = Names.SERVICE_NAME + "=" + CameraAwareProxyLoss.NAME)
@Designate(ocd = CameraAwareProxyLoss.Config.class)
public final class CameraAwareProxyLoss implements LocalObjective {
    static final String PID = "org.fedklpr.loss.capr";
    static final String NAME = "capr";
    /**
     * Added to the logits of proxies outside a softmax: they get probability 0 and no gradient,
     * and {@code 0 · log p} stays 0 (an infinite offset would give NaN).
     */
    private static final float LEFT_OUT = -1e9f;

    @ObjectClassDefinition(name = "FedKLPR camera-aware proxy loss (FedCAPR)")
    @interface Config {
        @AttributeDefinition(description = "Weight of the intra-camera proxy cross-entropy", min = "0")
        double intraWeight() default 0.6;

        @AttributeDefinition(description = "Weight of the inter-camera associate loss", min = "0")
        double interWeight() default 0.7;

        @AttributeDefinition(description = "Temperature τ of the similarities to proxies", min = "0.0001")
        double temperature() default 0.07;

        @AttributeDefinition(description = "Hardest negative proxies in the associate loss", min = "1")
        int hardNegatives() default 50;

        @AttributeDefinition(description = "Memory momentum: a proxy keeps this share of itself at each of its images",
                min = "0", max = "1")
        double momentum() default 0.2;
    }

    private final float intraWeight;
    private final float interWeight;
    private final float temperature;
    private final int hardNegatives;
    private final float momentum;

    @Activate
    public CameraAwareProxyLoss(Config config) {
        this(config.intraWeight(), config.interWeight(), config.temperature(), config.hardNegatives(),
                config.momentum());
    }

    CameraAwareProxyLoss(double intraWeight, double interWeight, double temperature, int hardNegatives,
            double momentum) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException(PID + ": temperature must be positive, got " + temperature);
        }
        if (hardNegatives < 1) {
            throw new IllegalArgumentException(PID + ": hardNegatives must be at least 1, got " + hardNegatives);
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(PID + ": momentum must be in [0, 1], got " + momentum);
        }
        this.intraWeight = (float) intraWeight;
        this.interWeight = (float) interWeight;
        this.temperature = (float) temperature;
        this.hardNegatives = hardNegatives;
        this.momentum = (float) momentum;
    }

    @Override
    public NDArray loss(TrainingStep step) {
        ProxyBatch batch = proxiesOf(step);
        ProxyMemory memory = batch.memory();
        int[] proxies = batch.proxies();
        int images = proxies.length;
        int count = memory.size();
        NDManager manager = step.embeddings().getManager();
        NDArray features = normalised(step.embeddings());
        NDArray bank = manager.create(memory.rows(), new Shape(count, memory.dim()));
        NDArray similarities = features.matMul(bank.transpose());
        float[] values = similarities.toFloatArray();

        Map<Integer, Integer> imagesOfCamera = new HashMap<>();
        for (int proxy : proxies) {
            imagesOfCamera.merge(memory.camera(proxy), 1, Integer::sum);
        }
        Map<Integer, List<Integer>> proxiesOfCluster = new HashMap<>();
        for (int p = 0; p < count; p++) {
            proxiesOfCluster.computeIfAbsent(memory.cluster(p), key -> new ArrayList<>()).add(p);
        }
        float[] intraOffsets = new float[images * count];
        float[] intraTargets = new float[images * count];
        float[] interOffsets = new float[images * count];
        float[] interTargets = new float[images * count];
        for (int i = 0; i < images; i++) {
            int camera = memory.camera(proxies[i]);
            float share = 1f / imagesOfCamera.get(camera);
            int row = i * count;
            for (int p = 0; p < count; p++) {
                intraOffsets[row + p] = memory.camera(p) == camera ? 0 : LEFT_OUT;
                interOffsets[row + p] = LEFT_OUT;
            }
            intraTargets[row + proxies[i]] = intraWeight * share;
            List<Integer> positives = proxiesOfCluster.get(memory.cluster(proxies[i]));
            for (int p : positives) {
                interOffsets[row + p] = 0;
                interTargets[row + p] = interWeight * share / positives.size();
            }
            for (int p : hardestNegatives(values, row, count, memory, memory.cluster(proxies[i]))) {
                interOffsets[row + p] = 0;
            }
        }
        Shape shape = new Shape(images, count);
        NDArray logits = similarities.div(temperature);
        NDArray intra = logits.add(manager.create(intraOffsets, shape)).logSoftmax(1)
                .mul(manager.create(intraTargets, shape));
        NDArray inter = logits.add(manager.create(interOffsets, shape)).logSoftmax(1)
                .mul(manager.create(interTargets, shape));
        return intra.add(inter).sum().neg();
    }

    /**
     * The proxies of other pseudo-identities most similar to image {@code i} (similarities in
     * {@code values} from {@code row}), most similar first, ties to the lower index; all of them when
     * there are fewer than {@code hardNegatives}.
     */
    private int[] hardestNegatives(float[] values, int row, int count, ProxyMemory memory, int cluster) {
        List<Integer> negatives = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            if (memory.cluster(p) != cluster) {
                negatives.add(p);
            }
        }
        negatives.sort((a, b) -> {
            int bySimilarity = Float.compare(values[row + b], values[row + a]);
            return bySimilarity != 0 ? bySimilarity : Integer.compare(a, b);
        });
        return negatives.subList(0, Math.min(hardNegatives, negatives.size())).stream().mapToInt(Integer::intValue)
                .toArray();
    }

    /** Each image's proxy follows the image's feature, one image after another in batch order. */
    @Override
    public void stepTaken(TrainingStep step) {
        ProxyBatch batch = proxiesOf(step);
        float[][] features = rows(normalised(step.embeddings()));
        for (int i = 0; i < features.length; i++) {
            batch.memory().follow(batch.proxies()[i], features[i], momentum);
        }
    }

    private static ProxyBatch proxiesOf(TrainingStep step) {
        if (step.proxies() == null) {
            throw new IllegalStateException("the '" + NAME + "' loss trains on pseudo-identities and their proxies,"
                    + " which only unsupervised training makes: set pseudoLabels (for example to dbscan)");
        }
        return step.proxies();
    }

    private static NDArray normalised(NDArray embeddings) {
        return embeddings.div(embeddings.square().sum(new int[] {1}, true).maximum(1e-24f).sqrt());
    }

    private static float[][] rows(NDArray matrix) {
        int count = Math.toIntExact(matrix.getShape().get(0));
        int dim = Math.toIntExact(matrix.getShape().get(1));
        float[] flat = matrix.toFloatArray();
        float[][] rows = new float[count][dim];
        for (int i = 0; i < count; i++) {
            System.arraycopy(flat, i * dim, rows[i], 0, dim);
        }
        return rows;
    }
}

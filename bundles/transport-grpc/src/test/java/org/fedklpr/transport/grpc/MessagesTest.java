package org.fedklpr.transport.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fedklpr.api.eval.ReidMetrics;
import org.fedklpr.api.federation.ClientInfo;
import org.fedklpr.api.federation.NetworkSpec;
import org.fedklpr.api.federation.SiteRequirements;
import org.fedklpr.api.federation.TrainingSettings;
import org.fedklpr.api.federation.TrainingTask;
import org.fedklpr.api.model.ModelMask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.Tensor;
import org.fedklpr.api.model.TensorScope;
import org.junit.jupiter.api.Test;

class MessagesTest {
    @Test
    void whatTheCoordinatorTellsASiteArrivesAsItWasMeant() {
        NetworkSpec spec = new NetworkSpec("resnet50", 256, 128, 2048, 751, 7, "/weights/imagenet.npz");
        assertEquals(spec, Messages.network(Messages.network(spec)));

        ModelState global = ModelState.of(Map.of("backbone.w", new Tensor(new int[] {2}, new float[] {1, 2})));
        TrainingTask task = new TrainingTask(4, global, null, TensorScope.BACKBONE,
                new TrainingSettings(2, 32, "adam", 3.5e-4f, 10, 0.9f, 5e-4f, 4, 123L, 0.5f),
                List.of("identity-ce", "kll"), new TrainingTask.Pruning("magnitude", "crr"), 0.5, Set.of("klaw"));
        TrainingTask arrived = Messages.train(Messages.train(task), global, (ModelMask) null);
        assertEquals(task, arrived);
        TrainingTask plain = new TrainingTask(1, global, TensorScope.WHOLE_MODEL,
                new TrainingSettings(1, 16, "sgd", 0.01f, 1, 0.9f, 0, 0, 1), List.of("identity-ce"));
        assertSame(TrainingTask.Pruning.NONE, Messages.train(Messages.train(plain), global, null).pruning());
        TrainingTask compressed = new TrainingTask(2, global, null, TensorScope.BACKBONE,
                new TrainingSettings(1, 16, "sgd", 0.01f, 1, 0.9f, 0, 0, 1), List.of("identity-ce"),
                TrainingTask.Pruning.NONE, 1.0, Set.of(), "topk");
        assertEquals(compressed, Messages.train(Messages.train(compressed), global, null));

        SiteRequirements requirements = new SiteRequirements("fedreid", List.of("identity-ce", "triplet"),
                new TrainingTask.Pruning("magnitude", "crr"), "resnet18", "");
        assertEquals(requirements, Messages.check(Messages.check(requirements)));
        SiteRequirements compressing = new SiteRequirements("market1501", List.of("identity-ce"),
                TrainingTask.Pruning.NONE, "tiny-cnn", "public", "topk");
        assertEquals(compressing, Messages.check(Messages.check(compressing)));
        TrainingTask sharedMask = new TrainingTask(5, global, null, TensorScope.BACKBONE,
                new TrainingSettings(1, 16, "sgd", 0.01f, 1, 0.9f, 0, 0, 1), List.of("identity-ce"),
                new TrainingTask.Pruning("magnitude", "crr", true), 1.0, Set.of("klaw"));
        assertEquals(sharedMask, Messages.train(Messages.train(sharedMask), global, null));
        SiteRequirements shared = new SiteRequirements("market1501", List.of("identity-ce"),
                new TrainingTask.Pruning("magnitude", "crr", true), "tiny-cnn", "");
        assertEquals(shared, Messages.check(Messages.check(shared)));
        TrainingTask unsupervised = new TrainingTask(2, global, null, TensorScope.BACKBONE,
                new TrainingSettings(5, 32, "adam", 3.5e-4f, 1, 0, 5e-4f, 4, 9), List.of("capr", "cosine-reg"),
                TrainingTask.Pruning.NONE, 1.0, Set.of("cdw"), "", "dbscan");
        assertEquals(unsupervised, Messages.train(Messages.train(unsupervised), global, null));
        SiteRequirements unlabelled = new SiteRequirements("market1501", List.of("capr"), TrainingTask.Pruning.NONE,
                "resnet50", "", "", "dbscan");
        assertEquals(unlabelled, Messages.check(Messages.check(unlabelled)));
    }

    @Test
    void whatASiteAnswersArrivesUnderTheNameItAuthenticatedAs() {
        ClientInfo info = new ClientInfo("market", "Market-1501", 12936, 751, 3368, 19732, 2);
        ClientInfo arrived = Messages.info("market", Messages.info(info));
        assertEquals(info, arrived);
        assertEquals("market", Messages.info("market", Messages.info(new ClientInfo("duke", "x", 1, 1, 1, 1, 0)))
                .clientId(), "a site cannot describe itself as another");

        ReidMetrics metrics = new ReidMetrics(0.9, 0.95, 0.97, 0.8, 0.79, 3368, 0);
        assertEquals(metrics, Messages.scores(Messages.scores(metrics)));
    }
}

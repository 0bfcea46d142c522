package org.fedklpr.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BackboneTrainerTest {
    @Test
    void theLearningRateDropsToATenthForTheLastThirdOfTheEpochs() {
        BackboneTrainer.Settings settings = new BackboneTrainer.Settings(40, 32, 0.05f, 0.9f, 5e-4f, 1, 5);
        assertEquals(27, settings.decayEpoch());
        assertEquals(0.05f, settings.learningRate(26));
        assertEquals(0.005f, settings.learningRate(27));
    }
}

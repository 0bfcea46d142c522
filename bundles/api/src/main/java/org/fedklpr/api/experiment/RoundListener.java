package org.fedklpr.api.experiment;

/**
 * Whiteboard service told about every round as it completes (round 0 is the evaluation of the
 * initial model). Called on the experiment's thread: the next round starts after it returns, which
 * makes it the place to change the configuration "between rounds".
 */
public interface RoundListener {

    void roundCompleted(RoundRecord record);
}

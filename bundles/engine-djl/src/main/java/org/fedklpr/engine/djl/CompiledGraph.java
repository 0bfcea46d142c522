package org.fedklpr.engine.djl;

import java.util.List;

import ai.djl.mxnet.engine.MxNDManager;
import ai.djl.mxnet.engine.MxSymbolBlock;
import ai.djl.mxnet.engine.Symbol;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * A {@link SymbolGraph} that MXNet runs as one cached operator, on the blocks' own parameter arrays.
 *
 * <p>Why: run operator by operator, MXNet keeps every intermediate array that autograd may need
 * until the step ends, and both of an activation's input and output; as a graph, its memory
 * planner shares buffers between what is no longer needed and runs activations in place. A
 * ResNet-50 training step at 256x128, batch 32, peaked at 7.3 GB one way and 2.8 GB the other
 * (docs/BENCHMARKS.md). The operator keeps its planned buffers between calls (DJL's static
 * allocation), so they are allocated once per network, not once per step.
 */
final class CompiledGraph {
    private final MxSymbolBlock block;

    /** @param manager owns the graph and its buffers: the network's, not a round's or a step's */
    CompiledGraph(NDManager manager, SymbolGraph graph, int output) {
        Symbol symbol = Symbol.loadJson((MxNDManager) manager, graph.json(output));
        block = new MxSymbolBlock(manager, symbol);
        block.setInputNames(List.of(SymbolGraph.INPUT));
        List<Parameter> weights = graph.parameters();
        for (Parameter slot : block.getAllParameters()) {
            if (!slot.getName().equals(SymbolGraph.INPUT)) {
                // The slot shares the block's array: the graph trains, and is constrained and
                // written through, the very arrays the network reads and writes.
                slot.setArray(weights.get(Integer.parseInt(slot.getName().substring(1))).getArray());
            }
        }
    }

    /**
     * Runs the graph. Batch norm uses batch statistics and updates its running ones when autograd
     * is recording in training mode (inside a gradient collector), its running ones otherwise.
     */
    NDList forward(ParameterStore store, NDList inputs, boolean training) {
        return block.forward(store, inputs, training);
    }
}

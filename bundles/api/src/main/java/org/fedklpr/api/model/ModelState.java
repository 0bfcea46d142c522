package org.fedklpr.api.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a model (or of the part of it that travels) as named tensors, in a stable order.
 * Names follow the network's structure ({@code backbone.conv1.weight}); the identity classifier's
 * tensors start with {@link org.fedklpr.api.Names#HEAD_PREFIX}.
 */
public final class ModelState {
    private static final ModelState EMPTY = new ModelState(Map.of());

    private final Map<String, Tensor> tensors;

    private ModelState(Map<String, Tensor> tensors) {
        this.tensors = tensors;
    }

    /** A state holding these tensors, in the iteration order of {@code tensors}. */
    public static ModelState of(Map<String, Tensor> tensors) {
        return new ModelState(Collections.unmodifiableMap(new LinkedHashMap<>(tensors)));
    }

    public static ModelState empty() {
        return EMPTY;
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public Set<String> names() {
        return tensors.keySet();
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /** The tensor called {@code name}; an error naming it if there is none. */
    public Tensor tensor(String name) {
        Tensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new IllegalArgumentException("model state has no tensor '" + name + "'");
        }
        return tensor;
    }

    public boolean isEmpty() {
        return tensors.isEmpty();
    }

    /** The tensors {@code scope} includes, in the same order. */
    public ModelState select(TensorScope scope) {
        Map<String, Tensor> selected = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> {
            if (scope.includes(name)) {
                selected.put(name, tensor);
            }
        });
        return selected.size() == tensors.size() ? this : of(selected);
    }

    /** This state with the tensors of {@code update} replacing (or adding to) its own. */
    public ModelState with(ModelState update) {
        Map<String, Tensor> merged = new LinkedHashMap<>(tensors);
        merged.putAll(update.tensors);
        return of(merged);
    }

    /** Total number of scalar values. */
    public long elementCount() {
        long count = 0;
        for (Tensor tensor : tensors.values()) {
            count += tensor.size();
        }
        return count;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelState s && tensors.equals(s.tensors);
    }

    @Override
    public int hashCode() {
        return tensors.hashCode();
    }

    @Override
    public String toString() {
        return "ModelState" + tensors;
    }
}

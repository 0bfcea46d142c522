package org.fedklpr.api.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The weights of a model (or of the part of it that travels) as named tensors, in a stable order.
 * Names follow the network's structure ({@code backbone.conv1.weight}); the identity classifier's
 * tensors start with {@link org.fedklpr.api.Names#HEAD_PREFIX}.
 */
public final class ModelState {
    private static final ModelState EMPTY = new ModelState(Map.of(), null);

    private final Map<String, Tensor> tensors;
    /** The shapes of a state {@linkplain #readOnDemand read on demand}; {@code null} for one in memory. */
    private final Map<String, int[]> shapes;

    private ModelState(Map<String, Tensor> tensors, Map<String, int[]> shapes) {
        this.tensors = tensors;
        this.shapes = shapes;
    }

    /** A state holding these tensors, in the iteration order of {@code tensors}. */
    public static ModelState of(Map<String, Tensor> tensors) {
        return new ModelState(Collections.unmodifiableMap(new LinkedHashMap<>(tensors)), null);
    }

    /**
     * A state whose values stay where {@code reader} reads them from (a file, say) and are read each
     * time a tensor is asked for, never kept: so that a coordinator can hold a round's updates without
     * holding their values, and an aggregator going through them a tensor at a time holds one tensor
     * of each. Names and shapes are known without reading. {@link #select} keeps the state on demand;
     * {@link #with} and {@link #inMemory} read it.
     *
     * @param shapes every tensor's shape, in order
     * @param reader reads one tensor of {@code shapes}; the same values every time
     */
    public static ModelState readOnDemand(Map<String, int[]> shapes, Function<String, Tensor> reader) {
        Map<String, int[]> copy = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> copy.put(name, shape.clone()));
        Map<String, int[]> fixed = Collections.unmodifiableMap(copy);
        return new ModelState(new OnDemand(fixed, reader), fixed);
    }

    public static ModelState empty() {
        return EMPTY;
    }

    /** The tensors; for a state read on demand, each value is read as it is asked for. */
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

    /** The shape of the tensor called {@code name}, without reading its values; an error naming it if there is none. */
    public int[] shape(String name) {
        if (shapes == null) {
            return tensor(name).shape();
        }
        int[] shape = shapes.get(name);
        if (shape == null) {
            throw new IllegalArgumentException("model state has no tensor '" + name + "'");
        }
        return shape.clone();
    }

    public boolean isEmpty() {
        return tensors.isEmpty();
    }

    /** Whether the values are read on demand (see {@link #readOnDemand}). */
    public boolean isOnDemand() {
        return shapes != null;
    }

    /** This state with every value in memory: itself when they already are. */
    public ModelState inMemory() {
        return shapes == null ? this : of(tensors);
    }

    /** The tensors {@code scope} includes, in the same order. */
    public ModelState select(TensorScope scope) {
        if (shapes != null) {
            Map<String, int[]> selected = new LinkedHashMap<>();
            shapes.forEach((name, shape) -> {
                if (scope.includes(name)) {
                    selected.put(name, shape);
                }
            });
            return selected.size() == shapes.size() ? this : readOnDemand(selected, ((OnDemand) tensors).reader);
        }
        Map<String, Tensor> selected = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> {
            if (scope.includes(name)) {
                selected.put(name, tensor);
            }
        });
        return selected.size() == tensors.size() ? this : of(selected);
    }

    /** This state with the tensors of {@code update} replacing (or adding to) its own, all in memory. */
    public ModelState with(ModelState update) {
        Map<String, Tensor> merged = new LinkedHashMap<>(tensors);
        merged.putAll(update.tensors);
        return of(merged);
    }

    /** Total number of scalar values (from the shapes: nothing is read). */
    public long elementCount() {
        long count = 0;
        for (String name : names()) {
            count += Tensor.elementCount(shape(name));
        }
        return count;
    }

    /** The tensors of a state read on demand: names and shapes known, values read at each request. */
    private static final class OnDemand extends AbstractMap<String, Tensor> {
        private final Map<String, int[]> shapes;
        private final Function<String, Tensor> reader;

        OnDemand(Map<String, int[]> shapes, Function<String, Tensor> reader) {
            this.shapes = shapes;
            this.reader = reader;
        }

        @Override
        public Tensor get(Object name) {
            if (!shapes.containsKey(name)) {
                return null;
            }
            Tensor tensor = reader.apply((String) name);
            if (!Arrays.equals(tensor.shape(), shapes.get(name))) {
                throw new IllegalStateException("tensor '" + name + "' was read with shape " + tensor.shapeText()
                        + ", but its state says " + Arrays.toString(shapes.get(name)));
            }
            return tensor;
        }

        @Override
        public boolean containsKey(Object name) {
            return shapes.containsKey(name);
        }

        @Override
        public Set<String> keySet() {
            return shapes.keySet();
        }

        @Override
        public int size() {
            return shapes.size();
        }

        @Override
        public Set<Map.Entry<String, Tensor>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<String, Tensor>> iterator() {
                    Iterator<String> names = shapes.keySet().iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return names.hasNext();
                        }

                        @Override
                        public Map.Entry<String, Tensor> next() {
                            String name = names.next();
                            return new AbstractMap.SimpleImmutableEntry<>(name, get(name));
                        }
                    };
                }

                @Override
                public int size() {
                    return shapes.size();
                }
            };
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("{");
            shapes.forEach((name, shape) -> text.append(text.length() > 1 ? ", " : "").append(name).append('=')
                    .append("Tensor").append(Arrays.toString(shape)));
            return text.append(" (read on demand)}").toString();
        }
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

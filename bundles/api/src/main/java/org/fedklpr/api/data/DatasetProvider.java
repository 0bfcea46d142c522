package org.fedklpr.api.data;

import java.nio.file.Path;

/**
 * Reads one on-disk dataset layout (Market-1501, MSMT17, ...). Registered with
 * {@code fedklpr.name} = the layout's name, which configuration uses as the dataset format.
 */
public interface DatasetProvider {

    /**
     * Reads the dataset under {@code root}. Files that do not belong (wrong names, not images) are
     * listed in {@link ReidDataset#skipped()}.
     *
     * @throws org.fedklpr.api.FedklprException if the folder is missing, unreadable, or has no usable
     *         images where the layout needs some; the message names the folder and what was expected
     */
    ReidDataset load(Path root);

    /**
     * Whether {@code root} looks like this layout (its folders and list files are there), without
     * reading every file: used to detect the format of a folder.
     */
    default boolean recognises(Path root) {
        return false;
    }

    /** One line saying what this layout looks like on disk, for messages that list the known layouts. */
    default String describe() {
        return getClass().getSimpleName();
    }
}

package org.fedklpr.api.data;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Lists a plain folder of pedestrian images, reading person and camera from the names as the dataset
 * readers do: one owner of the file-name conventions for both.
 */
@ProviderType
public interface ImageFolderReader {

    /**
     * @throws org.fedklpr.api.FedklprException if the folder is missing or holds no image, naming it
     */
    ImageFolder read(Path folder);
}

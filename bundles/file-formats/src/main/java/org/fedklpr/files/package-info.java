/**
 * The files the platform exchanges with other systems, one owner for each format: NumPy
 * {@code .npz} archives of weights ({@link org.fedklpr.files.NpzReader}, {@link org.fedklpr.files.NpzWriter}),
 * an exported model with its manifest ({@link org.fedklpr.files.ExportedModel}) and re-ID feature
 * tables ({@link org.fedklpr.files.FeatureCsv}). Plain Java: a coordinator without a learning engine
 * can write them.
 */
@Export
@Version("1.0.0")
package org.fedklpr.files;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * The learning engine: builds re-ID networks, decodes images for them, trains them locally and
 * extracts embeddings; parameters go in and out as {@link org.fedklpr.api.model.ModelState}.
 */
@Export
@Version("4.3.0")
package org.fedklpr.api.engine;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;


/**
 * Re-ID datasets: labelled images split into train, query and gallery, the providers that read
 * them from disk, and the generators that write synthetic ones.
 */
@Export
@Version("1.2.0")
package org.fedklpr.api.data;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

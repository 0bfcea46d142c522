/** Aggregation strategies: how the server turns client updates into the next global model. */
@Export
@Version("1.1.0")
package org.fedklpr.api.aggregation;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

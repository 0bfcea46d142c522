/**
 * A directory of services by {@code fedklpr.name}, for components whose dynamic references must
 * survive providers coming and going (hot swap) and whose configuration selects one by name.
 */
@Export
@Version("1.0.0")
package org.fedklpr.named;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/** Re-ID evaluation: ranking a gallery for each query and scoring it (CMC, mAP). */
@Export
@Version("1.3.0")
package org.fedklpr.api.eval;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

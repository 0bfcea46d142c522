/**
 * Names shared by every FedKLPR service: services are told apart by the {@value Names#SERVICE_NAME}
 * service property, and configuration selects them by that name.
 */
@Export
@Version("1.0.0")
package org.fedklpr.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

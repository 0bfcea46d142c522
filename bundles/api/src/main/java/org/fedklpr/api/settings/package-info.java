/**
 * Settings: configuration values as a user writes them (a feature file, {@code --set}, a comparison
 * plan, a Gogo command), checked against the metatype that the installed bundles declare before
 * anything uses them.
 */
@Export
@Version("1.1.0")
package org.fedklpr.api.settings;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

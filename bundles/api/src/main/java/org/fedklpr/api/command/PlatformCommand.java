package org.fedklpr.api.command;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A command of the {@code fedklpr} command line that a bundle contributes, registered with
 * {@code fedklpr.name} = the command's name. A runtime offers the commands of the bundles it holds:
 * the coordinator's, without a learning engine, has no {@code bench}.
 */
@ConsumerType
public interface PlatformCommand {

    /**
     * Runs the command; what it prints goes to standard output.
     *
     * @param arguments the command's operands, as the launcher checked them
     * @return the exit code: 0 done
     * @throws org.fedklpr.api.FedklprException for a mistake of the user's, with a message that names it
     */
    int run(List<String> arguments);
}

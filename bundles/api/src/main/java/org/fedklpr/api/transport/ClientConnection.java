package org.fedklpr.api.transport;

import org.fedklpr.api.federation.ClientEvaluation;
import org.fedklpr.api.federation.ClientInfo;
import org.fedklpr.api.federation.ClientUpdate;
import org.fedklpr.api.federation.NetworkSpec;
import org.fedklpr.api.federation.TrainingTask;
import org.fedklpr.api.model.ModelState;
import org.fedklpr.api.model.TensorScope;

/**
 * The coordinator's end of a link to one client. Mirrors
 * {@link org.fedklpr.api.federation.FederatedClient}, but every model crosses the wire.
 */
public interface ClientConnection extends AutoCloseable {

    String clientId();

    ClientInfo info();

    void prepare(NetworkSpec network, int labelOffset);

    /** The site's {@link org.fedklpr.api.federation.FederatedClient#initialModel}, as it arrived. */
    ModelState initialModel(NetworkSpec spec, TensorScope scope);

    /** Sends the task, returns the decoded update and the bytes of both directions. */
    Exchanged<ClientUpdate> train(TrainingTask task);

    /**
     * Has the client score {@code global}. Evaluation is how an experiment measures itself, not part
     * of the training protocol, so its traffic is reported apart from training traffic.
     */
    Exchanged<ClientEvaluation> evaluate(int round, ModelState global);

    /** Has the site save its between-rounds state: {@link org.fedklpr.api.federation.FederatedClient#checkpoint}. */
    void checkpoint(String experiment, int round);

    /** Has the site go back to a saved state: {@link org.fedklpr.api.federation.FederatedClient#restore}. */
    void restore(String experiment, int round);

    @Override
    void close();
}

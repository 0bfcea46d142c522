package org.fedklpr.shell;

import org.fedklpr.api.experiment.RoundListener;
import org.fedklpr.api.experiment.RoundRecord;
import org.osgi.service.component.annotations.Component;

/** Prints every completed round of this runtime's experiments to standard output. */
@Component
public final class ConsoleTable implements RoundListener {
    @Override
    public void roundCompleted(RoundRecord record) {
        if (record.round() == 0) {
            System.out.println(RoundTable.HEADER);
        }
        System.out.print(RoundTable.format(record));
        System.out.flush();
    }
}

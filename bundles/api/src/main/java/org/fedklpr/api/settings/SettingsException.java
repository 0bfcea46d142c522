package org.fedklpr.api.settings;

import java.util.List;

import org.fedklpr.api.FedklprException;

/**
 * Settings that cannot be used, every problem on its own line: each names where the value was
 * written, the PID, the key, the value and what was expected.
 */
public class SettingsException extends FedklprException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public SettingsException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}

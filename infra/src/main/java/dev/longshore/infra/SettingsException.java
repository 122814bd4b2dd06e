package dev.longshore.infra;

/** A fleet setting (CDK context value) that is missing or malformed; the message names the key and the value. */
public final class SettingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SettingsException(String message) {
        super(message);
    }
}

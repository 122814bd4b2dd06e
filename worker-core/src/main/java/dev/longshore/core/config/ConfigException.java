package dev.longshore.core.config;

/**
 * Invalid or missing configuration. The message is the single line printed on stderr before exit code 2:
 * it names the variable, the value given and what is expected, and never contains a secret.
 */
public final class ConfigException extends RuntimeException {
    private final String variable;

    public ConfigException(String variable, String message) {
        super(message);
        this.variable = variable;
    }

    public static ConfigException invalid(String variable, String given, String expected) {
        return new ConfigException(variable,
                "configuration error: " + variable + "=\"" + given + "\" is invalid: expected " + expected);
    }

    public static ConfigException missing(String variable, String expected) {
        return new ConfigException(variable,
                "configuration error: " + variable + " is not set: expected " + expected);
    }

    public String variable() {
        return variable;
    }
}

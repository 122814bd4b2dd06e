package dev.longshore.core.fleet;

import dev.longshore.core.config.ConfigException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * {@code WORKER_SSM_ENV_PARAMETER}: reads one SSM parameter (SecureString allowed, decrypted) holding {@code .env}
 * text, once at start, and lays the real environment over it: a variable set (non-blank) in the process
 * environment wins. Every problem is a {@link ConfigException} naming the variable and never a value: a malformed
 * line (with its number), a missing parameter, SSM refusing or unreachable (exit 2: the worker cannot know its
 * configuration, and a restart loop would only hammer SSM).
 *
 * <p>{@code AWS_*} lines are refused: the SDK reads those from the process environment only, so they could not
 * take effect and would mislead.
 */
public final class SsmEnvironment {
    public static final String VARIABLE = "WORKER_SSM_ENV_PARAMETER";
    private static final Logger log = LoggerFactory.getLogger(SsmEnvironment.class);

    private SsmEnvironment() {
    }

    /**
     * The effective environment: {@code environment} itself when {@code WORKER_SSM_ENV_PARAMETER} is unset, else
     * the parameter's variables with the real environment laid over them.
     *
     * @throws ConfigException for a parameter that cannot be read or parsed
     */
    public static Map<String, String> overlay(Map<String, String> environment) {
        return overlay(environment, AwsClients.standard());
    }

    static Map<String, String> overlay(Map<String, String> environment, AwsClients clients) {
        String name = environment.get(VARIABLE);
        if (name == null || name.isBlank()) {
            return environment;
        }
        name = name.trim();
        Map<String, String> fromSsm;
        try {
            fromSsm = DotEnv.parse(read(name, clients));
        } catch (DotEnv.ParseException e) {
            throw ConfigException.invalid(VARIABLE, name, "a parameter holding .env text (KEY=VALUE lines), but its "
                    + e.getMessage() + " (values are not shown)");
        }
        for (String key : fromSsm.keySet()) {
            if (DotEnv.sdkOnly(key)) {
                throw ConfigException.invalid(VARIABLE, name, "a parameter without AWS_* variables, but it sets " + key
                        + ", which the AWS SDK reads only from the process environment");
            }
        }
        Map<String, String> merged = new HashMap<>(fromSsm);
        int overridden = 0;
        for (Map.Entry<String, String> e : environment.entrySet()) {
            boolean realValue = e.getValue() != null && !e.getValue().isBlank();
            if (realValue && fromSsm.containsKey(e.getKey())) {
                overridden++;
            }
            if (realValue || !fromSsm.containsKey(e.getKey())) {
                merged.put(e.getKey(), e.getValue());
            }
        }
        log.info("read {} variable(s) from SSM parameter {}; {} of them overridden by the process environment",
                fromSsm.size(), name, overridden);
        return merged;
    }

    private static String read(String name, AwsClients clients) {
        try (SsmClient ssm = clients.newSsm()) {
            String value = ssm.getParameter(b -> b.name(name).withDecryption(true)).parameter().value();
            return value == null ? "" : value;
        } catch (ParameterNotFoundException e) {
            throw ConfigException.invalid(VARIABLE, name, "the name of an existing SSM parameter (SSM: ParameterNotFound)");
        } catch (SdkClientException e) {
            String message = ImdsInstanceMetadata.oneLine(e.getMessage());
            if (message.toLowerCase(java.util.Locale.ROOT).contains("unable to load region")) {
                throw ConfigException.missing("AWS_REGION",
                        "an AWS region such as us-east-1 to read " + VARIABLE + " (on EC2 it is read from instance metadata)");
            }
            throw unreadable(name, message);
        } catch (SdkException e) {
            throw unreadable(name, ImdsInstanceMetadata.oneLine(e.getMessage()));
        }
    }

    private static ConfigException unreadable(String name, String why) {
        String shortWhy = why.length() > 300 ? why.substring(0, 300) + "..." : why;
        return new ConfigException(VARIABLE, "configuration error: " + VARIABLE + "=\"" + name
                + "\" could not be read from SSM: " + shortWhy);
    }
}

package dev.longshore.core.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.longshore.core.config.ConfigException;
import dev.longshore.testkit.aws.AwsCall;
import dev.longshore.testkit.aws.FakeAws;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SSM's GetParameter through the real SDK client, pointed at the fake by an endpoint override. */
class SsmEnvironmentTest {
    private static final String PARAM = "/longshore/prod/worker.env";

    private FakeAws aws;

    @BeforeEach
    void start() {
        aws = FakeAws.start();
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private Map<String, String> overlay(Map<String, String> env) {
        return SsmEnvironment.overlay(env, AwsClients.at(aws.endpoint()));
    }

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put(SsmEnvironment.VARIABLE, PARAM);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void secureStringIsReadDecryptedAndLaidUnderTheEnvironment() {
        aws.ssm().putSecureString(PARAM, "WORKER_SMTP_PASSWORD=s3cret\nWORKER_CONCURRENCY=7\n");
        Map<String, String> effective = overlay(env("PATH", "/usr/bin"));
        assertEquals("s3cret", effective.get("WORKER_SMTP_PASSWORD"));
        assertEquals("7", effective.get("WORKER_CONCURRENCY"));
        assertEquals("/usr/bin", effective.get("PATH"));
        AwsCall call = aws.ssm().calls().get(0);
        assertEquals("GetParameter", call.action());
        assertEquals(PARAM, call.param("Name"));
        assertEquals("true", call.param("WithDecryption"));
    }

    @Test
    void realEnvironmentWinsButABlankValueDoesNotHideTheParameter() {
        aws.ssm().putString(PARAM, "WORKER_CONCURRENCY=7\nWORKER_DRAIN_TIMEOUT=3s\nWORKER_HEALTH_PORT=9000\n");
        Map<String, String> effective = overlay(env("WORKER_DRAIN_TIMEOUT", "4s", "WORKER_HEALTH_PORT", " "));
        assertEquals("7", effective.get("WORKER_CONCURRENCY"));
        assertEquals("4s", effective.get("WORKER_DRAIN_TIMEOUT"));
        assertEquals("9000", effective.get("WORKER_HEALTH_PORT"));
    }

    @Test
    void withoutTheVariableNothingIsReadAndTheEnvironmentIsUnchanged() {
        Map<String, String> env = Map.of("WORKER_QUEUE_URL", "http://q");
        assertSame(env, overlay(env));
        assertTrue(aws.ssm().calls().isEmpty());
    }

    @Test
    void malformedLineIsAConfigurationErrorNamingTheLineButNoValue() {
        aws.ssm().putSecureString(PARAM, "WORKER_A=1\n# ok\nhunter2-password-without-key\n");
        ConfigException e = assertThrows(ConfigException.class, () -> overlay(env()));
        assertEquals(SsmEnvironment.VARIABLE, e.variable());
        assertTrue(e.getMessage().startsWith("configuration error: WORKER_SSM_ENV_PARAMETER=\"" + PARAM + "\" is invalid"),
                e.getMessage());
        assertTrue(e.getMessage().contains("line 3 is not KEY=VALUE"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void missingParameterIsAConfigurationError() {
        ConfigException e = assertThrows(ConfigException.class, () -> overlay(env()));
        assertEquals(SsmEnvironment.VARIABLE, e.variable());
        assertTrue(e.getMessage().contains("ParameterNotFound"), e.getMessage());
    }

    @Test
    void awsVariablesInTheParameterAreRefusedBecauseTheSdkWouldIgnoreThem() {
        aws.ssm().putString(PARAM, "WORKER_A=1\nAWS_REGION=eu-west-1\n");
        ConfigException e = assertThrows(ConfigException.class, () -> overlay(env()));
        assertTrue(e.getMessage().contains("sets AWS_REGION"), e.getMessage());
        assertFalse(e.getMessage().contains("eu-west-1"), e.getMessage());
    }

    @Test
    void unreachableSsmIsAOneLineConfigurationError() throws Exception {
        ConfigException e = assertThrows(ConfigException.class,
                () -> SsmEnvironment.overlay(env(), AwsClients.at(Blackhole.refused())));
        assertTrue(e.getMessage().startsWith("configuration error: WORKER_SSM_ENV_PARAMETER=\"" + PARAM
                + "\" could not be read from SSM: "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}

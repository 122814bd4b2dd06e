package dev.longshore.testkit.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.SsmException;

class FakeSsmTest extends FakeAwsClientTest<SsmClient> {
    @Override
    protected SsmClient newClient() {
        return on(SsmClient.builder(), 2);
    }

    @BeforeEach
    void storeParameter() {
        aws.ssm().putString("/longshore/env", "A=1");
    }

    @Test
    void missingNameIsAValidationExceptionAndAnUnknownOneParameterNotFound() {
        SsmException e = assertThrows(SsmException.class, () -> client.getParameter(b -> b.withDecryption(true)));
        assertEquals(400, e.statusCode());
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertThrows(ParameterNotFoundException.class, () -> client.getParameter(b -> b.name("/longshore/none")));
        assertEquals("A=1", client.getParameter(b -> b.name("/longshore/env")).parameter().value());
    }

    @Test
    void injectedThrottlingIsRetriedUntilTheAttemptsRunOut() {
        aws.ssm().failNext("GetParameter", 1, 400, "ThrottlingException");
        assertEquals("A=1", client.getParameter(b -> b.name("/longshore/env")).parameter().value());
        aws.ssm().failNext("*", 2, 500, "InternalServerError");
        SsmException e = assertThrows(SsmException.class, () -> client.getParameter(b -> b.name("/longshore/env")));
        assertEquals("InternalServerError", e.awsErrorDetails().errorCode());
        assertEquals(4, aws.ssm().calls().size());
    }
}

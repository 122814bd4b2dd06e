package dev.longshore.core.fleet;

import dev.longshore.testkit.EmbeddedSqs;
import dev.longshore.testkit.WorkerProcess;
import dev.longshore.testkit.aws.FakeAws;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the tests that run a worker process against fake AWS endpoints: one ElasticMQ for the class, since
 * starting it takes seconds, and fresh fakes for each test, so no test sees another's calls. A test that starts
 * {@link #worker} leaves it here to be closed.
 */
abstract class FakeAwsWorkerProcessTest {
    protected static EmbeddedSqs sqs;
    protected FakeAws aws;
    protected WorkerProcess worker;

    @BeforeAll
    static void startSqs() {
        sqs = EmbeddedSqs.start();
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
    }

    @BeforeEach
    void startAws() {
        aws = FakeAws.start();
    }

    @AfterEach
    void stopWorkerAndAws() throws InterruptedException {
        if (worker != null) {
            worker.close();
        }
        aws.close();
    }
}

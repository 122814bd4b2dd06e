package dev.longshore.core.queue;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * Wraps the SDK's HTTP client so that long polls in flight can be cut off on demand. The synchronous SDK client
 * ignores thread interrupts while reading a response; aborting the request closes its connection, which is the
 * only way to stop a 20 s ReceiveMessage at once when SIGTERM arrives.
 */
final class AbortableHttpClient implements SdkHttpClient {
    private static final String RECEIVE_TARGET = "AmazonSQS.ReceiveMessage";

    private final SdkHttpClient delegate;
    private final Set<ExecutableHttpRequest> receivesInFlight = ConcurrentHashMap.newKeySet();
    /** Once set, receives are refused: a drain must not start a new poll that races with the abort. */
    private volatile boolean receivesClosed;

    AbortableHttpClient(SdkHttpClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        ExecutableHttpRequest real = delegate.prepareRequest(request);
        if (!isReceive(request)) {
            return real;
        }
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                receivesInFlight.add(this);
                if (receivesClosed) {
                    receivesInFlight.remove(this);
                    throw new IOException("receive aborted: worker is draining");
                }
                try {
                    return real.call();
                } finally {
                    receivesInFlight.remove(this);
                }
            }

            @Override
            public void abort() {
                real.abort();
            }
        };
    }

    private static boolean isReceive(HttpExecuteRequest request) {
        Optional<String> target = request.httpRequest().firstMatchingHeader("X-Amz-Target");
        if (target.isPresent()) {
            return target.get().equals(RECEIVE_TARGET);
        }
        // Query protocol (older SDKs, some emulators): the action is in the form body; a receive is the only
        // call we make with WaitTimeSeconds.
        return request.httpRequest().rawQueryParameters().containsKey("WaitTimeSeconds");
    }

    void abortReceives() {
        receivesClosed = true;
        for (ExecutableHttpRequest r : receivesInFlight) {
            r.abort();
        }
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}

package dev.longshore.testkit.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SSM's GetParameter over JSON 1.1 ({@code X-Amz-Target: AmazonSSM.GetParameter}). A SecureString read without
 * {@code WithDecryption} returns ciphertext, as SSM does, so a client that forgets the flag gets garbage. A missing
 * name is a ValidationException, an unknown one ParameterNotFound; failures are injectable per action.
 */
public final class FakeSsm {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String[]> parameters = new ConcurrentHashMap<>();
    private final List<AwsCall> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresToInject = new AtomicInteger();
    private final InjectedFailures injectedFailures = new InjectedFailures();

    public void putSecureString(String name, String value) {
        parameters.put(name, new String[] {"SecureString", value});
    }

    public void putString(String name, String value) {
        parameters.put(name, new String[] {"String", value});
    }

    /** The next {@code n} calls answer 500 InternalServerError. */
    public void failNext(int n) {
        failuresToInject.set(n);
    }

    /**
     * The next {@code times} calls of {@code action} (GetParameter, or {@code "*"}) fail with this status and error
     * type: {@code 400 ThrottlingException}, {@code 500 InternalServerError}.
     */
    public void failNext(String action, int times, int status, String type) {
        injectedFailures.add(action, times, status, type);
    }

    public List<AwsCall> calls() {
        return List.copyOf(calls);
    }

    void handle(HttpExchange exchange, byte[] body) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        JsonNode request = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        String action = target.replace("AmazonSSM.", "");
        calls.add(new AwsCall("ssm", action,
                Map.of("Name", request.path("Name").asText(""),
                        "WithDecryption", request.path("WithDecryption").asText("false")), System.nanoTime()));
        Optional<InjectedFailures.Failure> injected = injectedFailures.take(action);
        if (injected.isPresent()) {
            error(exchange, injected.get().status(), injected.get().code(), "injected failure");
            return;
        }
        if (failuresToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            error(exchange, 500, "InternalServerError", "injected failure");
            return;
        }
        if (!"AmazonSSM.GetParameter".equals(target)) {
            error(exchange, 400, "UnknownOperationException", "unsupported " + target);
            return;
        }
        String name = request.path("Name").asText("");
        if (name.isEmpty() || name.length() > 2048) {
            error(exchange, 400, "ValidationException", "1 validation error detected: Value " + (name.isEmpty() ? "null"
                    : "'" + name + "'") + " at 'name' failed to satisfy constraint: Member must have length between 1 "
                    + "and 2048");
            return;
        }
        JsonNode decryption = request.path("WithDecryption");
        if (!decryption.isMissingNode() && !decryption.isBoolean()) {
            error(exchange, 400, "SerializationException", "WithDecryption is not a boolean");
            return;
        }
        String[] p = parameters.get(name);
        if (p == null) {
            error(exchange, 400, "ParameterNotFound", "");
            return;
        }
        boolean decrypt = request.path("WithDecryption").asBoolean(false);
        String value = p[0].equals("SecureString") && !decrypt
                ? "AQICAHh" + java.util.Base64.getEncoder().encodeToString(p[1].getBytes()).replace("=", "")
                : p[1];
        ObjectNode out = JSON.createObjectNode();
        ObjectNode param = out.putObject("Parameter");
        param.put("Name", name);
        param.put("Type", p[0]);
        param.put("Value", value);
        param.put("Version", 1);
        param.put("LastModifiedDate", 1.7e9);
        param.put("ARN", "arn:aws:ssm:" + FakeAws.REGION + ":123456789012:parameter" + (name.startsWith("/") ? name : "/" + name));
        param.put("DataType", "text");
        Http.send(exchange, 200, "application/x-amz-json-1.1", JSON.writeValueAsString(out));
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        ObjectNode out = JSON.createObjectNode();
        out.put("__type", type);
        if (!message.isEmpty()) {
            out.put("message", message);
        }
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        Http.send(exchange, status, "application/x-amz-json-1.1", JSON.writeValueAsString(out));
    }
}

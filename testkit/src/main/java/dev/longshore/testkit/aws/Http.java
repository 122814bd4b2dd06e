package dev.longshore.testkit.aws;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Response helpers shared by the fakes. */
final class Http {
    private Http() {
    }

    static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The query protocol's error document (Auto Scaling and CloudWatch share it). */
    static void queryError(HttpExchange exchange, int status, String namespace, String code, String message)
            throws IOException {
        send(exchange, status, "text/xml", "<ErrorResponse xmlns=\"" + namespace + "\"><Error><Type>"
                + (status < 500 ? "Sender" : "Receiver") + "</Type><Code>" + xml(code) + "</Code><Message>"
                + xml(message) + "</Message></Error><RequestId>" + java.util.UUID.randomUUID()
                + "</RequestId></ErrorResponse>");
    }
}

package dev.longshore.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Reads a worker's Prometheus endpoint into name{labels} -> value. */
public final class MetricsScrape {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private MetricsScrape() {
    }

    public static Map<String, Double> read(int port) {
        Map<String, Double> out = new HashMap<>();
        try {
            String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int space = line.lastIndexOf(' ');
                out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        } catch (Exception e) {
            // not up yet, or already gone: an empty reading
        } 
        return out;
    }

    public static long value(Map<String, Double> m, String key) {
        return Math.round(m.getOrDefault(key, 0.0));
    }
}

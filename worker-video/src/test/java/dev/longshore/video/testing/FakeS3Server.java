package dev.longshore.video.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A wire-level S3 server for tests, on 127.0.0.1, path-style ({@code /bucket/key}): PutObject, GetObject,
 * HeadObject, CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload. Signatures are
 * not checked; aws-chunked request bodies (the SDK's streaming signatures and trailing checksums) are decoded.
 * Records every write so tests can check publishing order and multipart use.
 */
public final class FakeS3Server implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final Set<String> buckets = ConcurrentHashMap.newKeySet();
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Map<String, String> contentTypes = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, byte[]>> uploads = new ConcurrentHashMap<>();
    private final List<String> writes = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> partsPerKey = new ConcurrentHashMap<>();
    private final AtomicInteger aborted = new AtomicInteger();

    private FakeS3Server(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    public static FakeS3Server start(String... bucketNames) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(4,
                r -> Thread.ofPlatform().name("fake-s3-" + n.incrementAndGet()).daemon(true).unstarted(r));
        FakeS3Server s3 = new FakeS3Server(server, executor);
        s3.buckets.addAll(List.of(bucketNames));
        server.createContext("/", s3::handle);
        server.setExecutor(executor);
        server.start();
        return s3;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public void put(String bucket, String key, byte[] body) {
        objects.put(bucket + "/" + key, body);
    }

    public byte[] get(String bucket, String key) {
        return objects.get(bucket + "/" + key);
    }

    public String contentType(String bucket, String key) {
        return contentTypes.get(bucket + "/" + key);
    }

    /** Keys of objects in {@code bucket} under {@code prefix}, sorted. */
    public List<String> keys(String bucket, String prefix) {
        return objects.keySet().stream().filter(k -> k.startsWith(bucket + "/" + prefix))
                .map(k -> k.substring(bucket.length() + 1)).sorted().toList();
    }

    /** Every completed write ("bucket/key"), in the order it became visible. */
    public List<String> writes() {
        return List.copyOf(writes);
    }

    /** How many parts the multipart upload that created this object had; null when it was a single PUT. */
    public Integer partsOf(String bucket, String key) {
        return partsPerKey.get(bucket + "/" + key);
    }

    public int abortedUploads() {
        return aborted.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            String[] parts = path.substring(1).split("/", 2);
            String bucket = parts[0];
            String key = parts.length > 1 ? parts[1] : "";
            if (!buckets.contains(bucket)) {
                error(ex, 404, "NoSuchBucket", "The specified bucket does not exist");
                return;
            }
            String id = bucket + "/" + key;
            switch (ex.getRequestMethod()) {
                case "PUT" -> {
                    byte[] body = body(ex);
                    if (query.containsKey("uploadId")) {
                        Map<Integer, byte[]> upload = uploads.get(query.get("uploadId"));
                        if (upload == null) {
                            error(ex, 404, "NoSuchUpload", "no such upload");
                            return;
                        }
                        upload.put(Integer.parseInt(query.get("partNumber")), body);
                        ex.getResponseHeaders().add("ETag", etag(body));
                        ex.sendResponseHeaders(200, -1);
                    } else {
                        objects.put(id, body);
                        String type = ex.getRequestHeaders().getFirst("Content-Type");
                        if (type != null) {
                            contentTypes.put(id, type);
                        }
                        writes.add(id);
                        ex.getResponseHeaders().add("ETag", etag(body));
                        ex.sendResponseHeaders(200, -1);
                    }
                }
                case "POST" -> {
                    if (query.containsKey("uploads")) {
                        String uploadId = UUID.randomUUID().toString();
                        uploads.put(uploadId, new ConcurrentHashMap<>());
                        String type = ex.getRequestHeaders().getFirst("Content-Type");
                        if (type != null) {
                            contentTypes.put(id, type);
                        }
                        xml(ex, 200, "<InitiateMultipartUploadResult><Bucket>" + bucket + "</Bucket><Key>" + escape(key)
                                + "</Key><UploadId>" + uploadId + "</UploadId></InitiateMultipartUploadResult>");
                    } else if (query.containsKey("uploadId")) {
                        body(ex);
                        Map<Integer, byte[]> upload = uploads.remove(query.get("uploadId"));
                        if (upload == null) {
                            error(ex, 404, "NoSuchUpload", "no such upload");
                            return;
                        }
                        ByteArrayOutputStream all = new ByteArrayOutputStream();
                        for (byte[] part : new TreeMap<>(upload).values()) {
                            all.write(part);
                        }
                        byte[] object = all.toByteArray();
                        objects.put(id, object);
                        partsPerKey.put(id, upload.size());
                        writes.add(id);
                        xml(ex, 200, "<CompleteMultipartUploadResult><Bucket>" + bucket + "</Bucket><Key>" + escape(key)
                                + "</Key><ETag>" + etag(object) + "</ETag></CompleteMultipartUploadResult>");
                    } else {
                        error(ex, 400, "InvalidRequest", "unsupported POST");
                    }
                }
                case "DELETE" -> {
                    if (query.containsKey("uploadId")) {
                        uploads.remove(query.get("uploadId"));
                        aborted.incrementAndGet();
                    } else {
                        objects.remove(id);
                    }
                    ex.sendResponseHeaders(204, -1);
                }
                case "GET", "HEAD" -> {
                    byte[] object = objects.get(id);
                    boolean head = ex.getRequestMethod().equals("HEAD");
                    if (object == null) {
                        if (head) {
                            ex.sendResponseHeaders(404, -1);
                        } else {
                            error(ex, 404, "NoSuchKey", "The specified key does not exist.");
                        }
                        return;
                    }
                    ex.getResponseHeaders().add("ETag", etag(object));
                    ex.getResponseHeaders().add("Content-Type",
                            contentTypes.getOrDefault(id, "application/octet-stream"));
                    ex.getResponseHeaders().add("Last-Modified", "Sat, 21 Nov 2026 10:00:00 GMT");
                    if (head) {
                        ex.getResponseHeaders().add("Content-Length", String.valueOf(object.length));
                        ex.sendResponseHeaders(200, -1);
                    } else {
                        ex.sendResponseHeaders(200, object.length == 0 ? -1 : object.length);
                        try (OutputStream out = ex.getResponseBody()) {
                            out.write(object);
                        }
                    }
                }
                default -> error(ex, 405, "MethodNotAllowed", "method not allowed");
            }
        } catch (RuntimeException e) {
            error(ex, 500, "InternalError", e.toString());
        }
    }

    private static byte[] body(HttpExchange ex) throws IOException {
        byte[] raw;
        try (InputStream in = ex.getRequestBody()) {
            raw = in.readAllBytes();
        }
        String sha = ex.getRequestHeaders().getFirst("x-amz-content-sha256");
        String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
        boolean chunked = (sha != null && sha.startsWith("STREAMING-"))
                || (encoding != null && encoding.contains("aws-chunked"));
        return chunked ? decodeAwsChunked(raw) : raw;
    }

    /** {@code <hex size>[;chunk-signature=...]\r\n<data>\r\n ... 0...\r\n[trailers]\r\n}. */
    static byte[] decodeAwsChunked(byte[] raw) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(raw);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String header = line(in);
            int semi = header.indexOf(';');
            int size = Integer.parseInt((semi >= 0 ? header.substring(0, semi) : header).trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(size));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new ConcurrentHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            q.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1),
                    StandardCharsets.UTF_8));
        }
        return q;
    }

    private static String etag(byte[] body) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body)) + "\"";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void xml(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/xml");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        xml(ex, status, "<Error><Code>" + code + "</Code><Message>" + escape(message) + "</Message></Error>");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    public List<String> objectKeys() {
        return new ArrayList<>(objects.keySet());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

package dev.longshore.testkit.s3;

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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A wire-level S3 server for tests, on 127.0.0.1: PutObject, GetObject, HeadObject, DeleteObject,
 * CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload, HeadBucket. It answers both
 * path-style requests ({@code /bucket/key} at {@link #endpoint()}) and virtual-hosted-style ones
 * ({@code Host: bucket.localhost:PORT} at {@link #virtualHostEndpoint()}, what the SDK sends by default), and it
 * refuses what S3 refuses, in S3's error document: NoSuchBucket and NoSuchKey (404), AccessDenied (403) for a
 * bucket {@linkplain #deny denied} to the caller, InvalidPart, InvalidPartOrder, InvalidArgument and EntityTooSmall
 * (every part but the last at least 5 MiB) on multipart uploads (400), and whatever a test
 * {@linkplain #failNext injects} (400 InvalidRequest, 500 InternalError, 503 SlowDown). Signatures are not checked;
 * aws-chunked request bodies (the SDK's streaming signatures and trailing checksums) are decoded. Records every
 * request and every write so tests can check publishing order and multipart use.
 *
 * <p>One server for every module: worker-video's and worker-ai's tests, and the local run, which points the
 * workers at it through {@link TestS3#workerEnvironment}.
 */
public final class FakeS3Server implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final Set<String> buckets = ConcurrentHashMap.newKeySet();
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final Map<String, String> contentTypes = new ConcurrentHashMap<>();
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    private final List<String> writes = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> partsPerKey = new ConcurrentHashMap<>();
    private final AtomicInteger aborted = new AtomicInteger();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Set<String>> denied = new ConcurrentHashMap<>();
    private final Map<String, Deque<Failure>> failures = new HashMap<>();

    /** S3's smallest part, except for the last one of an upload. */
    public static final long MIN_PART_SIZE = 5L << 20;
    private static final Pattern PART = Pattern.compile(
            "<Part>\\s*(?:<ETag>([^<]*)</ETag>\\s*<PartNumber>(\\d+)</PartNumber>|<PartNumber>(\\d+)</PartNumber>\\s*<ETag>([^<]*)</ETag>)");

    /**
     * One request as the server understood it.
     *
     * @param operation   the S3 operation name, e.g. {@code UploadPart}
     * @param virtualHost true when the bucket came from the Host header
     */
    public record Request(String operation, String bucket, String key, boolean virtualHost) {
    }

    private record Failure(int status, String code) {
    }

    private record Upload(String bucket, String key, Map<Integer, byte[]> parts) {
    }

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

    /** For path-style clients ({@code WORKER_VIDEO_S3_PATH_STYLE=true}, MinIO's way). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * For virtual-hosted-style clients (S3's default): the SDK puts the bucket in the host name,
     * {@code bucket.localhost}. The JVM must resolve {@code *.localhost} to loopback, as RFC 6761 says; worker-video's
     * tests install a resolver provider that does.
     */
    public URI virtualHostEndpoint() {
        return URI.create("http://localhost:" + server.getAddress().getPort());
    }

    public void createBucket(String bucket) {
        buckets.add(bucket);
    }

    /**
     * Answers 403 AccessDenied to {@code operations} on {@code bucket} (all operations when none are named), as a
     * bucket policy or an IAM role without the permission would.
     */
    public void deny(String bucket, String... operations) {
        denied.put(bucket, operations.length == 0 ? Set.of("*") : Set.of(operations));
    }

    /**
     * The next {@code times} requests of {@code operation} ({@code "*"}: any) are answered with this status and
     * error code, e.g. {@code failNext("PutObject", 1, 503, "SlowDown")}.
     */
    public synchronized void failNext(String operation, int times, int status, String code) {
        Deque<Failure> queue = failures.computeIfAbsent(operation, o -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(new Failure(status, code));
        }
    }

    /** Every request so far, in arrival order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String operation) {
        return requests.stream().filter(r -> r.operation().equals(operation)).toList();
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
            String host = ex.getRequestHeaders().getFirst("Host");
            String hostName = host == null ? "" : host.replaceFirst(":\\d+$", "").toLowerCase(Locale.ROOT);
            boolean virtualHost = hostName.endsWith(".localhost");
            String bucket;
            String key;
            if (virtualHost) {
                bucket = hostName.substring(0, hostName.length() - ".localhost".length());
                key = path.length() > 1 ? path.substring(1) : "";
            } else {
                String[] parts = path.substring(1).split("/", 2);
                bucket = parts[0];
                key = parts.length > 1 ? parts[1] : "";
            }
            String operation = operation(ex.getRequestMethod(), key, query);
            // Recorded before the answer, so a test that has its answer also sees the request here.
            requests.add(new Request(operation, bucket, key, virtualHost));
            answer(ex, operation, bucket, key, query);
        } catch (RuntimeException e) {
            error(ex, 500, "InternalError", e.toString(), "");
        }
    }

    private static String operation(String method, String key, Map<String, String> query) {
        return switch (method) {
            case "PUT" -> key.isEmpty() ? "CreateBucket" : query.containsKey("uploadId") ? "UploadPart" : "PutObject";
            case "POST" -> query.containsKey("uploads") ? "CreateMultipartUpload"
                    : query.containsKey("uploadId") ? "CompleteMultipartUpload" : "PostObject";
            case "DELETE" -> query.containsKey("uploadId") ? "AbortMultipartUpload" : "DeleteObject";
            case "GET" -> key.isEmpty() ? "ListObjects" : "GetObject";
            case "HEAD" -> key.isEmpty() ? "HeadBucket" : "HeadObject";
            default -> method;
        };
    }

    private synchronized Failure takeFailure(String operation) {
        for (String k : new String[] {operation, "*"}) {
            Deque<Failure> queue = failures.get(k);
            if (queue != null && !queue.isEmpty()) {
                return queue.poll();
            }
        }
        return null;
    }

    /** Answers one request; returns the status sent. */
    private int answer(HttpExchange ex, String operation, String bucket, String key, Map<String, String> query)
            throws IOException {
        boolean head = ex.getRequestMethod().equals("HEAD");
        String resource = "/" + bucket + (key.isEmpty() ? "" : "/" + key);
        Failure injected = takeFailure(operation);
        if (injected != null) {
            body(ex);
            return error(ex, injected.status(), injected.code(), "injected failure", resource, head);
        }
        if (bucket.isEmpty() || !buckets.contains(bucket)) {
            body(ex);
            return error(ex, 404, "NoSuchBucket", "The specified bucket does not exist", resource, head);
        }
        Set<String> deniedOps = denied.get(bucket);
        if (deniedOps != null && (deniedOps.contains("*") || deniedOps.contains(operation))) {
            body(ex);
            return error(ex, 403, "AccessDenied", "Access Denied", resource, head);
        }
        String id = bucket + "/" + key;
        switch (operation) {
            case "HeadBucket" -> {
                ex.sendResponseHeaders(200, -1);
                return 200;
            }
            case "UploadPart" -> {
                byte[] body = body(ex);
                Upload upload = uploads.get(query.get("uploadId"));
                if (upload == null || !upload.bucket().equals(bucket) || !upload.key().equals(key)) {
                    return error(ex, 404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be "
                            + "invalid, or the upload may have been aborted or completed.", resource, false);
                }
                String raw = query.getOrDefault("partNumber", "");
                int number = raw.matches("\\d{1,5}") ? Integer.parseInt(raw) : -1;
                if (number < 1 || number > 10_000) {
                    return error(ex, 400, "InvalidArgument", "Part number must be an integer between 1 and 10000, "
                            + "inclusive", resource, false);
                }
                upload.parts().put(number, body);
                ex.getResponseHeaders().add("ETag", etag(body));
                ex.sendResponseHeaders(200, -1);
                return 200;
            }
            case "PutObject" -> {
                byte[] body = body(ex);
                objects.put(id, body);
                String type = ex.getRequestHeaders().getFirst("Content-Type");
                if (type != null) {
                    contentTypes.put(id, type);
                }
                writes.add(id);
                ex.getResponseHeaders().add("ETag", etag(body));
                ex.sendResponseHeaders(200, -1);
                return 200;
            }
            case "CreateMultipartUpload" -> {
                body(ex);
                String uploadId = UUID.randomUUID().toString();
                uploads.put(uploadId, new Upload(bucket, key, new ConcurrentHashMap<>()));
                String type = ex.getRequestHeaders().getFirst("Content-Type");
                if (type != null) {
                    contentTypes.put(id, type);
                }
                return xml(ex, 200, "<InitiateMultipartUploadResult><Bucket>" + bucket + "</Bucket><Key>" + escape(key)
                        + "</Key><UploadId>" + uploadId + "</UploadId></InitiateMultipartUploadResult>");
            }
            case "CompleteMultipartUpload" -> {
                return complete(ex, bucket, key, query.get("uploadId"), new String(body(ex), StandardCharsets.UTF_8),
                        resource);
            }
            case "AbortMultipartUpload" -> {
                body(ex);
                if (uploads.remove(query.get("uploadId")) == null) {
                    return error(ex, 404, "NoSuchUpload", "The specified upload does not exist.", resource, false);
                }
                aborted.incrementAndGet();
                ex.sendResponseHeaders(204, -1);
                return 204;
            }
            case "DeleteObject" -> {
                body(ex);
                objects.remove(id);
                ex.sendResponseHeaders(204, -1);
                return 204;
            }
            case "GetObject", "HeadObject" -> {
                byte[] object = objects.get(id);
                if (object == null) {
                    return error(ex, 404, "NoSuchKey", "The specified key does not exist.", resource, head);
                }
                ex.getResponseHeaders().add("ETag", etag(object));
                ex.getResponseHeaders().add("Content-Type", contentTypes.getOrDefault(id, "application/octet-stream"));
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
                return 200;
            }
            default -> {
                body(ex);
                return error(ex, 501, "NotImplemented", operation + " is not implemented by this test server", resource,
                        head);
            }
        }
    }

    /** CompleteMultipartUpload as S3 checks it: the listed parts, in order, uploaded with these ETags, big enough. */
    private int complete(HttpExchange ex, String bucket, String key, String uploadId, String body, String resource)
            throws IOException {
        Upload upload = uploadId == null ? null : uploads.get(uploadId);
        if (upload == null || !upload.bucket().equals(bucket) || !upload.key().equals(key)) {
            return error(ex, 404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, "
                    + "or the upload may have been aborted or completed.", resource, false);
        }
        Matcher m = PART.matcher(body);
        List<byte[]> listed = new ArrayList<>();
        int previous = 0;
        while (m.find()) {
            int number = Integer.parseInt(m.group(2) != null ? m.group(2) : m.group(3));
            String etag = (m.group(1) != null ? m.group(1) : m.group(4)).replace("&quot;", "\"");
            if (number <= previous) {
                return error(ex, 400, "InvalidPartOrder", "The list of parts was not in ascending order. The parts list "
                        + "must be specified in order by part number.", resource, false);
            }
            previous = number;
            byte[] part = upload.parts().get(number);
            if (part == null || !etag(part).equals(etag.startsWith("\"") ? etag : "\"" + etag + "\"")) {
                return error(ex, 400, "InvalidPart", "One or more of the specified parts could not be found. The part "
                        + "may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
                        resource, false);
            }
            listed.add(part);
        }
        if (listed.isEmpty()) {
            return error(ex, 400, "MalformedXML", "The XML you provided was not well-formed or did not validate against "
                    + "our published schema", resource, false);
        }
        for (int i = 0; i < listed.size() - 1; i++) {
            if (listed.get(i).length < MIN_PART_SIZE) {
                return error(ex, 400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object "
                        + "size.", resource, false);
            }
        }
        uploads.remove(uploadId);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : listed) {
            all.write(part);
        }
        byte[] object = all.toByteArray();
        String id = bucket + "/" + key;
        objects.put(id, object);
        partsPerKey.put(id, listed.size());
        writes.add(id);
        return xml(ex, 200, "<CompleteMultipartUploadResult><Bucket>" + bucket + "</Bucket><Key>" + escape(key)
                + "</Key><ETag>" + etag(object) + "</ETag></CompleteMultipartUploadResult>");
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

    private static int xml(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/xml");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
        return status;
    }

    private static void error(HttpExchange ex, int status, String code, String message, String resource)
            throws IOException {
        error(ex, status, code, message, resource, false);
    }

    /** S3's error document, with its request id headers; a HEAD answer has the status and headers only, as S3's. */
    private static int error(HttpExchange ex, int status, String code, String message, String resource, boolean head)
            throws IOException {
        String requestId = Long.toHexString(System.nanoTime()).toUpperCase(Locale.ROOT);
        ex.getResponseHeaders().add("x-amz-request-id", requestId);
        ex.getResponseHeaders().add("x-amz-id-2", "fake-s3/" + requestId);
        if (head) {
            ex.sendResponseHeaders(status, -1);
            return status;
        }
        return xml(ex, status, "<Error><Code>" + code + "</Code><Message>" + escape(message) + "</Message><Resource>"
                + escape(resource) + "</Resource><RequestId>" + requestId + "</RequestId></Error>");
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

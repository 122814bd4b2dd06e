package dev.longshore.messaging.email;

import dev.longshore.core.concurrent.ConnectionAcceptor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw-socket SMTP relay on 127.0.0.1 that misbehaves the way real ones do: a recipient limit answered with
 * {@code 452 4.5.3}, refused and deferred mailboxes, a QUIT it never answers. Records every accepted transaction.
 */
final class FakeSmtpRelay implements AutoCloseable {
    record Transaction(String mailFrom, List<String> recipients, String data) {
        String header(String name) {
            for (String line : data.split("\r\n")) {
                if (line.isEmpty()) {
                    return null;
                }
                if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                    return line.substring(name.length() + 1).trim();
                }
            }
            return null;
        }
    }

    private final ServerSocket server;
    private final List<Transaction> transactions = new CopyOnWriteArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final ConnectionAcceptor acceptor;
    private final AtomicInteger quits = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);
    volatile int maxRecipients = Integer.MAX_VALUE;
    volatile boolean answerQuit = true;
    final Set<String> refused = ConcurrentHashMap.newKeySet();
    /** Answered 450 once, accepted after. */
    final Set<String> deferredOnce = ConcurrentHashMap.newKeySet();

    FakeSmtpRelay() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        acceptor = ConnectionAcceptor.start(server, "fake-smtp", this::serve);
    }

    int port() {
        return server.getLocalPort();
    }

    List<Transaction> transactions() {
        return List.copyOf(transactions);
    }

    List<String> commands() {
        return List.copyOf(commands);
    }

    int quits() {
        return quits.get();
    }

    private void serve(Socket s) throws IOException {
        try {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            reply(out, "220 relay.test ESMTP fake");
            String mailFrom = null;
            List<String> rcpts = new ArrayList<>();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                commands.add(line);
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
                switch (verb) {
                    case "EHLO" -> reply(out, "250-relay.test\r\n250 PIPELINING");
                    case "HELO", "NOOP" -> reply(out, "250 ok");
                    case "MAIL" -> {
                        mailFrom = address(line);
                        rcpts.clear();
                        reply(out, "250 2.1.0 ok");
                    }
                    case "RCPT" -> {
                        String rcpt = address(line);
                        if (refused.contains(rcpt)) {
                            reply(out, "550 5.1.1 <" + rcpt + ">: mailbox unknown");
                        } else if (deferredOnce.remove(rcpt)) {
                            reply(out, "450 4.2.1 <" + rcpt + ">: mailbox busy, try later");
                        } else if (rcpts.size() >= maxRecipients) {
                            reply(out, "452 4.5.3 Too many recipients");
                        } else {
                            rcpts.add(rcpt);
                            reply(out, "250 2.1.5 ok");
                        }
                    }
                    case "RSET" -> {
                        mailFrom = null;
                        rcpts.clear();
                        reply(out, "250 2.0.0 ok");
                    }
                    case "DATA" -> {
                        if (mailFrom == null || rcpts.isEmpty()) {
                            reply(out, "503 5.5.1 no valid recipients");
                            continue;
                        }
                        reply(out, "354 end with <CRLF>.<CRLF>");
                        StringBuilder data = new StringBuilder();
                        for (String d = in.readLine(); d != null && !d.equals("."); d = in.readLine()) {
                            data.append(d.startsWith("..") ? d.substring(1) : d).append("\r\n");
                        }
                        transactions.add(new Transaction(mailFrom, List.copyOf(rcpts), data.toString()));
                        mailFrom = null;
                        rcpts.clear();
                        reply(out, "250 2.0.0 queued as " + transactions.size());
                    }
                    case "QUIT" -> {
                        quits.incrementAndGet();
                        if (answerQuit) {
                            reply(out, "221 2.0.0 bye");
                            return;
                        }
                        closing.await();
                        return;
                    }
                    default -> reply(out, "502 5.5.2 not implemented");
                }
            }
        } catch (InterruptedException e) {
            // the test ended while a QUIT waited for no answer
        }
    }

    private static String address(String line) {
        int lt = line.indexOf('<');
        int gt = line.indexOf('>', lt);
        return lt < 0 || gt < 0 ? "" : line.substring(lt + 1, gt);
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        closing.countDown();
        acceptor.close();
    }
}

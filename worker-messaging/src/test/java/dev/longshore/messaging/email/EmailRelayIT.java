package dev.longshore.messaging.email;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longshore.core.config.Env;
import dev.longshore.core.job.Job;
import dev.longshore.core.job.PermanentFailure;
import dev.longshore.core.job.RetryableFailure;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** E-mail against a raw-socket relay that behaves like real ones (docs/messaging.md: E-mail). */
class EmailRelayIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private FakeSmtpRelay relay;

    @BeforeEach
    void start() throws Exception {
        relay = new FakeSmtpRelay();
    }

    @AfterEach
    void stop() throws Exception {
        relay.close();
    }

    private EmailSender sender(String... extra) {
        Map<String, String> env = new HashMap<>(Map.of("WORKER_SMTP_HOST", "127.0.0.1",
                "WORKER_SMTP_PORT", String.valueOf(relay.port()), "WORKER_SMTP_TLS", "none",
                "WORKER_SMTP_FROM", "Longshore <noreply@longshore.test>", "WORKER_SMTP_TIMEOUT", "5s"));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return new EmailSender(SmtpSettings.fromEnv(new Env(env)));
    }

    private static Job job(String id, ObjectNode payload) {
        return new Job(id, "notify.email", payload, 1, "m-" + id, Optional.empty());
    }

    private static ObjectNode mail(List<String> to) {
        ObjectNode p = JSON.createObjectNode();
        ArrayNode list = p.putArray("to");
        to.forEach(list::add);
        p.put("subject", "Report ready");
        p.put("text", "It is ready.");
        return p;
    }

    private static List<String> many(int n) {
        return IntStream.range(0, n).mapToObj(i -> "user" + i + "@example.com").toList();
    }

    @Test
    void aRelayThatNeverAnswersQuitGetsTheMailOnceAndTheJobSucceeds() throws Exception {
        relay.answerQuit = false;
        EmailSender sender = sender();
        assertDoesNotThrow(() -> sender.send(job("invoice-7", mail(List.of("ops@example.com")))));
        assertEquals(1, relay.transactions().size());
        assertTrue(dev.longshore.testkit.TestWorkers.eventually(java.time.Duration.ofSeconds(5), () -> relay.quits() == 1),
                "QUIT was sent, its answer not awaited");
        assertEquals(1, relay.transactions().size(), "still one copy");
    }

    @Test
    void theMessageIdIsDerivedFromTheJobIdSoACopySentAgainCanBeDropped() throws Exception {
        EmailSender sender = sender();
        sender.send(job("invoice-7", mail(List.of("ops@example.com"))));
        sender.send(job("invoice-7", mail(List.of("ops@example.com"))));
        assertEquals("<longshore.invoice-7@longshore.test>", relay.transactions().get(0).header("Message-ID"));
        assertEquals(relay.transactions().get(0).header("Message-ID"), relay.transactions().get(1).header("Message-ID"));
        assertEquals("<longshore.x=2e2e61@longshore.test>",
                EmailSender.messageId("..a", new jakarta.mail.internet.InternetAddress("noreply@longshore.test")),
                "a jobId that is no dot-atom is written in hex");
    }

    @Test
    void moreRecipientsThanTheRelayTakesAreSentInSeveralTransactions() throws Exception {
        relay.maxRecipients = 100;
        sender().send(job("all-hands", mail(many(150))));
        assertEquals(List.of(100, 50), relay.transactions().stream().map(t -> t.recipients().size()).toList(),
                "WORKER_SMTP_MAX_RECIPIENTS (default 100) splits before the relay has to refuse");
        assertTrue(relay.commands().stream().noneMatch(c -> c.startsWith("RSET")));
    }

    @Test
    void aLowerLimitIsLearnedFromThe452AndNobodyIsLeftOut() throws Exception {
        relay.maxRecipients = 40;
        sender("WORKER_SMTP_MAX_RECIPIENTS", "500").send(job("all-hands", mail(many(150))));
        assertEquals(List.of(40, 40, 40, 30), relay.transactions().stream().map(t -> t.recipients().size()).toList());
        assertEquals(150, relay.transactions().stream().mapToLong(t -> t.recipients().size()).sum());
        assertEquals(150, relay.transactions().stream().flatMap(t -> t.recipients().stream()).distinct().count());
    }

    @Test
    void oneRefusedRecipientDoesNotStopTheOthers() throws Exception {
        relay.refused.add("gone@example.com");
        assertDoesNotThrow(() -> sender().send(job("j1", mail(List.of("a@example.com", "gone@example.com", "b@example.com")))));
        assertEquals(List.of("a@example.com", "b@example.com"), relay.transactions().get(0).recipients());
    }

    @Test
    void onlyWhenEveryRecipientIsRefusedIsItPermanent() throws Exception {
        relay.refused.addAll(List.of("x@example.com", "y@example.com"));
        PermanentFailure f = assertThrows(PermanentFailure.class,
                () -> sender().send(job("j2", mail(List.of("x@example.com", "y@example.com")))));
        assertEquals("smtp_550", f.code());
        assertTrue(f.reason().contains("x@example.com") && f.reason().contains("y@example.com"), f.reason());
        assertTrue(relay.transactions().isEmpty());
    }

    @Test
    void aDeferredRecipientIsRetriedAloneByThisWorker() throws Exception {
        relay.deferredOnce.add("busy@example.com");
        EmailSender sender = sender();
        Job job = job("j3", mail(List.of("a@example.com", "busy@example.com")));
        RetryableFailure f = assertThrows(RetryableFailure.class, () -> sender.send(job));
        assertEquals("smtp_450", f.code());
        sender.send(job);
        assertEquals(List.of(List.of("a@example.com"), List.of("busy@example.com")),
                relay.transactions().stream().map(FakeSmtpRelay.Transaction::recipients).toList());
    }

    @Test
    void theRecipientCapPerJobIsAPayloadError() {
        PermanentFailure f = assertThrows(PermanentFailure.class,
                () -> sender("WORKER_EMAIL_MAX_RECIPIENTS", "5").send(job("j4", mail(many(6)))));
        assertEquals("invalid_payload", f.code());
        assertTrue(f.reason().contains("WORKER_EMAIL_MAX_RECIPIENTS"), f.reason());
        assertTrue(relay.commands().isEmpty(), "nothing was sent");
    }

    @Test
    void unicodeNamesAreEncodedWordsIdnDomainsPunycodeAndBccStaysHidden() throws Exception {
        ObjectNode p = mail(List.of("José Müller <jose@bücher.example>"));
        p.putArray("bcc").add("audit@example.com");
        sender().send(job("j5", p));
        FakeSmtpRelay.Transaction t = relay.transactions().get(0);
        assertEquals(List.of("jose@xn--bcher-kva.example", "audit@example.com"), t.recipients());
        String to = t.header("To");
        assertTrue(to.startsWith("=?UTF-8?") && to.endsWith("<jose@xn--bcher-kva.example>"), to);
        assertEquals("José Müller", jakarta.mail.internet.MimeUtility.decodeText(to.substring(0, to.indexOf(" <"))));
        assertFalse(t.data().contains("audit@example.com"), "no Bcc header in the message");
        assertTrue(Addresses.ascii(t.data()), "every header and body line is 7-bit");
    }

    @Test
    void anInternationalisedLocalPartIsRefusedClearly() {
        PermanentFailure f = assertThrows(PermanentFailure.class,
                () -> sender().send(job("j6", mail(List.of("ok@example.com", "josé@example.com")))));
        assertEquals("invalid_address", f.code());
        assertTrue(f.reason().contains("SMTPUTF8"), f.reason());
        assertTrue(relay.commands().isEmpty());
    }

    @Test
    void unknownPayloadFieldsAreRefusedByName() {
        ObjectNode p = mail(List.of("ops@example.com"));
        p.put("priority", "high");
        PermanentFailure f = assertThrows(PermanentFailure.class, () -> sender().send(job("j7", p)));
        assertEquals("invalid_payload", f.code());
        assertTrue(f.reason().contains("'priority'"), f.reason());
    }
}

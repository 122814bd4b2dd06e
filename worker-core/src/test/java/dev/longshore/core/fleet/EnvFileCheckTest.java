package dev.longshore.core.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileCheckTest {
    static final String SECRET = "smtp-pass-52c0de";

    @TempDir
    Path tmp;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int check(String text) throws Exception {
        Path file = Files.writeString(tmp.resolve("w.env"), text);
        return EnvFileCheck.run(new String[] {file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aFileTheWorkerAcceptsPrintsItsNamesOnceEachAndExitsZero() throws Exception {
        int code = check("# x\nWORKER_SMTP_PASSWORD=" + SECRET + " # inline comment\nexport B=\"a\\nb\"\nB=2\n");

        assertEquals(0, code, err());
        assertEquals("WORKER_SMTP_PASSWORD\nB\n", out());
        assertEquals("", err());
    }

    @Test
    void everyProblemIsOneLineWithItsNumberAndNameButNeverTheValue() throws Exception {
        int code = check("A=1\nnot a pair " + SECRET + "\nAWS_SECRET_ACCESS_KEY=" + SECRET + "\nC='" + SECRET
                + "\n1BAD=" + SECRET + "\nexport AWS_REGION=eu-west-1\n");

        assertEquals(2, code);
        Path file = tmp.resolve("w.env");
        assertEquals(String.join("\n",
                file + ": line 2 is not KEY=VALUE",
                file + ": line 3 (AWS_SECRET_ACCESS_KEY) sets an AWS_* variable, which the AWS SDK reads only from "
                        + "the process environment: the worker refuses it",
                file + ": line 4 (C) has a quoted value without its closing quote (values cannot span lines)",
                file + ": line 5 has an invalid name (letters, digits and _, not starting with a digit)",
                file + ": line 6 (AWS_REGION) sets an AWS_* variable, which the AWS SDK reads only from the process "
                        + "environment: the worker refuses it",
                ""), err());
        assertEquals("", out(), "no names when the file is refused");
        assertFalse(err().contains(SECRET) || err().contains("eu-west-1"), err());
    }

    @Test
    void textThatIsNotUtf8IsRefused() throws Exception {
        Path file = Files.write(tmp.resolve("latin1.env"), new byte[] {'A', '=', (byte) 0xE9, '\n'});

        int code = EnvFileCheck.run(new String[] {file.toString()}, new PrintStream(out), new PrintStream(err));

        assertEquals(2, code);
        assertEquals(file + ": is not UTF-8 text\n", err());
    }

    @Test
    void aMissingFileIsExitOneAndAMissingArgumentExitTwo() {
        assertEquals(1, EnvFileCheck.run(new String[] {tmp.resolve("nope").toString()}, new PrintStream(out),
                new PrintStream(err)));
        assertEquals(2, EnvFileCheck.run(new String[0], new PrintStream(out), new PrintStream(err)));
    }
}

package dev.longshore.core.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DotEnvTest {

    @Test
    void readsPlainLinesCommentsBlankLinesAndExport() throws Exception {
        Map<String, String> env = DotEnv.parse("""
                # worker settings
                WORKER_CONCURRENCY=8

                export WORKER_DRAIN_TIMEOUT = 45s
                  WORKER_EMPTY=
                """);
        assertEquals(Map.of("WORKER_CONCURRENCY", "8", "WORKER_DRAIN_TIMEOUT", "45s", "WORKER_EMPTY", ""), env);
    }

    @Test
    void unquotedValuesEndAtACommentAfterWhitespace() throws Exception {
        Map<String, String> env = DotEnv.parse("A=x # note\nB=x#not-a-comment\nC=http://h/p?q=1&r=2\n");
        assertEquals("x", env.get("A"));
        assertEquals("x#not-a-comment", env.get("B"));
        assertEquals("http://h/p?q=1&r=2", env.get("C"));
    }

    @Test
    void quotedValuesKeepSpacesHashesAndEqualsSigns() throws Exception {
        Map<String, String> env = DotEnv.parse("""
                A="  spaced # not a comment = fine  "
                B='single $literal \\n'
                C="line\\nbreak \\"quoted\\" back\\\\slash" # comment
                """);
        assertEquals("  spaced # not a comment = fine  ", env.get("A"));
        assertEquals("single $literal \\n", env.get("B"));
        assertEquals("line\nbreak \"quoted\" back\\slash", env.get("C"));
    }

    @Test
    void windowsLineEndingsAndALaterLineWin() throws Exception {
        Map<String, String> env = DotEnv.parse("A=1\r\nB=2\r\nA=3\r\n");
        assertEquals(Map.of("A", "3", "B", "2"), env);
    }

    @Test
    void malformedLinesNameTheirNumberButNeverTheirText() {
        assertProblem("A=1\nthis-is-a-secret-token\n", 2, "is not KEY=VALUE");
        assertProblem("A=1\n\n1BAD=secretvalue\n", 3, "invalid name");
        assertProblem("A=\"secret-unterminated\n", 1, "without its closing quote");
        assertProblem("# c\nA='secret' trailing\n", 2, "text after the closing quote");
        assertProblem("MY KEY=secret\n", 1, "invalid name");
    }

    @Test
    void readCollectsEveryProblemNamingTheVariableOnlyWhenTheNameIsValid() {
        DotEnv.Result r = DotEnv.read("A=1\nnot a pair secret-1\nB=\"secret-2\nC='secret-3' x\n9X=secret-4\nD=2\n");

        assertEquals(java.util.List.of(2, 3, 4, 5), r.problems().stream().map(DotEnv.Problem::line).toList());
        assertEquals(java.util.Optional.empty(), r.problems().get(0).key());
        assertEquals(java.util.Optional.of("B"), r.problems().get(1).key());
        assertEquals(java.util.Optional.of("C"), r.problems().get(2).key());
        assertEquals(java.util.Optional.empty(), r.problems().get(3).key(), "an invalid name may be a pasted secret");
        assertEquals(Map.of("A", "1", "D", "2"), r.values());
        assertEquals(java.util.List.of(new DotEnv.Variable(1, "A"), new DotEnv.Variable(6, "D")), r.variables());
        assertFalse(r.problems().toString().contains("secret"), r.problems().toString());
    }

    @Test
    void parseStopsAtTheFirstProblemOfRead() {
        assertProblem("A=1\nB='x\nnot a pair\n", 2, "without its closing quote");
    }

    private static void assertProblem(String text, int line, String problem) {
        DotEnv.ParseException e = assertThrows(DotEnv.ParseException.class, () -> DotEnv.parse(text));
        assertEquals(line, e.line());
        assertTrue(e.getMessage().startsWith("line " + line + " ") && e.getMessage().contains(problem), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }
}

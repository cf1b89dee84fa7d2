package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A configuration that cannot start fails at the first facade call, and at every later one,
 * with an IllegalStateException whose message names the fix (not an
 * ExceptionInInitializerError, then NoClassDefFoundError). Each configuration runs in a child
 * JVM of its own.
 */
@EnabledIfSystemProperty(named = "pthread4j.backend", matches = "native",
        disabledReason = "once, in the native run: each case starts a JVM with its own configuration")
@DisabledIfSystemProperty(named = "pthread4j.binding", matches = "jni",
        disabledReason = "once, in the native run over FFM: each case starts a JVM with its own configuration")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ConfigurationTest {

    record Child(int status, String stdout, String stderr) {}

    /** Runs {@link BadConfiguration} in a JVM with {@code flags} (besides native access). */
    static Child run(String... flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(List.of(flags));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BadConfiguration.class.getName()));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        // The child prints little; reading stdout to its end, then stderr, cannot block it.
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(TestSupport.CHILD_SECONDS, TimeUnit.SECONDS), "the child did not end");
        return new Child(p.exitValue(), out, err);
    }

    /**
     * An unknown backend or binding, or green or gmp without --add-opens: the first call
     * throws IllegalStateException naming the fix, and so does the second, uncaught one
     * (stderr's first line).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-Dpthread4j.backend=bogus  | use native, virtual, green or gmp",
        "-Dpthread4j.binding=bogus  | use ffm or jni",
        "-Dpthread4j.backend=green  | needs the JVM flag --add-opens java.base/java.lang=ALL-UNNAMED",
        "-Dpthread4j.backend=gmp    | needs the JVM flag --add-opens java.base/java.lang=ALL-UNNAMED"})
    void badConfigurationIsOneClearException(String flag, String fix) throws Exception {
        Child c = run(flag);
        String expected = "java.lang.IllegalStateException: pthread4j cannot start: ";
        String first = c.stdout().lines().findFirst().orElse("");
        assertTrue(first.startsWith("first call: " + expected) && first.contains(fix), c.toString());
        String uncaught = c.stderr().lines().findFirst().orElse("");
        assertTrue(uncaught.startsWith("Exception in thread \"main\" " + expected) && uncaught.contains(fix), c.toString());
        assertNotEquals(0, c.status(), c.toString());
    }

    /** The control: green with --add-opens starts, and both calls return. */
    @Test
    void goodConfigurationStarts() throws Exception {
        Child c = run("-Dpthread4j.backend=green", "--add-opens", "java.base/java.lang=ALL-UNNAMED");
        assertEquals("first call: returned\nsecond call: returned\n", c.stdout(), c.toString());
        assertEquals(0, c.status(), c.toString());
    }
}

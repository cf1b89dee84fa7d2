package org.pthread4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** How a before/after run reads a child JVM's Versus output. */
class BuildsTest {

    private static final String JSON = "{\"machine\":\"backend gmp\",\"rows\":["
            + "{\"figure\":\"create+join (in scheduler)\",\"unit\":\"µs\",\"pthread4j\":{\"median\":1.4,\"min\":0.9,"
            + "\"max\":27.2},\"baseline\":\"Go 0.48 µs (quoted)\",\"baselineValue\":null,\"ratio\":null,"
            + "\"target\":\"≤ 4\",\"verdict\":\"unclear\",\"note\":\"quoted; pthread4j CPU 1.38 µs/create+join (0.9–3.1)\"},"
            + "{\"figure\":\"create+join\",\"unit\":\"µs\",\"pthread4j\":{\"median\":1.5,\"min\":1,\"max\":2},"
            + "\"baseline\":\"virtual Thread\",\"baselineValue\":null,\"ratio\":null,\"target\":\"—\","
            + "\"verdict\":\"—\",\"note\":\"virtual Thread start+join, same JVM\"}]}";

    /** Each figure is read from its own row: the pthread4j median, and the CPU time its note gives. */
    @Test
    void readsTheNamedRow() {
        assertEquals(1.4, Builds.median(JSON, "create+join (in scheduler)"));
        assertEquals(1.38, Builds.cpu(JSON, "create+join (in scheduler)"));
        assertEquals(1.5, Builds.median(JSON, "create+join"));
        assertNull(Builds.cpu(JSON, "create+join"), "a row whose note has no CPU time");
    }

    /** A row the output lacks fails the run instead of giving a figure. */
    @Test
    void aMissingRowFails() {
        assertThrows(IllegalStateException.class, () -> Builds.median(JSON, "cond ping-pong (in scheduler)"));
    }
}

package org.pthread4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** How the memory figure reads the line of a child JVM. */
class VersusTest {

    /** A child's line, as it writes it, reads back to the same figures. */
    @Test
    void aChildLineReadsBack() {
        Versus.Blocked b = new Versus.Blocked(Versus.VIRTUAL, Versus.BLOCKED, 686.81792, -5.5e-3);
        assertEquals(b, Versus.Blocked.parse(b.json() + "\n"));
    }

    /** Anything else on a child's stdout fails the run instead of giving a figure. */
    @Test
    void otherOutputFails() {
        String line = new Versus.Blocked(Versus.PTHREAD, Versus.BLOCKED, 964.3, 34.5).json();
        assertThrows(IllegalStateException.class, () -> Versus.Blocked.parse("warning\n" + line));
        assertThrows(IllegalStateException.class, () -> Versus.Blocked.parse(line + "\n" + line));
        assertThrows(IllegalStateException.class, () -> Versus.Blocked.parse(""));
    }
}

package org.pthread4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The memory figure's child JVM of each kind, run as the figure runs it: it blocks every
 * thread of its rounds and writes its one line, which the parent reads. No figure is asserted.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class VersusMemoryIT {

    /**
     * A child of the kind exits cleanly with one line that names its kind, counts all its
     * threads blocked and reads the frames they keep.
     */
    @ParameterizedTest
    @ValueSource(strings = {Versus.PTHREAD, Versus.VIRTUAL})
    void childWritesItsLine(String kind) throws Exception {
        Path out = Files.createTempFile("memory", ".out");
        Path err = Files.createTempFile("memory", ".err");
        Process p = new ProcessBuilder(Versus.memoryChildCommand("virtual", kind))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(8, TimeUnit.MINUTES), "the memory child did not finish");
        String line = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), line + Files.readString(err, StandardCharsets.UTF_8));
        Versus.Blocked b = Versus.Blocked.parse(line);
        assertEquals(kind, b.kind(), line);
        assertEquals(Versus.BLOCKED, b.threads(), line);
        // The child opens the continuation's package: each blocked thread's chunk holds frames.
        assertTrue(b.stack() > 0, line);
    }
}

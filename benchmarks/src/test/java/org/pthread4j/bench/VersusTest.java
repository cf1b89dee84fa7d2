package org.pthread4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * How the memory figure reads the line of a child JVM, how a contended round counts
 * hand-overs, which JVMs touch their heap as they start, and when a time against a quoted
 * figure is a miss.
 */
class VersusTest {

    /** A child's line, as it writes it, reads back to the same figures. */
    @Test
    void aChildLineReadsBack() {
        Versus.Blocked b = new Versus.Blocked(Versus.VIRTUAL, Versus.BLOCKED, 686.81792, -5.5e-3, 288);
        assertEquals(b, Versus.Blocked.parse(b.json() + "\n"));
    }

    /** Anything else on a child's stdout fails the run instead of giving a figure. */
    @Test
    void otherOutputFails() {
        String line = new Versus.Blocked(Versus.PTHREAD, Versus.BLOCKED, 964.3, 34.5, StackChunks.UNKNOWN).json();
        assertThrows(IllegalStateException.class, () -> Versus.Blocked.parse("warning\n" + line));
        assertThrows(IllegalStateException.class, () -> Versus.Blocked.parse(line + "\n" + line));
        assertThrows(IllegalStateException.class, () -> Versus.Blocked.parse(""));
    }

    /** The live bytes of a class histogram are its total less the filler arrays, wherever they are listed. */
    @Test
    void liveBytesLeaveOutFiller() {
        String histogram = """
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:         50002       22404168  jdk.internal.vm.StackChunk (java.base@25.0.3)
                   2:          3360        4447744  [Ljdk.internal.vm.FillerElement; (java.base@25.0.3)
                   3:         50001        3200064  org.pthread4j.Threads$Pthread
                  40:             2            112  [Ljdk.internal.vm.FillerElement; (java.base@25.0.3)
                Total        103365       30052088
                """;
        assertEquals(30052088L - 4447744 - 112, Versus.liveBytes(histogram));
    }

    /** Text without a histogram's total fails the run instead of giving a figure. */
    @Test
    void noHistogramFails() {
        assertThrows(IllegalStateException.class, () -> Versus.liveBytes("Permission denied\n"));
    }

    /** A contended round counts every operation and a hand-over each time the holder changes, the first holder included. */
    @Test
    void countsHandOversWhenTheHolderChanges() {
        long[] counts = new long[2];
        long[] last = {-1};
        for (int holder : new int[] {0, 0, 1, 1, 1, 0, 2}) {
            Versus.count(counts, last, holder);
        }
        assertEquals(7, counts[0]);
        assertEquals(4, counts[1]);
    }

    /**
     * A figures' JVM touches its heap as it starts, with its backend, binding and options in
     * place; a memory child does not, so that its RSS growth is its blocked threads'.
     */
    @Test
    void figureJvmsPreTouchTheirHeapAndMemoryChildrenDoNot() {
        List<String> cmd = Versus.figureCommand("java", "b.jar", new String[] {"native", "jni"},
                List.of("-Dpthread4j.condspin=0", "--only", "cond"), List.of("--rounds", "5"));
        assertEquals(List.of("java", Versus.PRE_TOUCH, Harness.NATIVE_ACCESS, Harness.OPEN_LANG,
                "-Dpthread4j.backend=native", "-Dpthread4j.binding=jni", "-Dpthread4j.condspin=0",
                "-cp", "b.jar", Versus.class.getName(), "--only", "cond", "--rounds", "5"), cmd);
        List<String> child = Versus.memoryChildCommand("virtual", Versus.PTHREAD);
        assertFalse(child.contains(Versus.PRE_TOUCH), child.toString());
        assertTrue(child.contains("-Dpthread4j.backend=virtual"), child.toString());
    }

    /**
     * Against a quoted figure, a time that misses is a miss only if the CPU time spread over
     * every CPU misses too: otherwise the run may only have waited for a CPU.
     */
    @Test
    void aQuotedFigureIsMissedOnlyWhenTheCpuTimeMissesToo() {
        Interleaved.Ratio met = new Interleaved.Ratio(1.2, 1.1, 1.4, 0.97, 21);
        Interleaved.Ratio straddles = new Interleaved.Ratio(3.8, 2.1, 17, 0.97, 21);
        Interleaved.Ratio missed = new Interleaved.Ratio(9, 6, 20, 0.97, 21);
        assertEquals("met", Versus.quotedVerdict(met, missed, 4));
        assertEquals("unclear", Versus.quotedVerdict(straddles, met, 4));
        assertEquals("unclear", Versus.quotedVerdict(missed, met, 4));
        assertEquals("unclear", Versus.quotedVerdict(missed, straddles, 4));
        assertEquals("missed", Versus.quotedVerdict(missed, missed, 4));
    }
}

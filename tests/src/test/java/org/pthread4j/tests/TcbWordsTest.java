package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pthread4j.spi.Tcb;
import org.pthread4j.spi.Words;

/**
 * A control block's exit and interrupt words belong to its id's slot, not to the block (the
 * block keeps no field for them): the same for every model, since every model's blocks take
 * their ids and words from the same table. What reuse must not carry over from one thread
 * to the next thread of the slot is checked here on blocks made directly (no thread runs,
 * so that the quarantine of ids can be gone round in a fraction of a second).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TcbWordsTest {

    /** Slots shift the id by this many generation bits (Tcb's GEN_BITS). */
    private static final int GEN_BITS = 6;

    @Test
    void liveBlocksHaveWordsOfTheirOwn() {
        Tcb a = Tcb.create(true);
        Tcb b = Tcb.create(true);
        try {
            assertNotEquals(a.exitWord().address(), b.exitWord().address());
            assertEquals(a.exitWord().address() + Tcb.INTERRUPT_OFFSET, a.interruptWord().address());
            a.requestCancel();
            assertTrue(a.isCancelPending());
            assertTrue(b.isQuiet(), "a cancel of another block");
            assertEquals(Tcb.RUNNING, Words.get(b.exitWord()), "b's exit word");
        } finally {
            a.releaseId();
            b.releaseId();
        }
    }

    /**
     * A block whose thread was cancelled and ended, whose id then went round the quarantine
     * of released ids and came back with the next generation, gives the new block the same
     * words, cleared: no pending cancel, no exit.
     */
    @Test
    void aReusedSlotsWordsStartClear() {
        Tcb old = Tcb.create(true);
        int slot = old.id >>> GEN_BITS;
        long exitAddress = old.exitWord().address();
        old.requestCancel();
        Words.set(old.exitWord(), Tcb.EXITED);
        old.releaseId();
        Tcb reused = null;
        for (int i = 0; i < 1 << 21 && reused == null; i++) {
            Tcb t = Tcb.create(true);
            if (t.id >>> GEN_BITS == slot) {
                reused = t;
            } else {
                t.releaseId();
            }
        }
        assertTrue(reused != null, "slot " + slot + " never came back");
        try {
            assertNotEquals(old.id, reused.id, "the generation of the slot's next id");
            assertEquals(exitAddress, reused.exitWord().address(), "the slot's words");
            assertTrue(reused.isQuiet(), "the previous block's cancel");
            assertEquals(Tcb.RUNNING, Words.get(reused.exitWord()), "the previous block's exit");
        } finally {
            reused.releaseId();
        }
    }
}

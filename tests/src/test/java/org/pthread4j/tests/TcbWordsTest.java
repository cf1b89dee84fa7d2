package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
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
     * Blocks whose threads were cancelled and ended (their words left with CANCEL and
     * EXITED), whose ids went round the quarantine of released ids and came back with the next
     * generation, give each new block of the slot the same words, cleared: no pending cancel,
     * no exit. Every block made is checked, so that a block of another thread that takes one
     * of the slots first does not hide a reuse.
     */
    @Test
    void reusedSlotsWordsStartClear() {
        long[] addressOfSlot = new long[1 << 16];
        int reused = 0;
        for (int i = 0; i < 1 << 21 && reused < 1_000; i++) {
            Tcb t = Tcb.create(true);
            int slot = t.slot();
            if (slot >= addressOfSlot.length) {
                addressOfSlot = Arrays.copyOf(addressOfSlot, Math.max(2 * addressOfSlot.length, slot + 1));
            }
            assertTrue(t.isQuiet(), "the cancel of the previous block of slot " + slot);
            assertEquals(Tcb.RUNNING, Words.get(t.exitWord()), "the exit of the previous block of slot " + slot);
            if (addressOfSlot[slot] != 0) {
                reused++;
                assertEquals(addressOfSlot[slot], t.exitWord().address(), "the words of slot " + slot);
            }
            addressOfSlot[slot] = t.exitWord().address();
            t.requestCancel();
            Words.set(t.exitWord(), Tcb.EXITED);
            t.releaseId();
        }
        assertEquals(1_000, reused, "blocks made on a slot used before");
    }
}

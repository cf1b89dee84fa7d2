package org.pthread4j.gmp;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The scheduler's own lock: a test-and-set spin lock. A monitor or a ReentrantLock would let a
 * virtual thread that contends inside {@link Sched#execute} unmount while holding a queue,
 * and its resumption would need the very queue it holds; a spinning virtual thread never
 * unmounts, and every critical section here is a few queue operations with no blocking call.
 */
final class SpinMutex extends AtomicBoolean {
    private static final long serialVersionUID = 1L;

    void lock() {
        while (!compareAndSet(false, true)) {
            while (getPlain()) {
                Thread.onSpinWait();
            }
        }
    }

    void unlock() {
        setRelease(false);
    }
}

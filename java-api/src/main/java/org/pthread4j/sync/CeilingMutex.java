package org.pthread4j.sync;

import static org.pthread4j.spi.Errno.EDEADLK;
import static org.pthread4j.spi.Errno.EINVAL;
import static org.pthread4j.spi.Errno.EOWNERDEAD;

import org.pthread4j.spi.Futex;
import org.pthread4j.spi.Tcb;
import org.pthread4j.spi.Words;

/**
 * A {@code PTHREAD_PRIO_PROTECT} mutex: {@link Mutex}'s word and algorithm, and a priority
 * ceiling. A thread whose priority is above the ceiling may not lock it (EINVAL); a thread
 * under a real-time policy runs at the ceiling while it holds it, as glibc does it: raised
 * after the lock, given back its priority of before at the last unlock.
 *
 * <h2>State besides the word</h2>
 * <pre>
 *   ceiling   the priority ceiling: volatile, changed by setPriorityCeiling with the lock held
 *   depth     how many times the owner holds it (recursion included); owner-only, plain
 *   restore   the owner's priority before the first lock; owner-only, plain
 * </pre>
 * Only real-time threads have priorities to raise ({@link Priorities}); a SCHED_OTHER thread
 * (priority 0, every thread of a user-level model) is never above a ceiling and is not raised.
 * Each mutex gives back the priority its owner had when it locked it, so mutexes held nested
 * restore exactly when they are released in the reverse order of locking.
 */
public final class CeilingMutex extends Mutex {

    /** The calling thread's priority, as the thread model sees it. */
    public interface Priorities {
        /** The caller's real-time priority; 0 under any other policy. */
        int current();

        /** Sets the caller's priority within its real-time policy; nothing under another policy. */
        void set(int priority);
    }

    private final Priorities priorities;
    private volatile int ceiling;
    private int depth;
    private int restore;

    public CeilingMutex(Futex futex, int type, boolean robust, int ceiling, Priorities priorities) {
        super(futex, type, robust);
        this.ceiling = ceiling;
        this.priorities = priorities;
    }

    public int ceiling() {
        return ceiling;
    }

    @Override
    public int lock(Cancellation cancellation) {
        int prio = priorities.current();
        return prio > ceiling ? EINVAL : raised(prio, super.lock(cancellation));
    }

    @Override
    public int timedlock(int clock, long sec, long nsec, Cancellation cancellation) {
        int prio = priorities.current();
        return prio > ceiling ? EINVAL : raised(prio, super.timedlock(clock, sec, nsec, cancellation));
    }

    @Override
    public int trylock() {
        int prio = priorities.current();
        return prio > ceiling ? EINVAL : raised(prio, super.trylock());
    }

    /** After a lock call that answered {@code r}: the owner's first hold raises it to the ceiling. */
    private int raised(int prio, int r) {
        if (r == 0 || r == EOWNERDEAD) {
            if (depth++ == 0) {
                restore = prio;
                if (prio < ceiling) {
                    priorities.set(ceiling);
                }
            }
        }
        return r;
    }

    @Override
    public int unlock() {
        int r = super.unlock();
        if (r == 0) {
            lowered();
        }
        return r;
    }

    /** After a successful unlock: the last one gives the owner its priority back. */
    private void lowered() {
        if (--depth == 0 && restore < ceiling) {
            priorities.set(restore);
        }
    }

    @Override
    public void ownerDied(int id) {
        depth = 0; // the ending thread's priority no longer matters
        super.ownerDied(id);
    }

    @Override
    int releaseForWait() {
        int saved = super.releaseForWait();
        if (saved >= 0) {
            depth = 1;
            lowered();
        }
        return saved;
    }

    /** The owner's depth is always Mutex's recursion count plus one: restored from {@code saved}. */
    @Override
    int relock(int saved, boolean moved) {
        int r = raised(priorities.current(), super.relock(saved, moved));
        if (r == 0 || r == EOWNERDEAD) {
            depth = saved + 1;
        }
        return r;
    }

    /**
     * {@code pthread_mutex_setprioceiling}: takes the lock without the ceiling's check (or
     * uses the caller's hold), changes the ceiling, and lets it go.
     *
     * @return 0, or what locking answered (EDEADLK for an ERRORCHECK mutex the caller holds,
     *         as glibc; EOWNERDEAD, ENOTRECOVERABLE: the ceiling is unchanged)
     */
    public int setPriorityCeiling(int newCeiling, int[] old) {
        boolean held = (Words.get(word) & OWNER_MASK) == Tcb.current().id;
        if (held && type() == ERRORCHECK) {
            return EDEADLK;
        }
        if (!held) {
            int r = super.lock(null);
            if (r != 0) {
                return r; // EOWNERDEAD: the caller holds it, inconsistent, as after a lock
            }
        }
        if (old != null && old.length > 0) {
            old[0] = ceiling;
        }
        ceiling = newCeiling;
        if (!held) {
            super.unlock();
        }
        return 0;
    }
}

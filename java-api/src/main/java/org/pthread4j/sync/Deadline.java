package org.pthread4j.sync;

import static org.pthread4j.spi.Errno.EINVAL;
import static org.pthread4j.spi.Errno.ETIMEDOUT;

/** Checks of absolute deadlines, shared by every timed call. */
final class Deadline {
    static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Deadline() {}

    /**
     * 0 when {@code (sec, nsec)} may be waited on, EINVAL when {@code nsec} is outside
     * {@code [0, 1e9)}, ETIMEDOUT when {@code sec} is negative (before any clock's epoch,
     * so already past; glibc answers the same).
     */
    static int check(long sec, long nsec) {
        if (nsec < 0 || nsec >= NANOS_PER_SECOND) {
            return EINVAL;
        }
        return sec < 0 ? ETIMEDOUT : 0;
    }
}

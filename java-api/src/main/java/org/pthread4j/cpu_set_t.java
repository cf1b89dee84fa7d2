package org.pthread4j;

import java.util.Arrays;
import org.pthread4j.spi.Scheduling;

/**
 * C's {@code cpu_set_t}: a set of CPU numbers below {@code CPU_SETSIZE} (1024), changed and
 * read with {@code CPU_ZERO}, {@code CPU_SET}, {@code CPU_CLR}, {@code CPU_ISSET} and
 * {@code CPU_COUNT} on {@link Pthreads}. A new set is empty. Pass {@link #SIZEOF} where C
 * passes {@code sizeof(cpu_set_t)}.
 */
public final class cpu_set_t {
    /** {@code sizeof(cpu_set_t)}: 128 bytes. */
    public static final long SIZEOF = Scheduling.CPU_SETSIZE / 8;

    /** The bits, 64 CPUs a word, as the kernel reads them. */
    final long[] bits = new long[Scheduling.CPU_SETSIZE / 64];

    /** An empty set, as after C's {@code CPU_ZERO}. */
    public cpu_set_t() {}

    @Override
    public boolean equals(Object o) {
        return o instanceof cpu_set_t c && Arrays.equals(bits, c.bits);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bits);
    }

    /** The CPUs of the set, as {@code {0, 1}}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (int cpu = 0; cpu < Scheduling.CPU_SETSIZE; cpu++) {
            if ((bits[cpu / 64] & 1L << cpu) != 0) {
                b.append(b.length() > 1 ? ", " : "").append(cpu);
            }
        }
        return b.append('}').toString();
    }
}

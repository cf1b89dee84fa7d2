package org.pthread4j;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.function.Supplier;
import org.pthread4j.spi.Errno;

/**
 * The C library around the pthread calls, for ports of C programs: glibc's {@code printf}
 * family, {@code atoi}/{@code strtol}, {@code rand}, {@code time}, {@code exit}, an
 * {@code assert} that is always on, {@code perror}; and two helpers for what C does with
 * {@code void *}: {@link #intptr} for {@code (long) arg}, {@link Ptr} for
 * {@code (void **)&x}. Use it with {@code import static org.pthread4j.Libc.*;} beside
 * {@code import static org.pthread4j.Pthreads.*;}, which has {@code strerror},
 * {@code errno()} and the errno constants.
 *
 * <p>Each function prints or returns what glibc's does (glibc 2.36 on x86_64 Linux, the "C"
 * locale, whatever Java's default locale is); where Java cannot, its Javadoc says what happens
 * instead.
 */
public final class Libc {

    private Libc() {}

    // ---- stdio ----------------------------------------------------------------------------

    /** C's {@code stdout}: writes go to whatever {@link System#out} is at the time. */
    public static final PrintStream stdout = forwarding(() -> System.out);
    /** C's {@code stderr}: writes go to whatever {@link System#err} is at the time. */
    public static final PrintStream stderr = forwarding(() -> System.err);

    private static PrintStream forwarding(Supplier<PrintStream> target) {
        return new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                target.get().write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                target.get().write(b, off, len);
            }

            @Override
            public void flush() {
                target.get().flush();
            }
        }, true, target.get().charset());
    }

    /**
     * Prints {@code args} on {@link System#out} as C's printf does: the conversions
     * {@code d i u o x X c s p f F e E g G a A m %} with the flags {@code - + space # 0}, a
     * width and a precision (either may be {@code *}), and the length modifiers
     * {@code hh h l ll L j z t}. Floating point is rounded as glibc rounds it: the exact
     * binary value, to nearest, ties to even ({@code %.2f} of 0.125 prints {@code 0.12}).
     *
     * <p>Arguments: an integer conversion takes any integer box (Integer, Long, Short, Byte,
     * AtomicLong…), a Character or a {@link pthread_t} (its {@link pthread_t#value()}), and
     * converts it to the type of the conversion as a C cast would: {@code %d} prints an int,
     * so a Long prints its low 32 bits (write {@code %ld}); {@code %lu} and {@code %zu} print
     * a negative long as unsigned, {@code %u} a negative int. {@code %s} takes any object (its
     * {@code toString()}) or a {@code char[]}; {@code %p} prints {@link #intptr} in hex
     * ({@code 0x2a}, or {@code (nil)} for null); the floating conversions take any Number.
     * {@code %n} (a count in C, a newline to Java habits), positional arguments, a missing
     * argument or one of the wrong kind throw {@link IllegalArgumentException}. The text is
     * written in one call, so lines of two threads never mix.
     *
     * @param format the format, as C's
     * @param args the values of its conversions, in order
     * @return the number of chars printed (C counts bytes: the same for ASCII)
     */
    public static int printf(String format, Object... args) {
        return fprintf(System.out, format, args);
    }

    /**
     * {@link #printf} on {@code stream}.
     *
     * @param stream {@link #stdout}, {@link #stderr} or any PrintStream
     * @param format the format, as C's
     * @param args the values of its conversions, in order
     * @return the number of chars printed
     */
    public static int fprintf(PrintStream stream, String format, Object... args) {
        String text = CFormat.format(format, args);
        stream.print(text);
        return text.length();
    }

    /**
     * {@link #printf} into {@code str[0]} (C's {@code char *str}: a one-element array, as every
     * out-parameter here; a String has no overflow to fear).
     *
     * @param str where the text goes, in {@code str[0]}
     * @param format the format, as C's
     * @param args the values of its conversions, in order
     * @return the number of chars stored
     */
    public static int sprintf(String[] str, String format, Object... args) {
        str[0] = CFormat.format(format, args);
        return str[0].length();
    }

    /**
     * {@link #printf} into {@code str[0]}, cut to {@code size - 1} chars as C's buffer of
     * {@code size} would hold; with {@code size} 0 nothing is stored and {@code str} may be
     * null (C's {@code snprintf(NULL, 0, …)}, which measures).
     *
     * @param str where the text goes, in {@code str[0]}
     * @param size the size of C's buffer, the terminating NUL included
     * @param format the format, as C's
     * @param args the values of its conversions, in order
     * @return the length of the whole text, whatever was stored
     */
    public static int snprintf(String[] str, long size, String format, Object... args) {
        String text = CFormat.format(format, args);
        if (size > 0) {
            str[0] = text.length() < size ? text : text.substring(0, (int) size - 1);
        }
        return text.length();
    }

    /**
     * C's {@code fflush}.
     *
     * @param stream the stream to flush; null flushes {@link System#out} and {@link System#err}
     * @return 0
     */
    public static int fflush(PrintStream stream) {
        if (stream == null) {
            System.out.flush();
            System.err.flush();
        } else {
            stream.flush();
        }
        return 0;
    }

    /**
     * Prints {@code "s: "} (when {@code s} is neither null nor empty) and
     * {@code strerror(errno())} on {@link System#err}, as glibc does.
     *
     * @param s what failed, or null
     */
    public static void perror(String s) {
        String message = Errno.message(Pthreads.errno());
        System.err.print(s == null || s.isEmpty() ? message + "\n" : s + ": " + message + "\n");
    }

    // ---- numbers from strings ---------------------------------------------------------------

    /**
     * glibc's {@code atoi}: {@code (int) strtol(s, NULL, 10)}, so a value out of long's range
     * sets {@code errno()} to ERANGE and one out of int's wraps as C's cast does.
     *
     * @param s the text
     * @return its number, 0 if it has none
     */
    public static int atoi(String s) {
        return (int) strtol(s, null, 10);
    }

    /**
     * glibc's {@code atol}: {@code strtol(s, NULL, 10)}.
     *
     * @param s the text
     * @return its number, 0 if it has none
     */
    public static long atol(String s) {
        return strtol(s, null, 10);
    }

    /**
     * glibc's {@code atoll}: {@code strtoll(s, NULL, 10)}, the same as {@link #atol} here.
     *
     * @param s the text
     * @return its number, 0 if it has none
     */
    public static long atoll(String s) {
        return strtol(s, null, 10);
    }

    /**
     * C's {@code strtol}: skips white space, takes a sign, then the longest run of digits in
     * {@code base} (2 to 36; 0: {@code 0x} means 16, a leading {@code 0} means 8, else 10;
     * 16 also takes a {@code 0x} prefix). {@code end[0]} (C's {@code *endptr}, when
     * {@code end} is not null) gets the index of the first char not used: 0 when there was
     * no number. A value out of range gives {@code LONG_MAX} or {@code LONG_MIN} and sets
     * {@code errno()} to ERANGE; a bad base returns 0 and sets EINVAL, leaving {@code end}
     * alone. Otherwise errno is untouched, as in C: set it to 0 before the call to tell.
     *
     * @param s the text
     * @param end receives the index after the number in {@code end[0]}; may be null
     * @param base 2 to 36, or 0
     * @return the number, 0 if there is none
     */
    public static long strtol(String s, int[] end, int base) {
        return parse(s, end, base, false);
    }

    /**
     * C's {@code strtoul}, which parses as {@link #strtol} and returns the unsigned long's
     * bits: a leading {@code -} negates the value as an unsigned long does ({@code "-1"} gives
     * {@code ULONG_MAX}, which is -1 in a Java long: print it with {@code %lu}); a magnitude
     * above {@code ULONG_MAX} gives {@code ULONG_MAX} and ERANGE.
     *
     * @param s the text
     * @param end receives the index after the number in {@code end[0]}; may be null
     * @param base 2 to 36, or 0
     * @return the unsigned number's bits, 0 if there is none
     */
    public static long strtoul(String s, int[] end, int base) {
        return parse(s, end, base, true);
    }

    /** glibc's strtol and strtoul (stdlib/strtol_l.c, without the C23 {@code 0b} prefix of 2.38). */
    private static long parse(String s, int[] end, int base, boolean unsigned) {
        if (base < 0 || base == 1 || base > 36) {
            Pthreads.errno(Errno.EINVAL);
            return 0;
        }
        int n = s.length();
        int i = 0;
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = i < n && s.charAt(i) == '-';
        if (i < n && (negative || s.charAt(i) == '+')) {
            i++;
        }
        if (i < n && s.charAt(i) == '0') {
            if ((base == 0 || base == 16) && i + 1 < n && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
                i += 2;
                base = 16;
            } else if (base == 0) {
                base = 8;
            }
        } else if (base == 0) {
            base = 10;
        }
        int digits = i;
        long cutoff = Long.divideUnsigned(-1L, base);
        long cutlim = Long.remainderUnsigned(-1L, base);
        long value = 0;
        boolean overflow = false;
        for (int d; i < n && (d = digit(s.charAt(i))) < base; i++) {
            if (Long.compareUnsigned(value, cutoff) > 0 || value == cutoff && d > cutlim) {
                overflow = true;
            } else {
                value = value * base + d;
            }
        }
        if (i == digits) {
            // no number; after "0x" with no hex digit, the "0" was one (end at the x)
            if (end != null) {
                boolean afterHexPrefix = digits >= 2 && (s.charAt(digits - 1) | 0x20) == 'x' && s.charAt(digits - 2) == '0';
                end[0] = afterHexPrefix ? digits - 1 : 0;
            }
            return 0;
        }
        if (end != null) {
            end[0] = i;
        }
        if (!unsigned && !overflow && Long.compareUnsigned(value, negative ? Long.MIN_VALUE : Long.MAX_VALUE) > 0) {
            overflow = true;
        }
        if (overflow) {
            Pthreads.errno(Errno.ERANGE);
            return unsigned ? -1L : negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return negative ? -value : value;
    }

    /** A digit's value in bases up to 36 (C locale: ASCII only); 36 for any other char. */
    private static int digit(char c) {
        return c >= '0' && c <= '9' ? c - '0'
                : c >= 'a' && c <= 'z' ? c - 'a' + 10
                : c >= 'A' && c <= 'Z' ? c - 'A' + 10
                : 36;
    }

    /** isspace(3) in the C locale. */
    private static boolean isSpace(char c) {
        return c == ' ' || c >= '\t' && c <= '\r';
    }

    // ---- rand -----------------------------------------------------------------------------

    /** The largest value {@link #rand} returns. */
    public static final int RAND_MAX = 0x7FFF_FFFF;

    /**
     * glibc's {@code random()} state (stdlib/random_r.c, TYPE_3): an additive feedback
     * generator {@code r[i] = r[i-3] + r[i-31]} over 31 words, which {@code rand()} returns
     * shifted right by one. {@code front} and {@code rear} are glibc's {@code fptr} and
     * {@code rptr}, 3 apart. Guarded by {@link #RAND_LOCK}, as glibc locks it.
     */
    private static final int[] RAND_STATE = new int[31];
    private static int front;
    private static int rear;
    private static final Object RAND_LOCK = new Object();

    static {
        srand(1); // glibc's initial state is srand(1)'s
    }

    /**
     * glibc's {@code rand()}: the same sequence as C's for the same {@link #srand} seed (and,
     * without one, as after {@code srand(1)}). One generator for the process, shared by its
     * threads, as in C.
     *
     * @return 0 to {@link #RAND_MAX}
     */
    public static int rand() {
        synchronized (RAND_LOCK) {
            int value = RAND_STATE[front] += RAND_STATE[rear];
            front = (front + 1) % RAND_STATE.length;
            rear = (rear + 1) % RAND_STATE.length;
            return value >>> 1;
        }
    }

    /**
     * glibc's {@code srand}: seeds {@link #rand} with the low 32 bits of {@code seed} (C's
     * conversion to {@code unsigned int}, so {@code srand(time(null))} ports as written); 0
     * seeds as 1, as in glibc.
     *
     * @param seed the seed
     */
    public static void srand(long seed) {
        synchronized (RAND_LOCK) {
            int word = seed == 0 ? 1 : (int) seed;
            RAND_STATE[0] = word;
            for (int i = 1; i < RAND_STATE.length; i++) {
                // RAND_STATE[i] = (16807 * RAND_STATE[i - 1]) % 2147483647 without overflow
                long hi = word / 127773;
                long lo = word % 127773;
                word = (int) (16807 * lo - 2836 * hi);
                if (word < 0) {
                    word += 2147483647;
                }
                RAND_STATE[i] = word;
            }
            front = 3;
            rear = 0;
            for (int i = 0; i < 10 * RAND_STATE.length; i++) {
                rand();
            }
        }
    }

    /**
     * glibc's {@code rand_r}: its own small generator, three steps of the LCG
     * {@code next = next * 1103515245 + 12345} giving 11 + 10 + 10 bits, over the caller's
     * state {@code seed[0]} (C's {@code unsigned int *seed}; the int's bits are the unsigned
     * value). The same sequence as C's for the same seed.
     *
     * @param seed the generator's state, in {@code seed[0]}
     * @return 0 to {@link #RAND_MAX}
     */
    public static int rand_r(int[] seed) {
        int next = seed[0];
        next = next * 1103515245 + 12345;
        int result = (next >>> 16) % 2048;
        next = next * 1103515245 + 12345;
        result = result << 10 ^ (next >>> 16) % 1024;
        next = next * 1103515245 + 12345;
        result = result << 10 ^ (next >>> 16) % 1024;
        seed[0] = next;
        return result;
    }

    // ---- time, exit, assert ---------------------------------------------------------------

    /**
     * C's {@code time}.
     *
     * @param tloc receives the time in {@code tloc[0]}; may be null
     * @return the seconds since the epoch
     */
    public static long time(long[] tloc) {
        long now = Instant.now().getEpochSecond();
        if (tloc != null) {
            tloc[0] = now;
        }
        return now;
    }

    /** {@code exit} status of success. */
    public static final int EXIT_SUCCESS = 0;
    /** {@code exit} status of failure. */
    public static final int EXIT_FAILURE = 1;

    /**
     * C's {@code exit}: flushes {@link System#out} and {@link System#err} (C flushes its
     * stdio buffers), then ends the process with {@code status} from any thread, whatever
     * other pthreads still run ({@link System#exit}: shutdown hooks play atexit's part).
     * Not {@code pthread_exit}: {@code pthread_exit(null)} in main ends only the main thread,
     * and the process exits with status 0 once the last pthread has ended. Does not return.
     *
     * @param status the process's exit status (its low 8 bits, as in C)
     */
    public static void exit(int status) {
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /**
     * C's {@code abort}: ends the process at once with status 134, what a shell reports for a
     * process killed by SIGABRT (128 + 6), through {@link Runtime#halt}: no shutdown hooks
     * (atexit handlers) and no {@code finally} blocks run. Unlike glibc's, it first flushes
     * {@link System#out} and {@link System#err}, so what the program printed before is kept.
     * A parent that waits for the process sees an exit with status 134, not a signal.
     */
    public static void abort() {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(134);
    }

    /**
     * C's {@code assert(expression)}, always on (neither {@code -ea} nor NDEBUG turns it
     * off): when {@code expression} is false, prints glibc's message on {@link System#err},
     * <pre>prog: File.java:42: method: Assertion `text' failed.</pre>
     * and {@link #abort}s. {@code text} is the expression as written in C ({@code "n > 0"}),
     * which Java cannot see; file, line and method are the caller's (a lambda's is the method
     * that holds it). {@code prog} stands for C's program name: the main class's simple name,
     * or the jar's file name, from the launcher's command line.
     *
     * @param expression the assertion
     * @param text the assertion as written in C
     */
    public static void assert_(boolean expression, String text) {
        if (expression) {
            return;
        }
        StackWalker.StackFrame caller = StackWalker.getInstance()
                .walk(frames -> frames.skip(1).findFirst())
                .orElseThrow();
        String method = caller.getMethodName();
        if (method.startsWith("lambda$")) {
            method = method.substring("lambda$".length(), method.indexOf('$', "lambda$".length()));
        }
        System.err.print(programName() + ": " + caller.getFileName() + ":" + caller.getLineNumber() + ": " + method
                + ": Assertion `" + text + "' failed.\n");
        abort();
    }

    /** The main class's simple name, or the jar's file name, from the launcher's command line. */
    private static String programName() {
        String main = System.getProperty("sun.java.command", "java").split(" ", 2)[0];
        main = main.substring(main.lastIndexOf('/') + 1);
        return main.endsWith(".jar") || main.endsWith(".java") ? main : main.substring(main.lastIndexOf('.') + 1);
    }

    // ---- void * ---------------------------------------------------------------------------

    /**
     * C's {@code (intptr_t) p} or {@code (long) p} for a {@code void *} that carries an
     * integer, as start routines' arguments and exit values often do: the value of any
     * integer box (Integer, Long, Short, Byte, AtomicLong…; a Java {@code (long) arg} throws
     * ClassCastException on an Integer), a Character's code, a {@link pthread_t}'s
     * {@link pthread_t#value()}, a MemorySegment's address, and 0 for null (NULL). Any other
     * object gives its identity hash code, which stands for its address ({@code %p} prints
     * the same number); two objects may share one, so compare objects with {@code ==}.
     *
     * @param p what C's {@code void *} held
     * @return its integer value
     */
    public static long intptr(Object p) {
        return CFormat.address(p);
    }

    /**
     * A typed pointer variable, for C's {@code (void **)&x}: {@link #ref()} is the
     * one-element array that functions such as {@code pthread_join} take as their
     * {@code void **} out-parameter, {@link #get()} reads it as a {@code T}.
     * <pre>{@code
     * Ptr<int[]> rvals = new Ptr<>();          // int *rvals;
     * pthread_join(t, rvals.ref());            // pthread_join(t, (void **)&rvals);
     * if (rvals.is(PTHREAD_CANCELED)) …        // if (rvals == PTHREAD_CANCELED) …
     * int[] r = rvals.get();                   // r = rvals;
     * }</pre>
     * As in C, the type is the reader's promise: {@code get()} of something else throws
     * ClassCastException where its result is used.
     *
     * @param <T> what the pointer points to
     */
    public static final class Ptr<T> {
        private final Object[] cell = new Object[1];

        /** A null pointer. */
        public Ptr() {}

        /**
         * A pointer to {@code value}.
         *
         * @param value what it points to
         */
        public Ptr(T value) {
            cell[0] = value;
        }

        /**
         * {@code &x}.
         *
         * @return the out-parameter to pass where C passes {@code (void **)&x}
         */
        public Object[] ref() {
            return cell;
        }

        /**
         * {@code x}.
         *
         * @return the pointer's value, as a {@code T}
         */
        @SuppressWarnings("unchecked")
        public T get() {
            return (T) cell[0];
        }

        /**
         * {@code x = value}.
         *
         * @param value the new value
         */
        public void set(T value) {
            cell[0] = value;
        }

        /**
         * {@code x == p}.
         *
         * @param p a pointer, such as {@code PTHREAD_CANCELED} or null
         * @return whether the value is {@code p} itself, as C compares pointers
         */
        public boolean is(Object p) {
            return cell[0] == p;
        }

        @Override
        public String toString() {
            return "Ptr[" + cell[0] + "]";
        }
    }
}

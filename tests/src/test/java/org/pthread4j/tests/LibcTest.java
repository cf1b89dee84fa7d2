package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.pthread4j.Libc.*;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pthread4j.*;

/**
 * The porting kit, {@link Libc}, against glibc: each test sends the same calls to C, through
 * the small interpreter {@code src/test/c/libc.c} (built with gcc into {@code target/c}), and
 * to Libc, and compares what both print line by line. Without gcc the comparisons skip, saying
 * so. The tables hold the cases where a naive port goes wrong: glibc's rounding of ties,
 * unsigned conversions of negative values, strtol's edge cases, every errno message.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LibcTest {

    static final Path REPO = Path.of(System.getProperty("pthread4j.repo", "..")).toAbsolutePath().normalize();
    static final Path SOURCE = REPO.resolve("tests/src/test/c/libc.c");
    static final Path BINARY = REPO.resolve("tests/target/c/libc");

    // ---- the C side ------------------------------------------------------------------------

    private static Boolean built;

    /** Builds the C program once per build; false (with a note) where gcc is missing. */
    static synchronized boolean cProgram() throws IOException, InterruptedException {
        if (built == null) {
            Files.createDirectories(BINARY.getParent());
            if (Files.exists(BINARY)
                    && Files.getLastModifiedTime(BINARY).compareTo(Files.getLastModifiedTime(SOURCE)) >= 0) {
                built = true;
            } else {
                Process cc;
                try {
                    cc = new ProcessBuilder("gcc", "-O2", "-std=c17", "-Wall", "-Wextra", "-Werror", "-pthread",
                            "-o", BINARY.toString(), SOURCE.toString()).redirectErrorStream(true).start();
                } catch (IOException noGcc) {
                    System.err.println("gcc not found: the Libc tests skip their comparison with glibc");
                    return built = false;
                }
                String diagnostics = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(cc.waitFor(60, TimeUnit.SECONDS), "gcc timed out");
                assertEquals(0, cc.exitValue(), "gcc " + SOURCE + ":\n" + diagnostics);
                built = true;
            }
        }
        return built;
    }

    /** What a process printed (stdout and stderr in one) and its exit status. */
    record Run(String out, int status) {}

    static Run run(List<String> command, String input) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command + " did not end");
        return new Run(out, p.exitValue());
    }

    /** The C program's output for these commands (it must exit with 0); skips without gcc. */
    static List<String> c(List<String> commands) throws IOException, InterruptedException {
        assumeTrue(cProgram(), "gcc not found: no C output to compare with");
        Run r = run(List.of(BINARY.toString()), String.join("\n", commands) + "\n");
        assertEquals(0, r.status(), "the C program failed; it printed:\n" + r.out());
        return r.out().lines().toList();
    }

    /** Checks that Java printed what C printed, line by line; {@code what} names each line's input. */
    static void sameLines(List<String> c, List<String> java, List<String> what) {
        for (int i = 0; i < Math.max(c.size(), java.size()); i++) {
            String input = i < what.size() ? what.get(i) : "(line " + (i + 1) + ")";
            assertEquals(i < c.size() ? c.get(i) : "<nothing>", i < java.size() ? java.get(i) : "<nothing>", input);
        }
    }

    static void sameLines(List<String> c, List<String> java) {
        sameLines(c, java, List.of());
    }

    /** C's escapes for a string field of a command (tab, newline, backslash...). */
    static String escape(String s) {
        if (s == null) {
            return "\\N";
        }
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\u000b", "\\v")
                .replace("\f", "\\f").replace("\r", "\\r");
    }

    // ---- printf ------------------------------------------------------------------------------

    /**
     * One printf call: the format, the values of its {@code *}s, and one value as C passes it
     * ({@code type}, {@code cValue}; see libc.c) and as Java does.
     */
    record Call(String format, int[] stars, char type, String cValue, Object value) {
        Call stars(int... s) {
            return new Call(format, s, type, cValue, value);
        }

        /** The C program's command: {@code prefix}, then the format, the stars, the type and the value. */
        String command(String... prefix) {
            List<String> fields = new ArrayList<>(List.of(prefix));
            fields.add(escape(format));
            List<String> s = Arrays.stream(stars).mapToObj(Integer::toString).toList();
            fields.add(s.isEmpty() ? "-" : String.join(",", s));
            fields.add(Character.toString(type));
            fields.add(cValue);
            return String.join("\t", fields);
        }

        Object[] args() {
            List<Object> a = new ArrayList<>();
            for (int s : stars) {
                a.add(s);
            }
            if (type != '-' && type != 'e') {
                a.add(value);
            }
            return a.toArray();
        }

        /** Sets errno for %m, as the C side does. */
        void prepare() {
            if (type == 'e') {
                errno(Integer.parseInt(cValue));
            }
        }

        @Override
        public String toString() {
            String s = stars.length > 0 ? Arrays.toString(stars) + ", " : "";
            return "printf(\"" + format + "\", " + s + cValue + " as " + type + ")";
        }
    }

    static Call i(String f, int v) {
        return new Call(f, new int[0], 'i', Integer.toString(v), v);
    }

    static Call u(String f, int bits) {
        return new Call(f, new int[0], 'u', Integer.toUnsignedString(bits), bits);
    }

    static Call l(String f, long v) {
        return new Call(f, new int[0], 'l', Long.toString(v), v);
    }

    static Call ul(String f, long bits) {
        return new Call(f, new int[0], 'U', Long.toUnsignedString(bits), bits);
    }

    static Call d(String f, double v) {
        return new Call(f, new int[0], 'd', Long.toHexString(Double.doubleToRawLongBits(v)), v);
    }

    static Call fl(String f, float v) {
        return new Call(f, new int[0], 'f', Integer.toHexString(Float.floatToRawIntBits(v)), v);
    }

    static Call s(String f, String v) {
        return new Call(f, new int[0], 's', escape(v), v);
    }

    static Call ch(String f, char v) {
        return new Call(f, new int[0], 'c', Integer.toString(v), v);
    }

    static Call p(String f, long v) {
        return new Call(f, new int[0], 'p', Long.toUnsignedString(v), v == 0 ? null : (Object) v);
    }

    static Call none(String f) {
        return new Call(f, new int[0], '-', "-", null);
    }

    static Call errnoIs(String f, int errnum) {
        return new Call(f, new int[0], 'e', Integer.toString(errnum), null);
    }

    static final double NEGATIVE_NAN = Double.longBitsToDouble(0xfff8_0000_0000_0000L);

    static final double[] DOUBLES = {
        0.0, -0.0, 0.125, 0.375, 0.5, 1.5, 2.5, -2.5, 0.05, 0.1, 1.005, 2.675, 1.0 / 3, 2.0 / 3, -1.0 / 3,
        9.9999995, 999999.5, 0.00001234, 1e-5, 1e-4, 123456.789, 1e15, 1e16, 1e21, 1e300, 4.9e-324,
        2.2250738585072014e-308, Double.MAX_VALUE, 1.999, 1.96875, 255.5, 9999.5, 99.6, 9.7, 999.4999, 9.5,
        0.95, 9999999999.5, 9.9999996e-5, 99999.95, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.NaN, NEGATIVE_NAN,
    };

    static final String[] DOUBLE_FORMATS = {
        "%f", "%.0f", "%.1f", "%.2f", "%.3f", "%#.0f", "%e", "%.0e", "%.2e", "%#.0e", "%E", "%g", "%.0g",
        "%.1g", "%.2g", "%.10g", "%#g", "%G", "%a", "%.0a", "%.1a", "%.3a", "%.15a", "%A", "%#.0a", "%+f",
        "% f", "%010.2f", "%-10.2f|", "%+010.2e", "%12.4g", "%020a", "%-12g|", "%'.2f", "%5.1f%%", "%#.4g",
        "%#.3g", "%#.2g", "%#.1g", "%#.0g", "%#10.10g",
    };

    /** The printf table: every conversion, flag, width, precision and length modifier. */
    static List<Call> printfTable() {
        List<Call> t = new ArrayList<>(List.of(
                i("%d", 0), i("%d", 42), i("%d", -42), i("%d", Integer.MAX_VALUE), i("%d", Integer.MIN_VALUE),
                i("%i", -1), i("%5d", -42), i("%-5d|", 42), i("%05d", -42), i("%+d", 42), i("%+d", -42), i("% d", 42),
                i("%+ d", 42), i("%.3d", 7), i("%.0d", 0), i("%5.0d|", 0), i("%8.3d", -7), i("%08.3d", -7),
                i("%-08d|", 7), i("%'d", 1234567), i("%*d", 42).stars(6), i("%-*d|", 42).stars(6),
                i("%*d|", 42).stars(-6), i("%.*d", 42).stars(4), i("%.*d", 42).stars(-1), i("%*.*d", 42).stars(8, 4),
                i("%d:%d", 2).stars(1), i("%hhd", 300), i("%hhd", 200), i("%hhu", -1), i("%hd", 70000), i("%hu", -1),
                i("%hhx", 511), i("%x", 255), i("%X", 255), i("%#x", 255), i("%#X", 0), i("%#o", 8), i("%#o", 0),
                i("%#.0o", 0), i("%#10x", 255), i("%#010x", 255), i("%-#10x|", 255), i("%#.5x", 255), i("%o", 8),
                u("%u", -1), u("%u", 42), u("%+u", 5), u("% u", 5), u("%o", -1), u("%x", -1), u("%lu", 7),
                l("%ld", Long.MAX_VALUE), l("%ld", Long.MIN_VALUE), l("%lld", Long.MIN_VALUE), l("%li", -5),
                l("%zd", -5), l("%jd", -5), l("%td", -5), l("%+ld", 5), l("%020ld", -5), l("%.20ld", 5),
                ul("%lu", -1), ul("%zu", -1), ul("%llu", Long.MIN_VALUE), ul("%lx", -1), ul("%lX", Long.MIN_VALUE),
                ul("%lo", -1), ul("%#lo", -1), ul("%#lx", 0xdeadbeefL), ul("%zx", 4096), ul("%ju", -2),
                ch("%c", 'A'), ch("%5c|", 'A'), ch("%-5c|", 'A'), ch("%05c", 'A'), ch("%.0c", 'A'), ch("[%c]", ' '),
                s("%s", "hello"), s("%10s|", "hello"), s("%-10s|", "hello"), s("%.3s", "hello"), s("%10.3s|", "hello"),
                s("%s", ""), s("[%5s]", ""), s("%s", null), s("%.3s|", null), s("%.6s", null), s("%10s", null),
                s("%-10s|", null), s("%05s", "ab"), s("%.*s", "hello").stars(2), s("%*s|", "ab").stars(-5),
                s("tab\t%s", "a\tb"), s("%s", "100%"), s("%d=%s", "x").stars(7),
                p("%p", 0), p("%p", 42), p("%10p|", 255), p("%-10p|", 255), p("%010p", 255), p("%#p", 255),
                p("%+p", 1), p("% p", 1), p("%.4p", 1), p("%p", -1), p("%10p|", 0), p("%-10p|", 0), p("%.3p", 0),
                none("%%"), none("100%%"), none("%5%"), none("%-5%|"), none("no conversion"), none(""),
                none("%y"), none("%5y"), errnoIs("%m", 13), errnoIs("%m", 0), errnoIs("%m", 1000), errnoIs("[%20m]", 2),
                fl("%f", 0.1f), fl("%e", 0.1f), fl("%g", 1.5f), fl("%a", 0.1f), fl("%.10f", 3.4028235e38f),
                fl("%a", 1.4e-45f), fl("%.20f", 1.4e-45f)));
        for (String f : DOUBLE_FORMATS) {
            for (double v : DOUBLES) {
                t.add(d(f, v));
            }
        }
        for (double v : DOUBLES) {
            t.add(d("%*.*f|", v).stars(12, 3));
            t.add(d("%.*e", v).stars(-3));
        }
        return t;
    }

    /**
     * printf prints what glibc's printf prints, byte for byte, and returns the same count, over
     * the whole table, and in a default locale whose decimal separator is a comma.
     */
    @Test
    void printfPrintsWhatGlibcPrints() throws Exception {
        List<Call> table = printfTable();
        List<String> c = c(table.stream().map(call -> call.command("printf")).toList());
        Locale saved = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        List<String> java = new ArrayList<>();
        try {
            String out = captureStdout(() -> {
                for (Call call : table) {
                    call.prepare();
                    int n = printf(call.format(), call.args());
                    System.out.print("|" + n + "\n");
                }
            });
            java.addAll(out.lines().toList());
        } finally {
            Locale.setDefault(saved);
        }
        sameLines(c, java, table.stream().map(Call::toString).toList());
    }

    /** snprintf stores what fits in a buffer of the given size and returns the whole length, as glibc's. */
    @Test
    void snprintfCutsAsGlibcDoes() throws Exception {
        List<Call> calls = List.of(i("%d", 123456), s("%s", "hello"), d("%.3f", 0.125), none("%%"));
        long[] sizes = {0, 1, 2, 4, 5, 6, 7, 100};
        List<String> commands = new ArrayList<>();
        List<String> java = new ArrayList<>();
        for (Call call : calls) {
            for (long size : sizes) {
                commands.add(call.command("snprintf", Long.toString(size)));
                String[] buf = {size == 0 ? null : "unset"};
                int n = snprintf(size == 0 ? null : buf, size, call.format(), call.args());
                java.add("[" + (size == 0 ? "" : buf[0]) + "]|" + n);
            }
        }
        sameLines(c(commands), java, commands);
    }

    /** sprintf stores the whole text in str[0] and returns its length; fprintf writes to the stream given. */
    @Test
    void sprintfAndFprintf() {
        String[] str = new String[1];
        assertEquals(7, sprintf(str, "%d|%5.2f", 7, 0.125));
        assertEquals("7| 0.12", str[0]);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(4, fprintf(new PrintStream(bytes, true, StandardCharsets.UTF_8), "%lu", 1234L));
        assertEquals("1234", bytes.toString(StandardCharsets.UTF_8));
        assertEquals("out 1\n", captureStdout(() -> fprintf(stdout, "out %d\n", 1)));
        assertEquals("err 2\n", captureStderr(() -> fprintf(stderr, "err %d\n", 2)));
    }

    /** What C cannot be asked: a missing argument, one of the wrong kind, %n and positional arguments throw. */
    @Test
    void printfRefusesWhatItCannotFormat() {
        String[] str = new String[1];
        assertThrows(IllegalArgumentException.class, () -> sprintf(str, "%d %d", 1));
        assertThrows(IllegalArgumentException.class, () -> sprintf(str, "%d", "text"));
        assertThrows(IllegalArgumentException.class, () -> sprintf(str, "%d", 1.5));
        assertThrows(IllegalArgumentException.class, () -> sprintf(str, "%f", "text"));
        assertThrows(IllegalArgumentException.class, () -> sprintf(str, "%d%n", 1));
        assertThrows(IllegalArgumentException.class, () -> sprintf(str, "%1$d", 1));
    }

    /**
     * The Java values C has no counterpart for: a pthread_t prints its value(), any integer box
     * (AtomicLong too) prints its value, a Character prints itself, a char[] up to its NUL, a
     * Float exactly, %p of any other object a stable identity number, and %d of a Long its low
     * 32 bits as C's int conversion does.
     */
    @Test
    void printfTakesJavaValues() {
        String[] str = new String[1];
        pthread_t self = pthread_self();
        sprintf(str, "%lu %p", self, self);
        assertEquals(self.value() + " 0x" + Long.toHexString(self.value()), str[0]);
        sprintf(str, "%ld %d %hd %u %c %c", new AtomicLong(-3), (short) -2, (byte) 5, 'A', 'B', 66);
        assertEquals("-3 -2 5 65 B B", str[0]);
        sprintf(str, "[%s] [%.2s]", new char[] {'a', 'b', 0, 'c'}, new char[] {'x', 'y', 'z'});
        assertEquals("[ab] [xy]", str[0]);
        Object o = new Object();
        sprintf(str, "%p", o);
        assertEquals("0x" + Long.toHexString(intptr(o)), str[0]);
        String first = str[0];
        sprintf(str, "%p", o);
        assertEquals(first, str[0], "%p of one object prints one value");
        sprintf(str, "%d %ld %s", 10_000_000_000L, 10_000_000_000L, null);
        assertEquals("1410065408 10000000000 (null)", str[0]);
    }

    // ---- strtol and friends ----------------------------------------------------------------

    static final Object[][] STRTOL = {
        {10, "123"}, {10, "  -123abc"}, {10, "+42"}, {10, "\t\n\u000b\f\r 7"}, {10, ""}, {10, "   "}, {10, "-"},
        {10, "+"}, {10, "- 1"}, {10, "abc"}, {0, "0x1F"}, {0, "0X1f"}, {0, "017"}, {0, "0"}, {0, "08"}, {0, "0x"},
        {0, "  0x"}, {0, "0xg"}, {0, "-0x10"}, {16, "0x1F"}, {16, "1F"}, {16, "0x"}, {16, "0X"}, {8, "0x10"},
        {36, "zz"}, {36, "ZZ!"}, {2, "1012"}, {10, "9223372036854775807"}, {10, "9223372036854775808"},
        {10, "-9223372036854775808"}, {10, "-9223372036854775809"}, {10, "99999999999999999999999x"},
        {16, "ffffffffffffffff"}, {16, "-8000000000000000"}, {16, "7fffffffffffffff"}, {1, "5"}, {37, "5"},
        {-1, "5"}, {0, "0b101"}, {10, "１２"}, {10, "12\u00a0"}, {10, "\u00a012"}, {10, "18446744073709551615"},
        {10, "18446744073709551616"}, {10, "-1"}, {10, "-18446744073709551615"}, {10, "-18446744073709551616"},
        {16, "-ffffffffffffffff"}, {10, "4294967296"}, {10, "2147483648"},
    };

    /** strtol and strtoul return glibc's value, end index and errno on every edge case of the table. */
    @Test
    void strtolAndStrtoulAsGlibc() throws Exception {
        List<String> commands = new ArrayList<>();
        List<String> java = new ArrayList<>();
        for (String name : List.of("strtol", "strtoul")) {
            for (Object[] row : STRTOL) {
                int base = (Integer) row[0];
                String s = (String) row[1];
                commands.add(name + "\t" + base + "\t" + escape(s));
                int[] end = {0};
                errno(0);
                long v = name.equals("strtol") ? strtol(s, end, base) : strtoul(s, end, base);
                String value = name.equals("strtol") ? Long.toString(v) : Long.toUnsignedString(v);
                java.add(value + " " + end[0] + " " + errno());
            }
        }
        sameLines(c(commands), java, commands);
    }

    /** atoi, atol and atoll give glibc's values and errno, including atoi's wrap of a long. */
    @Test
    void atoiAtolAtollAsGlibc() throws Exception {
        String[] inputs = {"42", " -42x", "+7", "", "abc", "2147483647", "2147483648", "-2147483649", "4294967297",
            "99999999999999999999", "-99999999999999999999", "0x10", "010"};
        List<String> commands = new ArrayList<>();
        List<String> java = new ArrayList<>();
        for (String s : inputs) {
            commands.add("atoi\t" + escape(s));
            errno(0);
            int v = atoi(s);
            java.add(v + " " + errno());
        }
        for (String name : List.of("atol", "atoll")) {
            for (String s : inputs) {
                commands.add(name + "\t" + escape(s));
                errno(0);
                long v = name.equals("atol") ? atol(s) : atoll(s);
                java.add(v + " " + errno());
            }
        }
        sameLines(c(commands), java, commands);
    }

    // ---- rand ----------------------------------------------------------------------------

    static final long[] SEEDS = {0, 1, 2, 42, 12345, 2147483647L, 2147483648L, 4294967295L, 1700000000L};

    /** rand after srand(seed) gives glibc's sequence for each seed of the table (200 values each). */
    @Test
    void randGivesGlibcSequence() throws Exception {
        List<String> commands = new ArrayList<>();
        List<String> java = new ArrayList<>();
        for (long seed : SEEDS) {
            commands.add("srand\t" + seed + "\t200");
            srand(seed);
            for (int k = 0; k < 200; k++) {
                java.add(Integer.toString(rand()));
            }
        }
        sameLines(c(commands), java);
    }

    /** Without srand, a new process's rand gives glibc's unseeded sequence. */
    @Test
    void randUnseededAsGlibc() throws Exception {
        List<String> c = c(List.of("rand\t20"));
        Run java = run(childJvm(LibcChild.class, "rand", "20"), "");
        assertEquals(0, java.status(), java.out());
        sameLines(c, java.out().lines().toList());
    }

    /** rand_r gives glibc's sequence and leaves the same seed behind, for each seed of the table. */
    @Test
    void randRGivesGlibcSequence() throws Exception {
        List<String> commands = new ArrayList<>();
        List<String> java = new ArrayList<>();
        for (long seed : SEEDS) {
            commands.add("rand_r\t" + seed + "\t200");
            int[] state = {(int) seed};
            for (int k = 0; k < 200; k++) {
                java.add(Integer.toString(rand_r(state)));
            }
            java.add("seed " + Integer.toUnsignedString(state[0]));
        }
        sameLines(c(commands), java);
    }

    // ---- strerror, perror, errno ----------------------------------------------------------

    /** strerror gives glibc's message for every errno 0 to 133, and "Unknown error N" around them. */
    @Test
    void strerrorHasGlibcTable() throws Exception {
        List<String> commands = new ArrayList<>();
        List<String> java = new ArrayList<>();
        for (int e = -2; e <= 140; e++) {
            commands.add("strerror\t" + e);
            java.add(strerror(e));
        }
        sameLines(c(commands), java, commands);
    }

    /** perror prints "s: message" (or the message alone for a null or empty s) on stderr, as glibc's. */
    @Test
    void perrorAsGlibc() throws Exception {
        Object[][] calls = {{13, "open"}, {2, ""}, {0, null}, {110, "wait"}, {1000, "x"}};
        List<String> commands = new ArrayList<>();
        StringBuilder java = new StringBuilder();
        for (Object[] call : calls) {
            commands.add("perror\t" + call[0] + "\t" + escape((String) call[1]));
            java.append(captureStderr(() -> {
                errno((Integer) call[0]);
                perror((String) call[1]);
            }));
        }
        sameLines(c(commands), java.toString().lines().toList(), commands);
    }

    // ---- time, exit, assert ----------------------------------------------------------------

    /**
     * time gives the seconds C's time gives: a C run between two Java calls reads a value
     * between them (less one: glibc reads the kernel's coarse clock, up to a tick behind).
     */
    @Test
    void timeAsGlibc() throws Exception {
        long[] before = new long[1];
        long t0 = time(before);
        List<String> c = c(List.of("time"));
        long t1 = time(null);
        assertEquals(t0, before[0]);
        long ct = Long.parseLong(c.get(0));
        assertTrue(t0 - 1 <= ct && ct <= t1, "C's time " + ct + " outside [" + (t0 - 1) + ", " + t1 + "]");
    }

    /**
     * exit from a thread while main waits in pthread_join ends the process with that status,
     * and what the thread printed without a newline comes out, as in C.
     */
    @Test
    void exitFromAThreadAsInC() throws Exception {
        assumeTrue(cProgram(), "gcc not found: no C output to compare with");
        Run c = run(List.of(BINARY.toString()), "exit\t3\n");
        Run java = run(childJvm(LibcChild.class, "exit", "3"), "");
        assertEquals(3, c.status());
        assertEquals(c.status(), java.status(), java.out());
        assertEquals(c.out(), java.out());
    }

    static final Pattern ASSERTION = Pattern.compile("(\\S+): (\\S+):(\\d+): (\\w+): (Assertion `.*' failed\\.)");

    /**
     * assert prints glibc's "prog: file:line: function: Assertion `expr' failed." for the line
     * of the call and ends the process with SIGABRT's status 134; a true assertion goes on.
     */
    @Test
    void assertAsGlibc() throws Exception {
        assumeTrue(cProgram(), "gcc not found: no C output to compare with");
        Run c = run(List.of(BINARY.toString()), "assert\t2\n");
        Run java = run(childJvm(LibcChild.class, "assert", "2"), "");
        assertEquals(134, c.status(), c.out());
        assertEquals(134, java.status(), java.out());
        Matcher cm = ASSERTION.matcher(c.out().strip());
        Matcher jm = ASSERTION.matcher(java.out().strip());
        assertTrue(cm.matches(), c.out());
        assertTrue(jm.matches(), java.out());
        assertEquals("libc", cm.group(1));
        assertEquals("LibcChild", jm.group(1));
        assertEquals(cm.group(4), jm.group(4), "the function");
        assertEquals(cm.group(5), jm.group(5), "the assertion");
        assertTrue(line(Path.of(cm.group(2)), cm.group(3)).contains("assert(x == 1)"), c.out());
        Path javaSource = REPO.resolve("tests/src/test/java/org/pthread4j/tests").resolve(jm.group(2));
        assertTrue(line(javaSource, jm.group(3)).contains("assert_(x == 1, \"x == 1\")"), java.out());

        Run cTrue = run(List.of(BINARY.toString()), "assert\t1\n");
        Run javaTrue = run(childJvm(LibcChild.class, "assert", "1"), "");
        assertEquals(0, javaTrue.status(), javaTrue.out());
        assertEquals(cTrue.out(), javaTrue.out());
    }

    static String line(Path file, String number) throws IOException {
        return Files.readAllLines(file).get(Integer.parseInt(number) - 1);
    }

    // ---- void *, handles -----------------------------------------------------------------------

    /** intptr reads every integer box as C's (long) reads the void * that carries it, and %p prints the same. */
    @Test
    void intptrAsCCast() throws Exception {
        long[] values = {0, 42, -1, 127, 32767, 65535, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE};
        List<String> commands = new ArrayList<>();
        List<String> java = new ArrayList<>();
        String[] str = new String[1];
        for (long v : values) {
            List<Object> boxes = new ArrayList<>(List.of(v, new AtomicLong(v)));
            if (v == (int) v) {
                boxes.add((int) v);
            }
            if (v == (short) v) {
                boxes.add((short) v);
            }
            if (v == (byte) v) {
                boxes.add((byte) v);
            }
            if (v == (char) v) {
                boxes.add((char) v);
            }
            for (Object box : boxes) {
                commands.add("intptr\t" + v);
                sprintf(str, "%ld %p", intptr(box), v == 0 ? null : box);
                java.add(str[0]);
            }
        }
        sameLines(c(commands), java, commands);
        assertEquals(0, intptr(null));
        Object o = new Object();
        assertEquals(System.identityHashCode(o), intptr(o));
    }

    /**
     * Exit values through Ptr, as C's (void **)&x: an array returned, a long through
     * pthread_exit, and PTHREAD_CANCELED, printed as the C program prints them.
     */
    @Test
    void ptrAsVoidPointerPointer() throws Exception {
        List<String> c = c(List.of("join"));
        String java = captureStdout(() -> {
            pthread_t[] t = pthread_t.array(3);
            pthread_create(t[0], null, arg -> new int[] {1, 2, 3}, null);
            pthread_create(t[1], null, arg -> {
                pthread_exit(intptr(arg) * 2);
                return null;
            }, 21);
            pthread_create(t[2], null, arg -> {
                for (;;) {
                    sleep(1);
                }
            }, null);
            Ptr<int[]> rvals = new Ptr<>();
            printf("join %d\n", joinWithin(t[0], rvals.ref(), WAIT_SECONDS));
            printf("sum %d\n", rvals.get()[0] + rvals.get()[1] + rvals.get()[2]);
            Ptr<Long> value = new Ptr<>();
            printf("join %d\n", joinWithin(t[1], value.ref(), WAIT_SECONDS));
            printf("value %ld\n", value.get());
            Ptr<Object> ret = new Ptr<>();
            printf("cancel %d\n", pthread_cancel(t[2]));
            printf("join %d\n", joinWithin(t[2], ret.ref(), WAIT_SECONDS));
            printf("canceled %d\n", ret.is(PTHREAD_CANCELED) ? 1 : 0);
        });
        sameLines(c, java.lines().toList());
        Ptr<String> p = new Ptr<>("x");
        assertEquals("x", p.get());
        assertTrue(p.is(p.get()));
        p.set(null);
        assertTrue(p.is(null));
    }

    /**
     * X.array(n) gives n distinct handles, each as its constructor makes it, usable as C's
     * arrays of that type are: the same calls on each element return what glibc returns.
     */
    @Test
    void handleArraysAsCArrays() throws Exception {
        List<String> c = c(List.of("arrays"));
        int n = 3;
        long[] count = {0};
        pthread_t[] t = pthread_t.array(n);
        pthread_mutex_t counted = new pthread_mutex_t();
        pthread_mutex_t[] m = pthread_mutex_t.array(n);
        pthread_cond_t[] cv = pthread_cond_t.array(n);
        pthread_rwlock_t[] rw = pthread_rwlock_t.array(n);
        pthread_once_t[] o = pthread_once_t.array(n);
        pthread_key_t[] k = pthread_key_t.array(n);
        pthread_barrier_t[] b = pthread_barrier_t.array(n);
        pthread_spinlock_t[] sp = pthread_spinlock_t.array(n);
        sem_t[] s = sem_t.array(n);
        pthread_attr_t[] a = pthread_attr_t.array(n);
        pthread_mutexattr_t[] ma = pthread_mutexattr_t.array(n);
        pthread_condattr_t[] ca = pthread_condattr_t.array(n);
        pthread_rwlockattr_t[] ra = pthread_rwlockattr_t.array(n);
        pthread_barrierattr_t[] ba = pthread_barrierattr_t.array(n);
        timespec[] ts = timespec.array(n);
        for (Object[] array : new Object[][] {t, m, cv, rw, o, k, b, sp, s, a, ma, ca, ra, ba, ts}) {
            assertEquals(n, array.length);
            for (int i = 0; i < n; i++) {
                assertNotNull(array[i]);
                assertNotSame(array[i], array[(i + 1) % n], "distinct handles");
            }
        }
        String java = captureStdout(() -> {
            for (int i = 0; i < n; i++) {
                printf("pthread_create %ld %d\n", i, pthread_create(t[i], null, arg -> {
                    pthread_mutex_lock(counted);
                    count[0] += intptr(arg);
                    pthread_mutex_unlock(counted);
                    return null;
                }, i + 1));
            }
            for (int i = 0; i < n; i++) {
                printf("pthread_join %d %d\n", i, joinWithin(t[i], null, WAIT_SECONDS));
            }
            printf("count %ld\n", count[0]);
            for (int i = 0; i < n; i++) {
                int r;
                r = pthread_mutex_lock(m[i]);
                printf("mutex %d %d %d\n", i, r, pthread_mutex_unlock(m[i]));
                r = pthread_cond_signal(cv[i]);
                printf("cond %d %d %d\n", i, r, pthread_cond_destroy(cv[i]));
                r = pthread_rwlock_rdlock(rw[i]);
                printf("rwlock %d %d %d\n", i, r, pthread_rwlock_unlock(rw[i]));
                printf("once %d %d\n", i, pthread_once(o[i], () -> printf("once ran\n")));
                r = pthread_key_create(k[i], null);
                printf("key %d %d %d\n", i, r, pthread_key_delete(k[i]));
                r = pthread_barrier_init(b[i], null, 1);
                printf("barrier %d %d %d\n", i, r, pthread_barrier_wait(b[i]));
                r = pthread_spin_init(sp[i], PTHREAD_PROCESS_PRIVATE);
                printf("spin %d %d %d\n", i, r, pthread_spin_lock(sp[i]));
                r = sem_init(s[i], 0, i);
                printf("sem %d %d %d\n", i, r, sem_trywait(s[i]));
                printf("attr %d %d\n", i, pthread_attr_init(a[i]));
                printf("mutexattr %d %d\n", i, pthread_mutexattr_init(ma[i]));
                printf("condattr %d %d\n", i, pthread_condattr_init(ca[i]));
                printf("rwlockattr %d %d\n", i, pthread_rwlockattr_init(ra[i]));
                printf("barrierattr %d %d\n", i, pthread_barrierattr_init(ba[i]));
                printf("timespec %d %ld %ld\n", i, ts[i].tv_sec, ts[i].tv_nsec);
            }
        });
        sameLines(c, java.lines().toList());
    }

    /**
     * pthread_t.value() has the properties of C's numeric pthread_t (C's own values are
     * addresses that differ from run to run, so there is no output to compare): nonzero, the
     * same through pthread_self inside the thread as through the creator's handle, different
     * for threads alive together; 0 for a handle that names no thread.
     */
    @Test
    void pthreadValueIdentifiesLivingThreads() {
        assertEquals(0, new pthread_t().value());
        AtomicLongArray seen = new AtomicLongArray(2);
        sem_t release = semaphore(0);
        pthread_t[] t = pthread_t.array(2);
        for (int i = 0; i < 2; i++) {
            int slot = i;
            assertEquals(0, pthread_create(t[i], null, arg -> {
                seen.set(slot, pthread_self().value());
                sem_wait(release);
                return null;
            }, null));
        }
        await(() -> seen.get(0) != 0 && seen.get(1) != 0, "both threads recorded their value");
        assertEquals(t[0].value(), seen.get(0));
        assertEquals(t[1].value(), seen.get(1));
        assertNotEquals(t[0].value(), t[1].value());
        assertNotEquals(pthread_self().value(), t[0].value());
        assertEquals(pthread_self().value(), pthread_self().value());
        sem_post(release);
        sem_post(release);
        joinAll(t);
    }
}

package org.pthread4j.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads JMH JSON result files ({@code -rf json}) and prints Markdown: every score, then the
 * ratios that the issues set as targets, each marked pass or fail, then ratios given for
 * information. A target is judged only when both its scores come with an error bar (JMH
 * gives none for fewer than three iterations): a quick run's targets say "not judged".
 *
 * <pre>
 *   java -cp benchmarks.jar org.pthread4j.bench.Ratios [--strict] result.json [more.json ...]
 * </pre>
 * Each file is one JMH run; the backend of a run is read from its forks' JVM arguments
 * ({@code -Dpthread4j.backend=}, default {@code native}), and a target is checked only against
 * runs of its backend. Give one file per backend to get the cross-backend target (green
 * ping-pong faster than virtual). {@code --strict} exits with status 1 when a target fails.
 *
 * <p>All figures are ns/op (JMH average time), so for every target the ratio is written with
 * the slower-is-worse side on top: {@code pthread4j / baseline ≤ goal}, or, where a target asks
 * for pthread4j to be faster or to keep a share of the throughput, {@code baseline / pthread4j
 * ≥ goal}.
 */
public final class Ratios {

    private static final String PKG = "org.pthread4j.bench.";

    /**
     * One benchmark's primary score, with its 99.9% error (NaN where JMH gives none) and the
     * number of measurement iterations behind it.
     */
    record Score(String backend, String name, double score, double error, String unit, int iterations) {
        /** Whether the score has an error bar (JMH computes one from three iterations on). */
        boolean hasErrorBar() {
            return !Double.isNaN(error);
        }
    }

    /**
     * {@code top / bottom} compared with {@code goal}; {@code atMost} for ≤, else ≥. Names
     * are {@code Class.method}; a {@code backend} of null means informational.
     */
    record Ratio(String what, String backend, String top, String topBackend, String bottom,
            String bottomBackend, boolean atMost, double goal) {
        boolean isTarget() {
            return goal > 0;
        }
    }

    private static final List<Ratio> RATIOS = List.of(
            // targets, issue 2 and 3 (native)
            target("create+join: pthread4j vs C", "native",
                    "CreateJoinBench.pthread4j", "CreateJoinBench.glibc", true, 1.5),
            target("create+join: speed-up over java.lang.Thread", "native",
                    "CreateJoinBench.javaThread", "CreateJoinBench.pthread4j", false, 1.5),
            target("uncontended mutex: pthread4j vs glibc", "native",
                    "MutexBench.pthread4j", "MutexBench.glibc", true, 1.5),
            target("cond ping-pong: pthread4j vs glibc", "native",
                    "CondPingPongBench.pthread4j", "CondPingPongBench.glibc", true, 1.3),
            target("2-thread contended throughput: pthread4j / glibc", "native",
                    "MutexBench.contendedGlibc", "MutexBench.contendedPthread4j", false, 0.8),
            // targets, issue 4 (virtual, green)
            target("create+join: pthread4j vs Thread.ofVirtual", "virtual",
                    "CreateJoinBench.pthread4j", "CreateJoinBench.virtualThread", true, 1.3),
            target("cond ping-pong: pthread4j vs ReentrantLock/Condition on virtual threads", "virtual",
                    "CondPingPongBench.pthread4j", "CondPingPongBench.reentrantLockVirtual", true, 1.3),
            new Ratio("cond ping-pong: green vs virtual (green faster)", "green",
                    "CondPingPongBench.pthread4j", "green", "CondPingPongBench.pthread4j", "virtual", true, 1.0),
            // targets, issue 10 (gmp beside virtual)
            new Ratio("create+join: gmp vs virtual", "gmp",
                    "CreateJoinBench.pthread4j", "gmp", "CreateJoinBench.pthread4j", "virtual", true, 1.3),
            new Ratio("cond ping-pong: gmp vs virtual", "gmp",
                    "CondPingPongBench.pthread4j", "gmp", "CondPingPongBench.pthread4j", "virtual", true, 1.3),
            // for information, on every backend
            info("create+join: raw clone task vs glibc pthread_create",
                    "CreateJoinBench.cloneTask", "CreateJoinBench.glibc"),
            info("4-thread contended throughput: glibc / pthread4j",
                    "MutexBench.contended4Glibc", "MutexBench.contended4Pthread4j"),
            info("uncontended mutex: pthread4j vs ReentrantLock",
                    "MutexBench.pthread4j", "MutexBench.reentrantLock"),
            info("contended mutex: pthread4j vs ReentrantLock (time per op)",
                    "MutexBench.contendedPthread4j", "MutexBench.contendedReentrantLock"),
            info("cond ping-pong: pthread4j vs ReentrantLock/Condition, platform threads",
                    "CondPingPongBench.pthread4j", "CondPingPongBench.reentrantLockPlatform"),
            info("sem ping-pong: pthread4j vs glibc",
                    "SemPingPongBench.pthread4j", "SemPingPongBench.glibc"),
            info("sem ping-pong: pthread4j vs j.u.c.Semaphore, platform threads",
                    "SemPingPongBench.pthread4j", "SemPingPongBench.semaphorePlatform"),
            info("barrier round: pthread4j vs CyclicBarrier, platform threads",
                    "BarrierBench.pthread4j", "BarrierBench.cyclicBarrierPlatform"),
            info("getspecific vs ThreadLocal.get", "TlsBench.getspecific", "TlsBench.threadLocalGet"),
            info("gettid: JNI vs FFM", "BindingBench.gettidJni", "BindingBench.gettidFfm"),
            info("gettid: FFM critical vs FFM", "BindingBench.gettidFfmCritical", "BindingBench.gettidFfm"),
            info("getpid: jnr-posix vs FFM", "BindingBench.getpidJnr", "BindingBench.getpidFfm"),
            info("futex wake, no waiter: JNI vs FFM", "BindingBench.futexWakeJni", "BindingBench.futexWakeFfm"),
            info("setspecific vs ThreadLocal.set", "TlsBench.setspecific", "TlsBench.threadLocalSet"));

    private static Ratio target(String what, String backend, String top, String bottom, boolean atMost,
            double goal) {
        return new Ratio(what, backend, top, backend, bottom, backend, atMost, goal);
    }

    private static Ratio info(String what, String top, String bottom) {
        return new Ratio(what, null, top, null, bottom, null, true, 0);
    }

    private Ratios() {}

    public static void main(String[] args) throws IOException {
        boolean strict = false;
        List<Score> scores = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--strict")) {
                strict = true;
            } else {
                scores.addAll(read(Path.of(arg)));
            }
        }
        if (scores.isEmpty()) {
            System.err.println("usage: Ratios [--strict] jmh-result.json [more.json ...]");
            System.exit(2);
        }
        int failed = print(scores, System.out);
        if (strict && failed > 0) {
            System.exit(1);
        }
    }

    /** The primary score of every benchmark in one JMH JSON file. */
    static List<Score> read(Path file) throws IOException {
        List<Score> scores = new ArrayList<>();
        for (Object o : (List<?>) Json.parse(Files.readString(file))) {
            Map<?, ?> run = (Map<?, ?>) o;
            String name = (String) run.get("benchmark");
            if (name.startsWith(PKG)) {
                name = name.substring(PKG.length());
            }
            Map<?, ?> primary = (Map<?, ?>) run.get("primaryMetric");
            int iterations = (int) (number(run.get("forks")) * number(run.get("measurementIterations")));
            scores.add(new Score(backend(run.get("jvmArgs")), name, number(primary.get("score")),
                    number(primary.get("scoreError")), (String) primary.get("scoreUnit"), iterations));
        }
        return scores;
    }

    /**
     * The run's label: the last {@code -Dpthread4j.backend=} among the fork's JVM arguments
     * (default native), with {@code /jni} appended when {@code -Dpthread4j.binding=jni} chose
     * the native backend's JNI binding.
     */
    private static String backend(Object jvmArgs) {
        String backend = "native";
        String binding = "ffm";
        if (jvmArgs instanceof List<?> list) {
            for (Object a : list) {
                if (a instanceof String s && s.startsWith("-Dpthread4j.backend=")) {
                    backend = s.substring("-Dpthread4j.backend=".length());
                } else if (a instanceof String s && s.startsWith("-Dpthread4j.binding=")) {
                    binding = s.substring("-Dpthread4j.binding=".length());
                }
            }
        }
        return backend.equals("native") && !binding.equals("ffm") ? backend + "/" + binding : backend;
    }

    /** Whether a run labelled {@code label} is a run of {@code backend} (native/jni is native). */
    private static boolean runOf(String label, String backend) {
        return label.equals(backend) || label.startsWith(backend + "/");
    }

    /** JMH writes "NaN" as a string where there are too few samples for an error. */
    private static double number(Object o) {
        return o instanceof Double d ? d : Double.NaN;
    }

    /** Prints both tables; returns the number of failed targets (among those judged). */
    static int print(List<Score> scores, PrintStream out) {
        out.println("| Benchmark | Backend | Score | Error (99.9%) | Unit |");
        out.println("|---|---|---:|---:|---|");
        for (Score s : scores) {
            out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", s.name(), s.backend(),
                    fmt(s.score()), errorBar(s), s.unit());
        }
        out.println();
        out.println("| Ratio | Backend | Value | Goal | Result |");
        out.println("|---|---|---:|---|---|");
        int failed = 0;
        for (Ratio r : RATIOS) {
            if (r.isTarget() && r.topBackend().equals(r.bottomBackend())) {
                for (String label : backends(scores)) {
                    if (!runOf(label, r.backend())) {
                        continue;
                    }
                    Score top = find(scores, r.top(), label);
                    Score bottom = find(scores, r.bottom(), label);
                    if (top == null || bottom == null) {
                        continue; // not in this run
                    }
                    double v = top.score() / bottom.score();
                    boolean pass = r.atMost() ? v <= r.goal() : v >= r.goal();
                    out.printf(Locale.ROOT, "| %s | %s | %.2f× | %s %.1f× | %s |%n", r.what(), label, v,
                            r.atMost() ? "≤" : "≥", r.goal(), verdict(top, bottom, pass));
                    failed += judged(top, bottom) && !pass ? 1 : 0;
                }
            } else if (r.isTarget()) {
                Score top = find(scores, r.top(), r.topBackend());
                Score bottom = find(scores, r.bottom(), r.bottomBackend());
                if (top == null || bottom == null) {
                    continue; // one of the backends was not run
                }
                double v = top.score() / bottom.score();
                boolean pass = r.atMost() ? v < r.goal() : v > r.goal();
                out.printf(Locale.ROOT, "| %s | %s / %s | %.2f× | %s %.1f× | %s |%n", r.what(), r.topBackend(),
                        r.bottomBackend(), v, r.atMost() ? "<" : ">", r.goal(), verdict(top, bottom, pass));
                failed += judged(top, bottom) && !pass ? 1 : 0;
            } else {
                for (String backend : backends(scores)) {
                    Score top = find(scores, r.top(), backend);
                    Score bottom = find(scores, r.bottom(), backend);
                    if (top != null && bottom != null) {
                        out.printf(Locale.ROOT, "| %s | %s | %.2f× | (information) | |%n", r.what(), backend,
                                top.score() / bottom.score());
                    }
                }
            }
        }
        return failed;
    }

    private static List<String> backends(List<Score> scores) {
        return scores.stream().map(Score::backend).distinct().toList();
    }

    private static Score find(List<Score> scores, String name, String backend) {
        Score found = null;
        for (Score s : scores) {
            if (s.name().equals(name) && s.backend().equals(backend)) {
                found = s; // the last run wins
            }
        }
        return found;
    }

    /** A target is judged on two scores that both have error bars (not on a quick run's single iteration). */
    private static boolean judged(Score top, Score bottom) {
        return top.hasErrorBar() && bottom.hasErrorBar();
    }

    private static String verdict(Score top, Score bottom, boolean pass) {
        return !judged(top, bottom) ? "not judged (quick run)" : pass ? "pass" : "**FAIL**";
    }

    /** {@code ± error}, or why there is none. */
    private static String errorBar(Score s) {
        if (s.hasErrorBar()) {
            return "± " + fmt(s.error());
        }
        return s.iterations() == 1 ? "one iteration: no error bar" : s.iterations() + " iterations: no error bar";
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /**
     * Just enough JSON for JMH's result files: objects (insertion-ordered maps), arrays
     * (lists), strings, numbers (doubles), true, false, null. Not a validating parser. The lab
     * reads the c10k load generator's lines with it too.
     */
    public static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        public static Object parse(String text) {
            Json p = new Json(text);
            Object v = p.value();
            p.skipSpace();
            if (p.i != p.s.length()) {
                throw p.error("trailing text");
            }
            return v;
        }

        private Object value() {
            skipSpace();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{':
                    return object();
                case '[':
                    return array();
                case '"':
                    return string();
                default:
                    if (s.startsWith("true", i)) {
                        i += 4;
                        return Boolean.TRUE;
                    }
                    if (s.startsWith("false", i)) {
                        i += 5;
                        return Boolean.FALSE;
                    }
                    if (s.startsWith("null", i)) {
                        i += 4;
                        return null;
                    }
                    return number();
            }
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            i++; // {
            skipSpace();
            if (peek() == '}') {
                i++;
                return map;
            }
            for (;;) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                map.put(key, value());
                skipSpace();
                if (peek() == ',') {
                    i++;
                } else {
                    expect('}');
                    return map;
                }
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            i++; // [
            skipSpace();
            if (peek() == ']') {
                i++;
                return list;
            }
            for (;;) {
                list.add(value());
                skipSpace();
                if (peek() == ',') {
                    i++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            for (;;) {
                if (i >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> b.append(e); // \" \\ \/
                }
            }
        }

        private Double number() {
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (start == i) {
                throw error("unexpected character '" + s.charAt(i) + "'");
            }
            return Double.valueOf(s.substring(start, i));
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("JMH JSON, offset " + i + ": " + what);
        }
    }
}

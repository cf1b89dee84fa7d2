package org.pthread4j.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pthread4j.bench.Interleaved;
import org.pthread4j.bench.Ratios;

/**
 * {@code ./pthread4j lab c10k}: how many connections each thread model holds, what each costs,
 * how fast the server answers while it holds them, and, where a model stops, why.
 *
 * <p>The servers: the Java echo server ({@code examples/.../EchoServer.java}, one pthread per
 * accepted connection, the port of {@code examples/echo-server/echo-server.c}) in a JVM of its
 * own per backend, started as {@code ./pthread4j run echo-server --backend B} starts it; its C
 * original ({@code c-threads}, one detached 64 KiB pthread per connection); and the C event
 * loop ({@code c-epoll}, {@code examples/echo-server/echo-epoll.c}, one thread), the reference.
 * The client: {@code examples/echo-server/loadgen.c}, which opens connections in steps, holds
 * them, has every held connection echo a message, then measures round trips over a sample of
 * them (see its header). The C programs are compiled with gcc on first use, into
 * {@code benchmarks/target/c10k}.
 *
 * <p>After each step the load generator waits, holding every connection, while this class reads
 * the server's {@code /proc/PID}: its kernel tasks, its {@code VmRSS} (the growth over the step,
 * divided by the connections the step added, is the RSS per connection) and its memory
 * mappings. Where a server stops, the reason is its own words first ({@code pthread_create:
 * EAGAIN at N connections}, {@code accept: EMFILE at N connections}, a JVM error), matched with
 * the kernel's limits read here; then the load generator's (its own RLIMIT_NOFILE, connections
 * that got no echo, with the server's tasks seen asleep in {@code read}).
 *
 * <p>JSON ({@code --json}): per server under {@code "backends"}, {@code "max_connections"} (the
 * most held at once, each of which echoed every byte), {@code "limit"} (what stopped it, or
 * {@code "none"}), {@code "why"} (in words), {@code "rss_per_connection"} (bytes) and
 * {@code "p99_us"} at the largest step, and the steps.
 */
public final class C10k {

    static final String C_THREADS = "c-threads";
    static final String C_EPOLL = "c-epoll";
    static final Map<String, String> MODEL = Map.of("native", "1:1", "virtual", "M:N", "green", "M:1", "gmp", "M:N",
            C_THREADS, "1:1, C", C_EPOLL, "event loop, C");
    static final List<String> SERVERS = List.of("native", "virtual", "green", "gmp", C_THREADS, C_EPOLL);
    /**
     * The default run's last step (steps 1,000, 10,000, 30,000): past where this machine's
     * limits stop every server, and the whole lab within about two minutes.
     */
    static final long DEFAULT_MAX = 30_000;
    /** How long a held connection may take to echo a message before it counts as lost. */
    static final long ECHO_MS = 5_000;
    /**
     * RSS per connection needs at least this many connections added over the step: over fewer
     * (a server that stopped answering at 2), the JVM's own growth (JIT, heap) is the quotient.
     */
    static final long MIN_ADDED = 100;
    static final List<String> SYSCTLS = List.of("kernel.threads-max", "vm.max_map_count", "kernel.pid_max",
            "fs.nr_open", "net.core.somaxconn", "net.ipv4.ip_local_port_range");
    static final String USAGE = "usage: ./pthread4j lab c10k [--max N] [--json] [--html report.html] "
            + "[--backend native|virtual|green|gmp|c-threads|c-epoll[,...]]";
    /** A server's own words at its limit: "pthread_create: EAGAIN at 9876 connections". */
    static final Pattern FAILURE = Pattern.compile("(\\S+): (E[A-Z]+) at ([0-9]+) connections");
    static final Pattern LISTENING = Pattern.compile("listening on [0-9.]+:([0-9]+)");

    /** One step as the load generator reported it, with the server's /proc read while it held them. */
    record Step(long step, long held, Map<String, Object> failed, long roundTrips, long bytesChecked, Double p50,
            Double p99, Double rps, int threads, long rssKb, long mappings, Double rssPerConnection) {}

    /** One server's run. */
    static final class Run {
        final String name;
        final List<Step> steps = new ArrayList<>();
        /** What the server printed (stdout and stderr), in order. */
        final List<String> said = Collections.synchronizedList(new ArrayList<>());
        long maxHeld;
        /** Kernel threads and VmRSS (kB) of the server before the first step, -1 if unknown. */
        int threads0 = -1;
        long rssKb0 = -1;
        String stop = "";
        String stopWhy = "";
        Integer exit;
        int inRead = -1;
        int threadsAtStop = -1;
        String limit = "none";
        String why = "";
        Load load;

        Run(String name) {
            this.name = name;
        }

        Step last() {
            return steps.isEmpty() ? null : steps.get(steps.size() - 1);
        }
    }

    private final String java;
    private final Path repo;
    private final Path loadgen;
    private final long max;
    private final boolean json;
    private final int count;
    private Map<String, Object> limits = Map.of();

    private C10k(String java, Path repo, Path loadgen, long max, boolean json, int count) {
        this.java = java;
        this.repo = repo;
        this.loadgen = loadgen;
        this.max = max;
        this.json = json;
        this.count = count;
    }

    public static void main(String[] args) throws Exception {
        long max = DEFAULT_MAX;
        boolean json = false;
        String html = null;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> servers = new ArrayList<>(SERVERS);
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            boolean takesValue = List.of("--max", "--html", "--java", "--backend").contains(option);
            if (takesValue && i + 1 == args.length) {
                usage(option + " needs a value");
            }
            switch (option) {
                case "--max" -> {
                    try {
                        max = Long.parseLong(args[++i]);
                    } catch (NumberFormatException e) {
                        max = 0;
                    }
                    if (max <= 0) {
                        usage("--max needs a positive count");
                    }
                }
                case "--json" -> json = true;
                case "--html" -> html = args[++i];
                case "--java" -> java = args[++i];
                case "--backend" -> servers = new ArrayList<>(List.of(args[++i].split(",")));
                default -> usage("unknown option '" + option + "'");
            }
        }
        for (String s : servers) {
            if (!MODEL.containsKey(s)) {
                usage("unknown backend '" + s + "'");
            }
        }
        if (!servers.contains(C_EPOLL)) {
            servers.add(C_EPOLL); // the reference is always measured
        }
        Path repo = Path.of(System.getProperty("pthread4j.repo", ".")).toAbsolutePath().normalize();
        Path bin = repo.resolve("benchmarks/target/c10k");
        C10k lab = new C10k(java, repo, compile(repo, bin, "loadgen"), max, json, servers.size());

        long start = System.nanoTime();
        Load.Mark first = Load.mark();
        Map<String, Run> runs = new LinkedHashMap<>();
        for (String s : servers) {
            List<String> cmd = switch (s) {
                case C_EPOLL -> List.of(compile(repo, bin, "echo-epoll").toString());
                case C_THREADS -> List.of(compile(repo, bin, "echo-server").toString());
                default -> lab.javaServer(s);
            };
            Load.Mark before = Load.mark();
            Run r = lab.measure(s, cmd, runs.size());
            r.load = Load.between(before, Load.mark());
            runs.put(s, r);
        }
        Load load = Load.between(first, Load.mark());
        System.err.print("\r" + " ".repeat(78) + "\r");
        double seconds = (System.nanoTime() - start) / 1e9;
        String table = lab.table(runs, load);
        if (json) {
            System.out.println(lab.toJson(runs, load, seconds));
        } else {
            System.out.print(table);
            System.out.printf(Locale.ROOT, "measured in %.0f s, one process per server%n", seconds);
        }
        if (html != null) {
            Files.writeString(Path.of(html), html(runs, load, table), StandardCharsets.UTF_8);
            System.err.println("pthread4j lab c10k: wrote " + html);
        }
    }

    private static void usage(String problem) {
        System.err.println("pthread4j lab c10k: " + problem);
        System.err.println(USAGE);
        System.exit(2);
    }

    private static void die(String problem) {
        System.err.println("pthread4j lab c10k: " + problem);
        System.exit(1);
    }

    /** Compiles {@code examples/echo-server/<name>.c} into {@code bin} unless the binary is newer. */
    static Path compile(Path repo, Path bin, String name) throws IOException, InterruptedException {
        Path source = repo.resolve("examples/echo-server").resolve(name + ".c");
        Path binary = bin.resolve(name);
        if (!Files.exists(source)) {
            die("no " + source + ": run the lab from a checkout of pthread4j (./pthread4j lab c10k)");
        }
        Files.createDirectories(bin);
        if (Files.exists(binary) && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) >= 0) {
            return binary;
        }
        Process cc;
        try {
            cc = new ProcessBuilder("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-pthread", "-o", binary.toString(),
                    source.toString()).redirectErrorStream(true).start();
        } catch (IOException noGcc) {
            die("gcc is needed to build " + source + " (" + noGcc.getMessage() + ")");
            throw noGcc;
        }
        String diagnostics = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!cc.waitFor(120, TimeUnit.SECONDS) || cc.exitValue() != 0) {
            die("gcc " + source + " failed:\n" + diagnostics);
        }
        return binary;
    }

    /** The command line of {@code ./pthread4j run echo-server --backend b}. */
    List<String> javaServer(String backend) {
        Path jar = repo.resolve("examples/target/pthread4j-examples.jar");
        if (!Files.exists(jar)) {
            die("no " + jar + ": build it first (mvn -pl examples -am package -DskipTests)");
        }
        return List.of(java, "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Dpthread4j.backend=" + backend, "-cp", jar.toString(),
                "org.pthread4j.examples.Run", "echo-server");
    }

    /** The load generator's time limit: enough for every step up to max on a loaded machine. */
    long seconds() {
        return 30 + max / 500;
    }

    // ---- one server ---------------------------------------------------------------------

    Run measure(String name, List<String> serverCmd, int index) throws IOException, InterruptedException {
        Run r = new Run(name);
        bar(index, 0, name + ": starting");
        List<String> cmd = new ArrayList<>(serverCmd);
        cmd.addAll(List.of("0", String.valueOf(seconds() + 60))); // any free port; a time limit of its own
        Process server = new ProcessBuilder(cmd).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread out = lines(server.getInputStream(), line -> {
            Matcher m = LISTENING.matcher(line);
            if (!port.isDone() && m.lookingAt()) {
                port.complete(Integer.parseInt(m.group(1)));
            }
            r.said.add(line);
        });
        Thread err = lines(server.getErrorStream(), r.said::add);
        server.onExit().thenRun(() -> port.complete(null)); // died before it listened: no port
        try {
            Integer p = null;
            try {
                p = port.get(120, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // below: the server did not start
            }
            if (p == null) {
                r.stop = "start";
                r.stopWhy = "the server did not say where it listens";
            } else {
                drive(r, server, p, index);
            }
        } finally {
            r.exit = server.isAlive() ? null : server.exitValue(); // dead before we stopped it: it died
            server.getOutputStream().close(); // the end of stdin stops it
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroy();
                if (!server.waitFor(5, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            out.join(5000);
            err.join(5000);
        }
        classify(r);
        return r;
    }

    /** Runs the load generator against the server on port, reading the server's /proc after each step. */
    private void drive(Run r, Process server, int port, int index) throws IOException, InterruptedException {
        long pid = server.pid();
        r.threads0 = Proc.taskCount(pid);
        r.rssKb0 = Proc.statusKb(pid, "VmRSS");
        List<String> cmd = List.of(loadgen.toString(), "--port", String.valueOf(port), "--max", String.valueOf(max),
                "--pause", "--echo-ms", String.valueOf(ECHO_MS), "--seconds", String.valueOf(seconds()));
        Process gen = new ProcessBuilder(cmd).start();
        Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
            try {
                if (!gen.waitFor(seconds() + 60, TimeUnit.SECONDS)) {
                    gen.destroyForcibly();
                }
            } catch (InterruptedException e) {
                // the run ended first
            }
        });
        Thread genErr = lines(gen.getErrorStream(), line -> r.said.add("loadgen: " + line));
        OutputStream go = gen.getOutputStream();
        long prevHeld = 0;
        long prevRss = r.rssKb0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(gen.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) Ratios.Json.parse(line);
                if (m.containsKey("nofile_hard")) {
                    limits = m;
                } else if (m.containsKey("step")) {
                    int threads = Proc.taskCount(pid);
                    long rss = Proc.statusKb(pid, "VmRSS");
                    long held = whole(m.get("held"));
                    Double perConnection = held - prevHeld >= MIN_ADDED && rss >= 0 && prevRss >= 0
                            ? (rss - prevRss) * 1024.0 / (held - prevHeld) : null;
                    @SuppressWarnings("unchecked")
                    Map<String, Object> failed = (Map<String, Object>) m.get("failed");
                    Step s = new Step(whole(m.get("step")), held, failed, whole(m.get("round_trips")),
                            whole(m.get("bytes_checked")), (Double) m.get("p50_us"), (Double) m.get("p99_us"),
                            (Double) m.get("rps"), threads, rss, Proc.mappings(pid), perConnection);
                    r.steps.add(s);
                    if (!failed.isEmpty()) { // the server's state where it stopped answering
                        r.inRead = Proc.inRead(pid);
                        r.threadsAtStop = threads;
                    }
                    prevHeld = held;
                    prevRss = rss;
                    bar(index, (double) s.step() / max, r.name + ": " + String.format(Locale.ROOT, "%,d", held) + " held");
                    go.write('\n');
                    go.flush();
                } else if (m.containsKey("stop")) {
                    r.stop = (String) m.get("stop");
                    r.stopWhy = (String) m.get("why");
                    r.maxHeld = whole(m.get("max_held"));
                }
            }
        } finally {
            go.close();
            if (!gen.waitFor(30, TimeUnit.SECONDS)) {
                gen.destroyForcibly();
            }
            watchdog.interrupt();
            genErr.join(5000);
        }
    }

    private static long whole(Object number) {
        return number == null ? 0 : Math.round((Double) number);
    }

    /** Reads a stream's lines into a consumer on a daemon thread. */
    private static Thread lines(InputStream stream, Consumer<String> each) {
        return Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    each.accept(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    private void bar(int index, double fraction, String label) {
        Lab.bar((index + Math.min(1, fraction)) / count, label);
    }

    // ---- why it stopped -------------------------------------------------------------------

    /** Sets the run's limit (a short name, or "none") and why (the server's words, then the evidence). */
    void classify(Run r) {
        String own = r.said.stream().filter(l -> FAILURE.matcher(l).find()).findFirst().orElse(null);
        String jvm = r.said.stream().filter(l -> l.contains("Error") || l.contains("Exception")).findFirst().orElse(null);
        Step last = r.last();
        String evidence = last == null ? "" : String.format(Locale.ROOT,
                " (the server then: %,d kernel threads, %,d memory mappings, VmRSS %,d kB; "
                        + "kernel.threads-max %s, vm.max_map_count %s, RLIMIT_NOFILE %s)",
                last.threads(), last.mappings(), last.rssKb(), Proc.sysctl("kernel.threads-max"),
                Proc.sysctl("vm.max_map_count"), nofile());
        if (r.exit != null) {
            r.limit = "crash";
            String words = jvm != null ? jvm : own != null ? own : r.said.isEmpty() ? null : r.said.get(r.said.size() - 1);
            r.why = "the server died (exit " + r.exit + ")" + (words == null ? "" : ": " + words);
        } else if (own != null) {
            Matcher m = FAILURE.matcher(own);
            m.find();
            String errno = m.group(2);
            r.why = own + evidence;
            if (errno.equals("EMFILE")) {
                r.limit = "RLIMIT_NOFILE";
            } else if (errno.equals("ENFILE")) {
                r.limit = "fs.file-max";
            } else if (errno.equals("ENOMEM")) {
                r.limit = "memory";
            } else if (errno.equals("EAGAIN") && last != null && near(last.mappings(), Proc.sysctl("vm.max_map_count"))) {
                r.limit = "vm.max_map_count";
            } else if (errno.equals("EAGAIN") && last != null && near(last.threads(), Proc.sysctl("kernel.threads-max"))) {
                r.limit = "kernel.threads-max";
            } else {
                r.limit = m.group(1) + " " + errno;
            }
        } else if (jvm != null) {
            r.limit = jvm.contains("OutOfMemoryError") ? "memory" : "error";
            r.why = jvm + evidence;
        } else if (r.stop.equals("nofile")) {
            r.limit = "RLIMIT_NOFILE";
            r.why = "the load generator's own: " + r.stopWhy;
        } else if (r.stop.equals("failed") && last != null) {
            boolean silent = last.failed().keySet().stream().allMatch(k -> k.equals("no-echo") || k.equals("time-limit"));
            r.limit = silent ? "no echo" : String.join(",", last.failed().keySet());
            r.why = silent
                    ? String.format(Locale.ROOT, "%s of the connections got no echo within %d s at step %,d, and the "
                            + "server said nothing; %d of its %d kernel threads sat in read()/recvfrom()",
                            whole(last.failed().get("no-echo")) + whole(last.failed().get("time-limit")), ECHO_MS / 1000,
                            last.step(), r.inRead, r.threadsAtStop)
                    : r.stopWhy + ": " + last.failed();
        } else if (r.stop.equals("max")) {
            r.limit = "none";
            r.why = "held every step up to " + String.format(Locale.ROOT, "%,d", max);
        } else {
            r.limit = r.stop.isEmpty() ? "error" : r.stop;
            r.why = r.stopWhy;
        }
    }

    /** Whether a count is within 5% of a kernel setting. */
    private static boolean near(long value, String setting) {
        return setting != null && setting.matches("[0-9]+") && value >= 0.95 * Long.parseLong(setting);
    }

    private String nofile() {
        return limits.isEmpty() ? "unknown" : "soft " + whole(limits.get("nofile_soft")) + ", hard "
                + whole(limits.get("nofile_hard"));
    }

    // ---- the table ------------------------------------------------------------------------

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String num(Double v) {
        return v == null ? "-" : Interleaved.format(v);
    }

    /** The machine's limits: both NOFILE limits as the load generator found them, and the sysctls. */
    String header(Load load) {
        StringBuilder sb = new StringBuilder();
        if (load.warning() != null) {
            sb.append(load.warning()).append('\n');
        }
        sb.append(load.summary()).append('\n');
        sb.append("RLIMIT_NOFILE: ").append(nofile()).append(" (the soft limit was ")
                .append(limits.isEmpty() ? "?" : whole(limits.get("nofile_soft_before")))
                .append("; the load generator and every server raise it to the hard limit)\n");
        StringBuilder sys = new StringBuilder();
        for (String s : SYSCTLS) {
            sys.append(sys.isEmpty() ? "" : "; ").append(s).append(' ').append(Proc.sysctl(s));
        }
        sb.append(sys).append('\n');
        sb.append(String.format(Locale.ROOT, "loopback, %s source addresses 127.0.0.x; per step every held connection "
                + "echoes a %s-byte message, then %s of them do %s round trips each, all at once%n",
                limits.isEmpty() ? "?" : whole(limits.get("sources")), limits.isEmpty() ? "?" : whole(limits.get("message_bytes")),
                limits.isEmpty() ? "?" : whole(limits.get("sample")), limits.isEmpty() ? "?" : whole(limits.get("rounds"))));
        return sb.toString();
    }

    String table(Map<String, Run> runs, Load load) {
        List<String> cols = new ArrayList<>(runs.keySet());
        List<String[]> rows = new ArrayList<>();
        rows.add(row(cols, "", s -> s));
        rows.add(row(cols, "model", MODEL::get));
        rows.add(row(cols, "connections held, all echoing", s -> count(runs.get(s).maxHeld)));
        rows.add(row(cols, "kernel threads before the first step", s -> runs.get(s).threads0 < 0 ? "-" : count(runs.get(s).threads0)));
        rows.add(row(cols, "kernel threads at the largest step", s -> opt(runs.get(s), st -> count(st.threads()))));
        rows.add(row(cols, "RSS per connection (KiB)",
                s -> opt(runs.get(s), st -> st.rssPerConnection() == null ? "-" : num(st.rssPerConnection() / 1024))));
        rows.add(row(cols, "p50 round trip (µs)", s -> opt(runs.get(s), st -> num(st.p50()))));
        rows.add(row(cols, "p99 round trip (µs)", s -> opt(runs.get(s), st -> num(st.p99()))));
        rows.add(row(cols, "round trips per second", s -> opt(runs.get(s), st -> num(st.rps()))));
        rows.add(row(cols, "stopped by", s -> runs.get(s).limit));
        StringBuilder sb = new StringBuilder(header(load));
        sb.append(grid(rows, 1));
        sb.append("(figures at each server's largest step; RSS: VmRSS growth over that step per connection it added)\n\n");
        sb.append("where each stopped, in its own words:\n");
        for (Run r : runs.values()) {
            sb.append("  ").append(r.name).append(": ").append(r.limit).append(" — ").append(r.why).append('\n');
        }
        sb.append('\n');
        List<String[]> steps = new ArrayList<>();
        steps.add(new String[] {"server", "step", "held", "failed", "kernel threads", "RSS/conn KiB", "p50 µs", "p99 µs",
            "round trips/s"});
        for (Run r : runs.values()) {
            for (Step st : r.steps) {
                steps.add(new String[] {r.name, count(st.step()), count(st.held()),
                    st.failed().isEmpty() ? "-" : st.failed().toString().replace("=", " ").replace(".0", ""),
                    count(st.threads()), st.rssPerConnection() == null ? "-" : num(st.rssPerConnection() / 1024),
                    num(st.p50()), num(st.p99()), num(st.rps())});
            }
        }
        sb.append(grid(steps, 1));
        return sb.toString();
    }

    private static String opt(Run r, Function<Step, String> f) {
        return r.last() == null ? "-" : f.apply(r.last());
    }

    private static String[] row(List<String> cols, String label, Function<String, String> cell) {
        String[] r = new String[cols.size() + 1];
        r[0] = label;
        for (int i = 0; i < cols.size(); i++) {
            r[i + 1] = cell.apply(cols.get(i));
        }
        return r;
    }

    /** Columns padded to their widest cell, a rule under the first {@code headerRows} rows. */
    private static String grid(List<String[]> rows, int headerRows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < rows.size(); k++) {
            if (k == headerRows) {
                StringBuilder rule = new StringBuilder("-".repeat(width[0]));
                for (int i = 1; i < width.length; i++) {
                    rule.append("-|-").append("-".repeat(width[i]));
                }
                sb.append(rule).append('\n');
            }
            String[] r = rows.get(k);
            sb.append(String.format("%-" + width[0] + "s", r[0]));
            for (int i = 1; i < r.length; i++) {
                sb.append(" | ").append(String.format("%" + width[i] + "s", r[i]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    // ---- JSON -----------------------------------------------------------------------------

    String toJson(Map<String, Run> runs, Load load, double seconds) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "{\"seconds\": %.1f, \"max\": %d, \"load\": %s",
                seconds, max, load.json()));
        sb.append(", \"limits\": {\"nofile_soft_before\": ").append(whole(limits.get("nofile_soft_before")))
                .append(", \"nofile_soft\": ").append(whole(limits.get("nofile_soft")))
                .append(", \"nofile_hard\": ").append(whole(limits.get("nofile_hard")));
        for (String s : SYSCTLS) {
            String v = Proc.sysctl(s);
            sb.append(", ").append(Lab.quote(s)).append(": ").append(v == null ? "null" : Lab.quote(v));
        }
        sb.append("}, \"loadgen\": {\"sources\": ").append(whole(limits.get("sources")))
                .append(", \"message_bytes\": ").append(whole(limits.get("message_bytes")))
                .append(", \"sample\": ").append(whole(limits.get("sample")))
                .append(", \"rounds\": ").append(whole(limits.get("rounds")))
                .append(", \"echo_ms\": ").append(ECHO_MS).append("}, \"backends\": {");
        String sep = "";
        for (Run r : runs.values()) {
            Step last = r.last();
            sb.append(sep).append(Lab.quote(r.name)).append(": {\"model\": ").append(Lab.quote(MODEL.get(r.name)))
                    .append(", \"max_connections\": ").append(r.maxHeld)
                    .append(", \"limit\": ").append(Lab.quote(r.limit))
                    .append(", \"why\": ").append(Lab.quote(r.why))
                    .append(", \"rss_per_connection\": ").append(last == null ? "null" : number(last.rssPerConnection()))
                    .append(", \"p99_us\": ").append(last == null ? "null" : number(last.p99()))
                    .append(", \"kernel_threads\": ").append(last == null ? "null" : last.threads())
                    .append(", \"kernel_threads_before\": ").append(r.threads0)
                    .append(", \"rss_kb_before\": ").append(r.rssKb0)
                    .append(", \"load\": ").append(r.load.json())
                    .append(", \"server_said\": [");
            String s2 = "";
            for (String line : List.copyOf(r.said)) {
                sb.append(s2).append(Lab.quote(line));
                s2 = ", ";
            }
            sb.append("], \"steps\": [");
            s2 = "";
            for (Step st : r.steps) {
                sb.append(s2).append("{\"step\": ").append(st.step()).append(", \"held\": ").append(st.held())
                        .append(", \"failed\": {");
                String s3 = "";
                for (var f : st.failed().entrySet()) {
                    sb.append(s3).append(Lab.quote(f.getKey())).append(": ").append(whole(f.getValue()));
                    s3 = ", ";
                }
                sb.append("}, \"round_trips\": ").append(st.roundTrips())
                        .append(", \"bytes_checked\": ").append(st.bytesChecked())
                        .append(", \"p50_us\": ").append(number(st.p50()))
                        .append(", \"p99_us\": ").append(number(st.p99()))
                        .append(", \"rps\": ").append(number(st.rps()))
                        .append(", \"kernel_threads\": ").append(st.threads())
                        .append(", \"rss_kb\": ").append(st.rssKb())
                        .append(", \"rss_per_connection\": ").append(number(st.rssPerConnection()))
                        .append(", \"mappings\": ").append(st.mappings()).append('}');
                s2 = ", ";
            }
            sb.append("]}");
            sep = ", ";
        }
        return sb.append("}}").toString();
    }

    private static String number(Double v) {
        return v == null || !Double.isFinite(v) ? "null" : String.format(Locale.ROOT, "%.1f", v);
    }

    // ---- HTML -----------------------------------------------------------------------------

    static String html(Map<String, Run> runs, Load load, String table) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>pthread4j lab c10k</title>")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:1400px}pre{background:#f4f4f4;padding:1em;")
                .append("overflow-x:auto}.chart{display:inline-block;width:470px;max-width:100%;margin:0 1em 1em 0;")
                .append("vertical-align:top}.warn{background:#fff3cd;padding:.5em}</style>")
                .append("</head><body><h1>pthread4j lab c10k: connections held per thread model</h1>");
        if (load.warning() != null) {
            sb.append("<p class=\"warn\">").append(Report.escape(load.warning())).append("</p>");
        }
        sb.append("<pre>").append(Report.escape(table)).append("</pre>");
        sb.append("<h2>At each server's largest step</h2>");
        sb.append(bars(runs, "connections held, all echoing", r -> (double) r.maxHeld));
        sb.append(bars(runs, "kernel threads", r -> r.last() == null ? null : (double) r.last().threads()));
        sb.append(bars(runs, "RSS per connection (KiB)",
                r -> r.last() == null || r.last().rssPerConnection() == null ? null : r.last().rssPerConnection() / 1024));
        sb.append(bars(runs, "p99 round trip (µs)", r -> r.last() == null ? null : r.last().p99()));
        sb.append(bars(runs, "round trips per second", r -> r.last() == null ? null : r.last().rps()));
        return sb.append("</body></html>\n").toString();
    }

    private static String bars(Map<String, Run> runs, String title, Function<Run, Double> value) {
        List<String> names = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (Run r : runs.values()) {
            Double v = value.apply(r);
            if (v != null) {
                names.add(r.name);
                values.add(new double[] {v, v, v});
            }
        }
        return Report.bars(title, names, values);
    }
}

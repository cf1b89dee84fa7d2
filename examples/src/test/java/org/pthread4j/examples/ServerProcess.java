package org.pthread4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An example server run as a process of its own, as a lab runs it: its first line says where it
 * listens ({@code listening on 127.0.0.1:PORT}), its stdout goes to a file, and closing its
 * stdin stops it.
 */
final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("^listening on 127\\.0\\.0\\.1:(\\d+)$", Pattern.MULTILINE);

    final int port;
    private final Process process;
    private final Path out;

    private ServerProcess(Process process, Path out, int port) {
        this.process = process;
        this.out = out;
        this.port = port;
    }

    /**
     * The command that runs an example's Java port in a JVM of its own, as {@code ./pthread4j
     * run <name>} does, on this JVM's backend and binding.
     */
    static List<String> javaCommand(String name, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow"));
        for (String property : List.of("pthread4j.backend", "pthread4j.binding", "pthread4j.gomaxprocs",
                "jdk.virtualThreadScheduler.parallelism")) {
            String value = System.getProperty(property);
            if (value != null) {
                cmd.add("-D" + property + "=" + value);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Run.class.getName());
        cmd.add(name);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts {@code command} and waits (at most {@code patienceMillis}) for the line that gives its port. */
    static ServerProcess start(List<String> command, Path out, long patienceMillis) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long deadline = System.nanoTime() + patienceMillis * 1_000_000;
        try {
            for (;;) {
                Matcher m = LISTENING.matcher(Files.readString(out));
                if (m.find()) {
                    return new ServerProcess(p, out, Integer.parseInt(m.group(1)));
                }
                if (!p.isAlive()) {
                    throw new AssertionError("the server exited with status " + p.exitValue() + " before it listened: "
                            + Files.readString(out));
                }
                assertTrue(System.nanoTime() < deadline, "no 'listening on' line within " + patienceMillis + " ms: "
                        + command);
                Thread.sleep(20);
            }
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** Closes the server's stdin, which stops it, and returns what it printed; it must exit with 0. */
    String stop(long patienceMillis) throws IOException, InterruptedException {
        process.getOutputStream().close();
        assertTrue(process.waitFor(patienceMillis, TimeUnit.MILLISECONDS),
                "the server did not stop within " + patienceMillis + " ms of the end of its stdin");
        String printed = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "the server's exit status; it printed:\n" + printed);
        return printed;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}

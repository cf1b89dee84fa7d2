package org.pthread4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pthread4j.bench.Ratios;

/**
 * {@code ./pthread4j lab c10k} end to end at one small step, from the repository root, on the
 * examples jar this build has just packaged (the lab's Java servers run it, so this test runs
 * after the package phase of this module, the last to build the jars it needs): the Java echo
 * server on native and gmp, its C original and the C event loop, 200 connections each. Checks
 * the JSON contract's shape and that every server held every connection and echoed every
 * byte; never a latency or a rate.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class C10kIT {

    static final int CONNECTIONS = 200;
    static final List<String> SERVERS = List.of("native", "gmp", "c-threads", "c-epoll");

    static Map<String, Object> lab;
    static String html;

    @BeforeAll
    static void runLab() throws Exception {
        Path repo = Path.of(System.getProperty("pthread4j.repo")).toAbsolutePath().normalize();
        Path out = Files.createTempFile("c10k", ".json");
        Path err = Files.createTempFile("c10k", ".err");
        Path report = Files.createTempFile("c10k", ".html");
        Process p = new ProcessBuilder(List.of("bash", repo.resolve("pthread4j").toString(), "lab", "c10k", "--max",
                String.valueOf(CONNECTIONS), "--backend", "native,gmp,c-threads", "--json", "--html", report.toString()))
                .directory(repo.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the lab did not finish");
        String json = Files.readString(out);
        assertEquals(0, p.exitValue(), json + Files.readString(err));
        lab = object(Ratios.Json.parse(json.trim()));
        html = Files.readString(report);
    }

    /** The JSON has the run, the machine's limits (both NOFILE limits, the sysctls) and the load generator's settings. */
    @Test
    void jsonHasTheLimitsAndTheRun() {
        assertEquals(Set.of("seconds", "max", "load", "limits", "loadgen", "backends"), lab.keySet());
        assertEquals((double) CONNECTIONS, lab.get("max"));
        Map<String, Object> limits = object(lab.get("limits"));
        for (String key : List.of("nofile_soft_before", "nofile_soft", "nofile_hard", "kernel.threads-max",
                "vm.max_map_count", "net.ipv4.ip_local_port_range")) {
            assertTrue(limits.containsKey(key), key);
        }
        assertTrue((Double) limits.get("nofile_soft") <= (Double) limits.get("nofile_hard"), limits.toString());
        assertEquals(Set.of("sources", "message_bytes", "sample", "rounds", "echo_ms"), object(lab.get("loadgen")).keySet());
    }

    /**
     * Each server held all 200 connections with nothing failed and no limit, with the contract's
     * four fields; the bytes the load generator checked are exactly every byte it sent (one
     * message on each connection, then the sample's round trips), so every byte came back.
     */
    @Test
    void everyServerEchoedEveryByte() {
        Map<String, Object> backends = object(lab.get("backends"));
        assertEquals(SERVERS, new ArrayList<>(backends.keySet()));
        Map<String, Object> loadgen = object(lab.get("loadgen"));
        double bytes = (Double) loadgen.get("message_bytes");
        double sample = Math.min(CONNECTIONS, (Double) loadgen.get("sample"));
        for (String s : SERVERS) {
            Map<String, Object> r = object(backends.get(s));
            String why = s + ": " + r.get("why") + " " + r.get("server_said");
            assertEquals((double) CONNECTIONS, r.get("max_connections"), why);
            assertEquals("none", r.get("limit"), why);
            assertTrue(r.get("rss_per_connection") == null || r.get("rss_per_connection") instanceof Double, why);
            assertInstanceOf(Double.class, r.get("p99_us"), why);
            List<?> steps = (List<?>) r.get("steps");
            assertEquals(1, steps.size(), why);
            Map<String, Object> step = object(steps.get(0));
            assertEquals((double) CONNECTIONS, step.get("held"), why);
            assertEquals(Map.of(), step.get("failed"), why);
            assertEquals((CONNECTIONS + sample * (Double) loadgen.get("rounds")) * bytes, step.get("bytes_checked"), why);
        }
    }

    /** The mechanisms in the kernel-thread count: the event loop is one thread; the C server has one per connection besides main. */
    @Test
    void kernelThreadsShowTheModels() {
        Map<String, Object> backends = object(lab.get("backends"));
        assertEquals(1.0, object(backends.get("c-epoll")).get("kernel_threads"));
        assertEquals(CONNECTIONS + 1.0, object(backends.get("c-threads")).get("kernel_threads"));
        assertTrue((Double) object(backends.get("native")).get("kernel_threads") > CONNECTIONS,
                "native: a kernel thread per connection");
    }

    /** The HTML report has the table, with the machine's limits, and a chart per figure. */
    @Test
    void reportHasTheTableAndCharts() {
        assertTrue(html.contains("RLIMIT_NOFILE: soft "), "both NOFILE limits");
        assertTrue(html.contains("vm.max_map_count"), "the sysctls");
        assertTrue(html.contains("connections held, all echoing"), "the table");
        assertEquals(5, html.split("<svg", -1).length - 1, "five charts");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object o) {
        return (Map<String, Object>) o;
    }
}

package org.pthread4j.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * What the kernel says about this process and the machine, read from {@code /proc}: the
 * lab's evidence that load cannot fake. A reading that fails (no such file, a kernel without
 * it) answers "unknown" ({@code null}, {@code false}, an empty set), never a guess.
 */
final class Proc {

    /** {@code read}'s system call number: x86_64 and aarch64, the platforms the C layer builds on. */
    static final int SYS_READ = System.getProperty("os.arch").equals("aarch64") ? 63 : 0;
    /** {@code recvfrom}'s (glibc's {@code recv}): x86_64 and aarch64. */
    static final int SYS_RECVFROM = System.getProperty("os.arch").equals("aarch64") ? 207 : 45;

    private Proc() {}

    /** The tids of this process's kernel tasks (its threads). */
    static Set<Integer> tasks() {
        Set<Integer> tids = new HashSet<>();
        String[] names = new java.io.File("/proc/self/task").list();
        if (names != null) {
            for (String n : names) {
                tids.add(Integer.parseInt(n));
            }
        }
        return tids;
    }

    static boolean alive(int tid) {
        return Files.isDirectory(Path.of("/proc/self/task/" + tid));
    }

    /**
     * Waits up to {@code millis} for the task {@code tid} to be gone: the kernel releases an
     * exited thread just after it wakes the joiner (the clear-child-tid futex comes first).
     */
    static boolean awaitGone(int tid, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (alive(tid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /**
     * Whether kernel thread {@code tid} of this process is asleep in {@code read(fd, …)} on a
     * pipe: the task state is S (interruptible sleep), and {@code /proc/self/task/<tid>/syscall}
     * names the read system call on that descriptor; on a kernel without that file, the
     * task's wait channel ({@code wchan}) is the pipe's read.
     */
    static boolean sleepsInRead(int tid, int fd) {
        if (state(tid) != 'S') {
            return false;
        }
        String sys = read("/proc/self/task/" + tid + "/syscall");
        if (sys != null && !sys.isEmpty() && Character.isDigit(sys.charAt(0))) {
            String[] f = sys.trim().split(" ");
            return f.length > 1 && f[0].equals(String.valueOf(SYS_READ)) && Long.decode(f[1]) == fd;
        }
        String wchan = read("/proc/self/task/" + tid + "/wchan");
        return wchan != null && wchan.contains("pipe_read");
    }

    /** The task's state letter (R, S, D…), or 0 when unknown. */
    static char state(int tid) {
        String stat = read("/proc/self/task/" + tid + "/stat");
        if (stat == null) {
            return 0;
        }
        int close = stat.lastIndexOf(')'); // the command name may contain spaces
        return close < 0 || close + 2 >= stat.length() ? 0 : stat.charAt(close + 2);
    }

    /** The 1, 5 and 15 minute load averages, or null. */
    static double[] loadavg() {
        String s = read("/proc/loadavg");
        if (s == null) {
            return null;
        }
        String[] f = s.trim().split("\\s+");
        return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    }

    /**
     * The machine's CPU time so far, from {@code /proc/stat}'s {@code cpu} line, in clock ticks
     * summed over all CPUs: {@code [total, idle (with iowait), steal]}; null when unreadable.
     */
    static long[] cpuTicks() {
        String s = read("/proc/stat");
        if (s == null || !s.startsWith("cpu ")) {
            return null;
        }
        String[] f = s.substring(0, s.indexOf('\n')).trim().split("\\s+");
        // user nice system idle iowait irq softirq steal (guest time is inside user)
        long total = 0;
        for (int i = 1; i <= 8 && i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
        long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
        return new long[] {total, idle, steal};
    }

    /**
     * CPU time used by this process and its reaped children (utime, stime, cutime, cstime of
     * {@code /proc/self/stat}), in the same clock ticks as {@link #cpuTicks}; -1 when unreadable.
     */
    static long ownTicks() {
        String stat = read("/proc/self/stat");
        if (stat == null) {
            return -1;
        }
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state): utime..cstime are fields 14..17
        long sum = 0;
        for (int i = 11; i <= 14; i++) {
            sum += Long.parseLong(f[i]);
        }
        return sum;
    }

    // ---- another process (the lab's c10k servers) -----------------------------------------

    /** The number of kernel tasks (threads) of process {@code pid}, or -1. */
    static int taskCount(long pid) {
        String[] names = new java.io.File("/proc/" + pid + "/task").list();
        return names == null ? -1 : names.length;
    }

    /** A "kB" line of {@code /proc/<pid>/status} ({@code VmRSS}, {@code VmSize}), or -1. */
    static long statusKb(long pid, String field) {
        String status = read("/proc/" + pid + "/status");
        if (status != null) {
            for (String line : status.split("\n")) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        }
        return -1;
    }

    /** The number of memory mappings of process {@code pid} (what {@code vm.max_map_count} caps), or -1. */
    static long mappings(long pid) {
        try (var lines = Files.lines(Path.of("/proc/" + pid + "/maps"))) {
            return lines.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** How many tasks of process {@code pid} sleep in a {@code read} or {@code recvfrom} system call. */
    static int inRead(long pid) {
        String[] tids = new java.io.File("/proc/" + pid + "/task").list();
        int n = 0;
        if (tids != null) {
            for (String tid : tids) {
                String sys = read("/proc/" + pid + "/task/" + tid + "/syscall");
                if (sys != null && !sys.isEmpty() && Character.isDigit(sys.charAt(0))) {
                    int nr = Integer.parseInt(sys.trim().split(" ")[0]);
                    n += nr == SYS_READ || nr == SYS_RECVFROM ? 1 : 0;
                }
            }
        }
        return n;
    }

    /** A kernel setting, {@code /proc/sys/<name with dots as slashes>} ("vm.max_map_count"), or null. */
    static String sysctl(String name) {
        // Not Files.readString: on these files it returns the first byte only ("1" of 192729).
        try (var in = new java.io.FileInputStream("/proc/sys/" + name.replace('.', '/'))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim().replaceAll("\\s+", " ");
        } catch (IOException e) {
            return null;
        }
    }

    static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

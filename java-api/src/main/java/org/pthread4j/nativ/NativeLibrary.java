package org.pthread4j.nativ;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The one loader of {@code libpthread4j.so}, which travels inside the jar under
 * {@code /native/<platform>/}. Call {@link #ensureLoaded()} before the first downcall; ask
 * {@link #isAvailable()} and {@link #unavailabilityCause()} to probe without failing.
 */
public final class NativeLibrary {

    private static final Throwable CAUSE = load();

    private NativeLibrary() {}

    /** This JVM's platform: {@code linux-x86_64}, {@code linux-aarch64}, or null where the C layer is not built. */
    public static String platform() {
        return platform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /**
     * The directory under {@code /native/} of the jar that holds the C layer for a JVM's
     * {@code os.name} and {@code os.arch}; null for a platform the jar has none for. The build
     * packs {@code linux-x86_64} and, where the cross compiler is installed, {@code linux-aarch64}
     * (native/README.md).
     */
    public static String platform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            return null;
        }
        return switch (arch) {
            case "amd64", "x86_64" -> "linux-x86_64";
            case "aarch64", "arm64" -> "linux-aarch64";
            default -> null;
        };
    }

    public static boolean isAvailable() {
        return CAUSE == null;
    }

    /** Why the library could not be loaded, or null. */
    public static Throwable unavailabilityCause() {
        return CAUSE;
    }

    /** Throws {@link UnsatisfiedLinkError} with the reason when the library is unavailable. */
    public static void ensureLoaded() {
        if (CAUSE != null) {
            UnsatisfiedLinkError e = new UnsatisfiedLinkError(CAUSE.getMessage());
            e.initCause(CAUSE);
            throw e;
        }
    }

    private static Throwable load() {
        String platform = platform();
        if (platform == null) {
            return new UnsupportedOperationException("pthread4j's native layer supports Linux on x86_64 and "
                    + "aarch64; this is " + System.getProperty("os.name") + " on " + System.getProperty("os.arch"));
        }
        String resource = "/native/" + platform + "/libpthread4j.so";
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                return new UnsatisfiedLinkError(resource + " is not on the class path: the jar was built "
                        + "without the C layer for " + platform);
            }
            Path dir = Files.createTempDirectory("pthread4j");
            Path lib = dir.resolve("libpthread4j.so");
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            System.load(lib.toAbsolutePath().toString());
            // The mapping stays valid after unlinking; nothing is left in /tmp.
            Files.deleteIfExists(lib);
            Files.deleteIfExists(dir);
            return null;
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            return e;
        }
    }
}

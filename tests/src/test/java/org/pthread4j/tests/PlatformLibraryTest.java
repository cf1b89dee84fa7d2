package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.pthread4j.nativ.NativeLibrary;

/**
 * The jar carries the C layer of each platform it was built for, under
 * {@code /native/<platform>/}, and the loader picks the one of the running JVM. Checked on every
 * backend run alike: what the jar holds does not depend on the backend.
 */
class PlatformLibraryTest {

    /** ELF e_machine values (elf.h): EM_X86_64 and EM_AARCH64. */
    private static final int EM_X86_64 = 62;
    private static final int EM_AARCH64 = 183;

    /** os.name and os.arch name the directory the loader reads: the JVM's names of both architectures, none elsewhere. */
    @Test
    void platformOfOsNameAndArch() {
        assertEquals("linux-x86_64", NativeLibrary.platform("Linux", "amd64"));
        assertEquals("linux-x86_64", NativeLibrary.platform("Linux", "x86_64"));
        assertEquals("linux-aarch64", NativeLibrary.platform("Linux", "aarch64"));
        assertEquals("linux-aarch64", NativeLibrary.platform("Linux", "arm64"));
        assertNull(NativeLibrary.platform("Linux", "riscv64"));
        assertNull(NativeLibrary.platform("Mac OS X", "aarch64"));
    }

    /** This machine's library is in the jar, an ELF for this machine's architecture. */
    @Test
    void thisMachinesLibrary() throws IOException {
        String platform = NativeLibrary.platform();
        assertNotNull(platform, "this test runs on Linux x86_64 or aarch64");
        assertEquals(platform.equals("linux-x86_64") ? EM_X86_64 : EM_AARCH64, elfMachine(platform));
    }

    /** With the cross compiler installed the jar carries linux-aarch64 too, an AArch64 ELF. */
    @Test
    void aarch64Library() throws IOException {
        assumeTrue(Files.exists(Path.of("/usr/bin/aarch64-linux-gnu-gcc")),
                "no /usr/bin/aarch64-linux-gnu-gcc: the build packed no linux-aarch64 library");
        assertEquals(EM_AARCH64, elfMachine("linux-aarch64"));
    }

    private static int elfMachine(String platform) throws IOException {
        String resource = "/native/" + platform + "/libpthread4j.so";
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is not in the jar");
            byte[] header = in.readNBytes(20);
            assertEquals("\u007fELF", new String(header, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
            return (header[18] & 0xff) | (header[19] & 0xff) << 8;
        }
    }
}

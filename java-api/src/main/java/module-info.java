/**
 * The POSIX threads API for Java on four thread models. {@link org.pthread4j.Pthreads} is the
 * facade (with its handle types, {@link org.pthread4j.Libc} and {@link org.pthread4j.Stdatomic}
 * beside it); {@code org.pthread4j.posix} offers a few system calls for labs. Every other
 * package is internal and not exported.
 *
 * <p>On the module path the JVM needs {@code --enable-native-access=org.pthread4j} (the
 * {@code native} backend's C layer) and, for the {@code green} and {@code gmp} backends,
 * {@code --add-opens java.base/java.lang=org.pthread4j} (which also lets the {@code native}
 * backend reuse its kernel threads). jnr-posix is optional: only
 * {@link org.pthread4j.posix.Posix#jnr()} uses it, and a program that calls it resolves the
 * module itself ({@code requires org.jnrproject.posix}, or {@code --add-modules
 * org.jnrproject.posix}).
 */
module org.pthread4j {
    requires static org.jnrproject.posix;
    // sun.misc.Signal: the signal emulation forwards the process's signals (Signals)
    requires jdk.unsupported;

    exports org.pthread4j;
    exports org.pthread4j.posix;
}

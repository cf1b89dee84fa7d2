package org.pthread4j;

/** The thread models, one per backend; chosen per JVM with {@code -Dpthread4j.backend=}. */
public enum Backend {
    /** 1:1 — every pthread is a kernel thread; futexes are the kernel's. */
    NATIVE,
    /** M:N — JDK virtual threads on the work-stealing carrier pool; a user-space parking lot. */
    VIRTUAL,
    /** M:1 — virtual threads on exactly one carrier thread. */
    GREEN,
    /** M:N — virtual threads on pthread4j's own G/M/P scheduler. */
    GMP;

    /**
     * The name used in {@code -Dpthread4j.backend}.
     *
     * @return the backend's name
     */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The backend named by {@code id}, or {@code null}.
     *
     * @param id a backend's name: native, virtual, green or gmp
     * @return the backend, or null for an unknown name
     */
    public static Backend of(String id) {
        for (Backend b : values()) {
            if (b.id().equals(id)) {
                return b;
            }
        }
        return null;
    }
}

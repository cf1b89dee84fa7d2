package org.pthread4j;

import static org.pthread4j.posix.Posix.MAP_SHARED;
import static org.pthread4j.posix.Posix.O_CREAT;
import static org.pthread4j.posix.Posix.O_EXCL;
import static org.pthread4j.posix.Posix.O_RDWR;
import static org.pthread4j.posix.Posix.PROT_READ;
import static org.pthread4j.posix.Posix.PROT_WRITE;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ThreadLocalRandom;
import org.pthread4j.posix.Posix;
import org.pthread4j.spi.Errno;

/**
 * Named semaphores as glibc makes them: the semaphore {@code "/name"} is the file
 * {@code /dev/shm/sem.name}, {@link Shared#SEM_SIZE} bytes that every process opening the name
 * maps, holding a process-shared unnamed semaphore ({@link Shared}'s layout).
 *
 * <p>A new semaphore is never seen half-made: it is initialized in a file of a temporary name,
 * then {@code link(2)}ed to its name, which fails with EEXIST if the name exists; without
 * O_EXCL the caller then opens the existing one. An existing file too short or not holding a
 * semaphore is refused with EINVAL rather than mapped (touching past its end would fault).
 * Each open maps the file anew; {@code sem_close} unmaps that mapping.
 */
final class NamedSemaphores {

    private static final String SHM_DIR = "/dev/shm/";

    private NamedSemaphores() {}

    private static sem_t failed(int errnum) {
        Pthreads.errno(errnum);
        return null;
    }

    /** The shm_open name of semaphore {@code name} (leading slashes dropped), or null (EINVAL). */
    static String shmName(String name) {
        if (name == null) {
            return null;
        }
        int i = 0;
        while (i < name.length() && name.charAt(i) == '/') {
            i++;
        }
        String n = name.substring(i);
        return n.isEmpty() || n.indexOf('/') >= 0 ? null : "/sem." + n;
    }

    /** {@code sem_open}: the semaphore, or null with errno set. */
    static sem_t open(String name, int oflag, int mode, int value) {
        String shm = shmName(name);
        if (shm == null) {
            return failed(Errno.EINVAL);
        }
        if (Shared.backend() == null) {
            return failed(Errno.ENOTSUP);
        }
        for (;;) {
            if ((oflag & O_CREAT) == 0 || (oflag & O_EXCL) == 0) {
                int fd = Posix.shm_open(shm, O_RDWR, 0);
                if (fd >= 0) {
                    return mapExisting(fd);
                }
                if ((oflag & O_CREAT) == 0 || Pthreads.errno() != Errno.ENOENT) {
                    return null;
                }
            }
            if (value < 0) {
                return failed(Errno.EINVAL);
            }
            sem_t sem = create(shm, mode, value);
            if (sem != null || Pthreads.errno() != Errno.EEXIST || (oflag & O_EXCL) != 0) {
                return sem;
            }
            // another process created it since we looked: open theirs
        }
    }

    private static sem_t mapExisting(int fd) {
        MemorySegment mapping = Posix.mmap(null, Shared.SEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        int err = Pthreads.errno();
        Posix.close(fd);
        if (mapping == Posix.MAP_FAILED) {
            return failed(err);
        }
        sem_t sem = mapping.byteSize() < Shared.SEM_SIZE ? null : sem_t.at(mapping, 0);
        if (sem == null || sem.impl == null) {
            Posix.munmap(mapping, Shared.SEM_SIZE);
            return failed(Errno.EINVAL);
        }
        sem.mapping = mapping;
        return sem;
    }

    /** Makes the semaphore under a temporary name and links it to {@code shm}; null with errno (EEXIST: the name is taken). */
    private static sem_t create(String shm, int mode, int value) {
        String tmp;
        int fd;
        do {
            tmp = "/sem." + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
            fd = Posix.shm_open(tmp, O_RDWR | O_CREAT | O_EXCL, mode);
        } while (fd < 0 && Pthreads.errno() == Errno.EEXIST);
        if (fd < 0) {
            return null;
        }
        sem_t sem = null;
        MemorySegment mapping = Posix.MAP_FAILED;
        try {
            if (Posix.ftruncate(fd, Shared.SEM_SIZE) != 0) {
                return null;
            }
            mapping = Posix.mmap(null, Shared.SEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
            if (mapping == Posix.MAP_FAILED) {
                return null;
            }
            sem = sem_t.at(mapping, 0);
            Pthreads.sem_init(sem, 1, value);
            if (Posix.link(SHM_DIR + tmp.substring(1), SHM_DIR + shm.substring(1)) != 0) {
                sem = null;
                return null;
            }
            sem.mapping = mapping;
            return sem;
        } finally {
            int err = Pthreads.errno();
            if (sem == null && mapping != Posix.MAP_FAILED) {
                Shared.forget(mapping);
                Posix.munmap(mapping, Shared.SEM_SIZE);
            }
            Posix.shm_unlink(tmp);
            Posix.close(fd);
            Pthreads.errno(err);
        }
    }

    /** {@code sem_close}: 0, or -1 with errno EINVAL (not from sem_open, or closed) or EBUSY. */
    static int close(sem_t sem) {
        if (sem == null || sem.mapping == null) {
            Pthreads.errno(Errno.EINVAL);
            return -1;
        }
        Shared.forget(sem.place);
        if (Posix.munmap(sem.mapping, Shared.SEM_SIZE) != 0) {
            return -1;
        }
        sem.impl = null;
        sem.mapping = null;
        return 0;
    }

    /** {@code sem_unlink}: 0, or -1 with errno ENOENT, EACCES, EINVAL (a bad name), ENAMETOOLONG. */
    static int unlink(String name) {
        String shm = shmName(name);
        if (shm == null) {
            Pthreads.errno(Errno.EINVAL);
            return -1;
        }
        return Posix.shm_unlink(shm);
    }
}

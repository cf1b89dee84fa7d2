package org.pthread4j.nativ;

import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_gettid;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_stack_min;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_thread_create;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_thread_self;
import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_thread_setname;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ConcurrentHashMap;
import org.pthread4j.nativ.ffi.p4j_start_fn;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.Tcb;
import org.pthread4j.spi.ThreadModel;

/**
 * The 1:1 model: every pthread is a kernel thread that the C layer creates with glibc's
 * {@code pthread_create}; it enters Java through one FFM upcall stub, and the JVM attaches
 * it on that first upcall.
 *
 * <p>The upcall receives the pthread's id; the body to run waits in {@link #bodies} from
 * just before the kernel thread is created until the thread takes it.
 *
 * <p>Every kernel thread is created detached in glibc: {@code pthread_join} is the facade's
 * wait on the pthread's exit word, which the body sets as its very last step, and the kernel
 * thread then returns from the upcall, is detached from the JVM and exits on its own. Joining
 * through glibc as well would cost the joiner a second sleep and a second cross-CPU wake-up
 * (measured: about a third of create+join here) for nothing the caller can observe.
 */
public final class NativeThreadModel implements ThreadModel {

    private final KernelFutex futex;
    private final ConcurrentHashMap<Integer, Runnable> bodies = new ConcurrentHashMap<>();
    private final MemorySegment startStub;
    private final long stackMin;

    public NativeThreadModel() {
        NativeLibrary.ensureLoaded();
        futex = new KernelFutex();
        startStub = p4j_start_fn.allocate(this::upcall, Arena.global());
        stackMin = p4j_stack_min();
    }

    private void upcall(long id) {
        try {
            Runnable body = bodies.remove((int) id);
            if (body != null) {
                body.run();
            }
        } catch (Throwable t) {
            // Never unwind into C: the JVM would end. The body reports its own failures.
        }
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public Futex futex() {
        return futex;
    }

    @Override
    public int start(Tcb tcb, Runnable body, long stackSize, long guardSize, boolean detached, String name) {
        bodies.put(tcb.id, body);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment handle = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment cname = name == null ? MemorySegment.NULL : arena.allocateFrom(name);
            int r = p4j_thread_create(startStub, tcb.id, stackSize, Math.max(guardSize, 0),
                    1, cname, handle);
            if (r < 0) {
                bodies.remove(tcb.id);
                return -r;
            }
            tcb.handle = handle.get(ValueLayout.JAVA_LONG, 0);
            return 0;
        }
    }

    @Override
    public int reap(Tcb tcb) {
        return 0; // detached in glibc: the kernel thread releases itself when it exits
    }

    @Override
    public int detach(Tcb tcb) {
        return 0;
    }

    @Override
    public int gettid() {
        return p4j_gettid();
    }

    @Override
    public int setName(Tcb tcb, String name) {
        long handle = tcb == Tcb.current() || tcb.handle == 0 ? p4j_thread_self() : tcb.handle;
        try (Arena arena = Arena.ofConfined()) {
            return -p4j_thread_setname(handle, arena.allocateFrom(name));
        }
    }

    @Override
    public long stackMin() {
        return stackMin;
    }
}

package org.pthread4j.nativ;

import static org.pthread4j.nativ.ffi.pthread4j_h.p4j_stack_min;

import java.util.concurrent.ConcurrentHashMap;
import org.pthread4j.spi.Futex;
import org.pthread4j.spi.Tcb;
import org.pthread4j.spi.ThreadModel;

/**
 * The 1:1 model: every pthread is a kernel thread that the C layer creates with glibc's
 * {@code pthread_create}. It enters Java through the chosen {@link NativeBinding}: an FFM
 * upcall (the JVM attaches the thread on that first upcall) or JNI's
 * {@code AttachCurrentThread}.
 *
 * <p>The new thread receives the pthread's id; the body to run waits in {@link #BODIES} from
 * just before the kernel thread is created until the thread takes it in {@link #enter}.
 *
 * <p>Every kernel thread is created detached in glibc: {@code pthread_join} is the facade's
 * wait on the pthread's exit word, which the body sets as its very last step, and the kernel
 * thread then returns to C, is detached from the JVM and exits on its own. Joining through
 * glibc as well would cost the joiner a second sleep and a second cross-CPU wake-up for
 * nothing the caller can observe.
 */
public final class NativeThreadModel implements ThreadModel {

    private static final ConcurrentHashMap<Integer, Runnable> BODIES = new ConcurrentHashMap<>();

    private final NativeBinding binding;
    private final KernelFutex futex;
    private final long stackMin;

    public NativeThreadModel() {
        NativeLibrary.ensureLoaded();
        binding = NativeBinding.selected();
        futex = new KernelFutex(binding);
        stackMin = p4j_stack_min();
    }

    /** The body of pthread {@code id}, run on its new kernel thread; never throws. */
    static void enter(long id) {
        Runnable body = BODIES.remove((int) id);
        if (body != null) {
            body.run();
        }
    }

    @Override
    public String name() {
        return "native";
    }

    /** {@code ffm} or {@code jni}: how this backend reaches the C layer. */
    public String binding() {
        return binding.name();
    }

    @Override
    public Futex futex() {
        return futex;
    }

    @Override
    public int start(Tcb tcb, Runnable body, long stackSize, long guardSize, boolean detached, String name) {
        BODIES.put(tcb.id, body);
        long[] handle = new long[1];
        int r = binding.threadCreate(tcb.id, stackSize, Math.max(guardSize, 0), handle);
        if (r < 0) {
            BODIES.remove(tcb.id);
            return -r;
        }
        tcb.handle = handle[0];
        if (name != null) {
            binding.threadSetname(handle[0], name);
        }
        return 0;
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
        return binding.gettid();
    }

    @Override
    public int setName(Tcb tcb, String name) {
        long handle = tcb == Tcb.current() || tcb.handle == 0 ? binding.threadSelf() : tcb.handle;
        return -binding.threadSetname(handle, name);
    }

    @Override
    public long stackMin() {
        return stackMin;
    }
}

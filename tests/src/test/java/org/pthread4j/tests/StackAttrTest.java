package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pthread4j.*;

/**
 * {@code pthread_attr_setstack}/{@code getstack} and the obsolete
 * {@code setstackaddr}/{@code getstackaddr}: stored and given back, the size the created
 * thread's stack size, bad input answered as glibc (EINVAL below PTHREAD_STACK_MIN).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StackAttrTest {

    /** setstack stores the segment and size; getstack and getstacksize give them back; a thread starts with it. */
    @Test
    void storedAndUsable() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment stack = arena.allocate(1 << 20, 4096);
            pthread_attr_t a = new pthread_attr_t();
            assertEquals(0, pthread_attr_init(a));
            MemorySegment[] addr = new MemorySegment[1];
            long[] size = new long[1];
            assertEquals(0, pthread_attr_getstack(a, addr, size));
            assertNull(addr[0], "none set: glibc's NULL");
            assertEquals(0, pthread_attr_setstack(a, stack, 1 << 20));
            assertEquals(0, pthread_attr_getstack(a, addr, size));
            assertSame(stack, addr[0]);
            assertEquals(1 << 20, size[0]);
            assertEquals(0, pthread_attr_getstacksize(a, size));
            assertEquals(1 << 20, size[0]);
            assertEquals(0, pthread_attr_getstackaddr(a, addr));
            assertSame(stack, addr[0]);
            assertEquals(42, join(start(a, arg -> 42, null)));
            assertEquals(0, pthread_attr_destroy(a));
        }
    }

    /** Bad input: below PTHREAD_STACK_MIN, a segment smaller than the size, null, uninitialized: EINVAL. */
    @Test
    void badInput() {
        MemorySegment small = Arena.ofAuto().allocate(64 * 1024);
        pthread_attr_t a = new pthread_attr_t();
        MemorySegment[] addr = new MemorySegment[1];
        long[] size = new long[1];
        assertEquals(EINVAL, pthread_attr_setstack(a, small, 64 * 1024), "not initialized");
        assertEquals(0, pthread_attr_init(a));
        assertEquals(EINVAL, pthread_attr_setstack(a, small, pthread_stack_min() - 1));
        assertEquals(EINVAL, pthread_attr_setstack(a, small, 128 * 1024), "larger than the segment");
        assertEquals(EINVAL, pthread_attr_setstack(a, null, 64 * 1024));
        assertEquals(EINVAL, pthread_attr_setstack(null, small, 64 * 1024));
        assertEquals(EINVAL, pthread_attr_getstack(a, null, size));
        assertEquals(EINVAL, pthread_attr_getstack(a, addr, null));
        assertEquals(EINVAL, pthread_attr_setstackaddr(a, null));
        assertEquals(0, pthread_attr_setstackaddr(a, small));
        assertEquals(0, pthread_attr_getstackaddr(a, addr));
        assertSame(small, addr[0]);
        assertEquals(0, pthread_attr_init(a));
        assertEquals(0, pthread_attr_getstackaddr(a, addr));
        assertNull(addr[0], "init forgets the stack");
    }
}

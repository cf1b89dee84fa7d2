package org.pthread4j.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pthread4j.Pthreads.*;
import static org.pthread4j.tests.TestSupport.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.pthread4j.*;
import org.pthread4j.spi.Tcb;

/** Thread-specific data: pthread_key_create(3p), pthread_setspecific(3p) and key destructors. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KeysTest {

    static pthread_key_t key(Destructor destructor) {
        pthread_key_t k = new pthread_key_t();
        assertEquals(0, pthread_key_create(k, destructor));
        return k;
    }

    /** Each thread sees only its own value of a key; a fresh thread sees null. */
    @Test
    void valuesArePerThread() {
        pthread_key_t k = key(null);
        try {
            assertEquals(0, pthread_setspecific(k, "test thread"));
            pthread_t t = start(arg -> {
                Object before = pthread_getspecific(k);
                pthread_setspecific(k, "pthread");
                return before + "," + pthread_getspecific(k);
            });
            assertEquals("null,pthread", join(t));
            assertEquals("test thread", pthread_getspecific(k));
        } finally {
            assertEquals(0, pthread_key_delete(k));
        }
    }

    /**
     * A thread's thread-specific arrays are made by its first pthread_setspecific, in its
     * rare block: a thread that sets none keeps none (a blocked M:N pthread's control block
     * has no field for them).
     */
    @Test
    void threadSpecificArraysAreMadeByTheFirstSet() {
        pthread_key_t k = key(null);
        try {
            pthread_t t = start(arg -> {
                Tcb self = Tcb.current();
                boolean none = self.specific() == null && self.specificGen() == null && pthread_getspecific(k) == null;
                pthread_setspecific(k, "set");
                Object[] values = self.specific();
                boolean made = values != null && self.specificGen() != null;
                return none + "," + made + "," + (made && slotOf(values, "set") >= 0) + "," + pthread_getspecific(k);
            });
            assertEquals("true,true,true,set", join(t));
        } finally {
            assertEquals(0, pthread_key_delete(k));
        }
    }

    private static int slotOf(Object[] values, Object value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** At thread exit the destructor gets the thread's last non-null value, once, with the key already cleared. */
    @Test
    void destructorGetsTheLastValue() {
        ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();
        pthread_key_t[] k = new pthread_key_t[1];
        k[0] = key(v -> calls.add(v + "/" + pthread_getspecific(k[0])));
        try {
            join(start(arg -> {
                pthread_setspecific(k[0], "first");
                pthread_setspecific(k[0], "last");
                return null;
            }));
            assertEquals(List.of("last/null"), new ArrayList<>(calls));
        } finally {
            assertEquals(0, pthread_key_delete(k[0]));
        }
    }

    /** No destructor runs for a thread whose value is null, or that never set one. */
    @Test
    void noDestructorForNullValue() {
        AtomicInteger calls = new AtomicInteger();
        pthread_key_t k = key(v -> calls.incrementAndGet());
        try {
            join(start(arg -> {
                pthread_setspecific(k, "set");
                pthread_setspecific(k, null);
                return null;
            }));
            join(start(arg -> null));
            assertEquals(0, calls.get());
        } finally {
            assertEquals(0, pthread_key_delete(k));
        }
    }

    /** A destructor that sets a new value is called again, at most PTHREAD_DESTRUCTOR_ITERATIONS times in all. */
    @Test
    void destructorRoundsAreBounded() {
        AtomicInteger forever = new AtomicInteger();
        AtomicInteger twice = new AtomicInteger();
        pthread_key_t[] k = new pthread_key_t[2];
        k[0] = key(v -> {
            forever.incrementAndGet();
            pthread_setspecific(k[0], v);
        });
        k[1] = key(v -> {
            if (twice.incrementAndGet() < 2) {
                pthread_setspecific(k[1], v);
            }
        });
        try {
            join(start(arg -> {
                pthread_setspecific(k[0], "again");
                pthread_setspecific(k[1], "again");
                return null;
            }));
            assertEquals(PTHREAD_DESTRUCTOR_ITERATIONS, forever.get());
            assertEquals(2, twice.get());
        } finally {
            assertEquals(0, pthread_key_delete(k[0]));
            assertEquals(0, pthread_key_delete(k[1]));
        }
    }

    /** pthread_exit(3) and cancellation run the destructors too. */
    @Test
    void destructorsRunOnExitAndCancel() {
        ConcurrentLinkedQueue<Object> calls = new ConcurrentLinkedQueue<>();
        pthread_key_t k = key(calls::add);
        try {
            join(start(arg -> {
                pthread_setspecific(k, "exited");
                pthread_exit(null);
                return null;
            }));
            pthread_t t = start(arg -> {
                pthread_setspecific(k, "cancelled");
                for (;;) {
                    pthread_testcancel();
                    sleep(1);
                }
            });
            assertEquals(0, pthread_cancel(t));
            assertEquals(PTHREAD_CANCELED, join(t));
            assertEquals(List.of("exited", "cancelled"), new ArrayList<>(calls));
        } finally {
            assertEquals(0, pthread_key_delete(k));
        }
    }

    /** Keys can be created up to PTHREAD_KEYS_MAX live keys, then EAGAIN; deleting one makes room again. */
    @Test
    void keysMaxThenEagain() {
        List<pthread_key_t> keys = new ArrayList<>();
        try {
            for (;;) {
                pthread_key_t k = new pthread_key_t();
                int r = pthread_key_create(k, null);
                if (r != 0) {
                    assertEquals(EAGAIN, r);
                    break;
                }
                keys.add(k);
                assertTrue(keys.size() <= PTHREAD_KEYS_MAX, "more than PTHREAD_KEYS_MAX keys");
            }
            // Keys that other tests of this JVM leave alive count against the limit too.
            assertTrue(keys.size() >= PTHREAD_KEYS_MAX - 64,
                    "only " + keys.size() + " keys before EAGAIN: does another test leak keys?");
            assertEquals(0, pthread_key_delete(keys.remove(keys.size() - 1)));
            pthread_key_t again = new pthread_key_t();
            assertEquals(0, pthread_key_create(again, null));
            keys.add(again);
        } finally {
            for (pthread_key_t k : keys) {
                assertEquals(0, pthread_key_delete(k));
            }
        }
    }

    /** A value set through a deleted key is never seen through a new key, even one that reuses its slot. */
    @Test
    void deletedKeyValuesAreNotInherited() {
        pthread_key_t old = key(null);
        assertEquals(0, pthread_setspecific(old, "stale"));
        assertEquals(0, pthread_key_delete(old));
        assertNull(pthread_getspecific(old));
        assertEquals(EINVAL, pthread_setspecific(old, "x"));
        List<pthread_key_t> fresh = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                pthread_key_t k = key(null);
                fresh.add(k);
                assertNull(pthread_getspecific(k), "a new key shows a deleted key's value");
            }
        } finally {
            for (pthread_key_t k : fresh) {
                assertEquals(0, pthread_key_delete(k));
            }
        }
    }

    /** A key deleted while a thread holds a value calls no destructor when that thread ends (pthread_key_delete(3p)). */
    @Test
    void deletedKeyRunsNoDestructor() {
        AtomicInteger calls = new AtomicInteger();
        pthread_key_t k = key(v -> calls.incrementAndGet());
        sem_t set = semaphore(0);
        sem_t deleted = semaphore(0);
        pthread_t t = start(arg -> {
            pthread_setspecific(k, "value");
            sem_post(set);
            sem_wait(deleted);
            return null;
        });
        awaitPost(set, "the thread set its value");
        assertEquals(0, pthread_key_delete(k));
        sem_post(deleted);
        join(t);
        assertEquals(0, calls.get());
    }
}

/*
 * p4j_jni.c - the JNI entry points of the C layer, for the native backend's JNI binding
 * (-Dpthread4j.binding=jni; class org.pthread4j.nativ.JniBinding).
 *
 * Each entry point is a thin wrapper of a p4j_ function: it converts JNI types and returns
 * the same >= 0 or -errno. Threads created through JNI run Java the classic JNI way: the new
 * kernel thread attaches itself with AttachCurrentThreadAsDaemon, calls the static method
 * JniBinding.run(long id), clears any exception (none should escape), and detaches; a
 * thread of the cache (p4j_thread_run) detaches only when it leaves the cache.
 */
#include <jni.h>
#include <stdint.h>

#include "p4j_internal.h"

static JavaVM *p4j_vm;
static jclass p4j_binding;   /* global reference to org.pthread4j.nativ.JniBinding */
static jmethodID p4j_run;    /* static void run(long id) */

static uint32_t *p4j_word(jlong address)
{
    return (uint32_t *) (intptr_t) address;
}

/* Caches the VM, the class and run(long); called once from JniBinding's initializer. */
JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_init(JNIEnv *env, jclass cls)
{
    if ((*env)->GetJavaVM(env, &p4j_vm) != JNI_OK) {
        return -1;
    }
    p4j_binding = (jclass) (*env)->NewGlobalRef(env, cls);
    p4j_run = (*env)->GetStaticMethodID(env, cls, "run", "(J)V");
    return p4j_binding != NULL && p4j_run != NULL ? 0 : -1;
}

/* The body of a thread created through JNI: attach, run, detach. */
static void p4j_jni_start(int64_t id)
{
    JNIEnv *env;
    JavaVMAttachArgs args = { JNI_VERSION_1_8, NULL, NULL };
    if ((*p4j_vm)->AttachCurrentThreadAsDaemon(p4j_vm, (void **) &env, &args) != JNI_OK) {
        return;
    }
    (*env)->CallStaticVoidMethod(env, p4j_binding, p4j_run, (jlong) id);
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
    }
    (*p4j_vm)->DetachCurrentThread(p4j_vm);
}

/*
 * The body of a thread of the cache (p4j_thread_run): it attaches on its first pthread
 * only and stays attached while it waits for the next; p4j_jni_leave detaches it when it
 * leaves the cache.
 */
static void p4j_jni_enter(int64_t id)
{
    JNIEnv *env;
    JavaVMAttachArgs args = { JNI_VERSION_1_8, NULL, NULL };
    if ((*p4j_vm)->GetEnv(p4j_vm, (void **) &env, JNI_VERSION_1_8) != JNI_OK
            && (*p4j_vm)->AttachCurrentThreadAsDaemon(p4j_vm, (void **) &env, &args) != JNI_OK) {
        return;
    }
    (*env)->CallStaticVoidMethod(env, p4j_binding, p4j_run, (jlong) id);
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
    }
}

static void p4j_jni_leave(void)
{
    (*p4j_vm)->DetachCurrentThread(p4j_vm);
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_threadRun(JNIEnv *env, jclass cls,
        jlong id, jlongArray handle)
{
    (void) cls;
    int64_t h = 0;
    int32_t rc = p4j_thread_run_hooked(p4j_jni_enter, p4j_jni_leave, id, &h);
    if (rc >= 0 && handle != NULL) {
        jlong out = (jlong) h;
        (*env)->SetLongArrayRegion(env, handle, 0, 1, &out);
    }
    return rc;
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_threadCreate(JNIEnv *env, jclass cls,
        jlong id, jlong stack_size, jlong guard_size, jint detached, jlongArray handle)
{
    (void) cls;
    int64_t h = 0;
    int32_t rc = p4j_thread_create(p4j_jni_start, id, stack_size, guard_size, detached, NULL, &h);
    if (rc == 0 && handle != NULL) {
        jlong out = (jlong) h;
        (*env)->SetLongArrayRegion(env, handle, 0, 1, &out);
    }
    return rc;
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_join2(JNIEnv *env, jclass cls,
        jlong handle, jlong cancel)
{
    (void) env;
    (void) cls;
    return p4j_thread_join2(handle, p4j_word(cancel));
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_detach0(JNIEnv *env, jclass cls,
        jlong handle)
{
    (void) env;
    (void) cls;
    return p4j_thread_detach(handle);
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_setname0(JNIEnv *env, jclass cls,
        jlong handle, jstring name)
{
    (void) cls;
    const char *cname = (*env)->GetStringUTFChars(env, name, NULL);
    if (cname == NULL) {
        return -12; /* -ENOMEM: the JVM has thrown OutOfMemoryError */
    }
    int32_t rc = p4j_thread_setname(handle, cname);
    (*env)->ReleaseStringUTFChars(env, name, cname);
    return rc;
}

JNIEXPORT jlong JNICALL Java_org_pthread4j_nativ_JniBinding_self0(JNIEnv *env, jclass cls)
{
    (void) env;
    (void) cls;
    return p4j_thread_self();
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_futexWait(JNIEnv *env, jclass cls,
        jlong word, jint expected, jint clock, jlong sec, jlong nsec)
{
    (void) env;
    (void) cls;
    return p4j_futex_wait(p4j_word(word), (uint32_t) expected, clock, sec, nsec);
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_futexWait2(JNIEnv *env, jclass cls,
        jlong word, jint expected, jlong cancel, jint clock, jlong sec, jlong nsec)
{
    (void) env;
    (void) cls;
    return p4j_futex_wait2(p4j_word(word), (uint32_t) expected, p4j_word(cancel), clock, sec, nsec);
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_futexWake(JNIEnv *env, jclass cls,
        jlong word, jint count)
{
    (void) env;
    (void) cls;
    return p4j_futex_wake(p4j_word(word), count);
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_futexRequeue(JNIEnv *env, jclass cls,
        jlong from, jint expected, jint nwake, jlong to, jint nrequeue)
{
    (void) env;
    (void) cls;
    return p4j_futex_cmp_requeue(p4j_word(from), (uint32_t) expected, nwake, p4j_word(to), nrequeue);
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_futexWaitShared(JNIEnv *env, jclass cls,
        jlong word, jint expected, jint clock, jlong sec, jlong nsec)
{
    (void) env;
    (void) cls;
    return p4j_futex_wait_shared(p4j_word(word), (uint32_t) expected, clock, sec, nsec);
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_futexWait2Shared(JNIEnv *env, jclass cls,
        jlong word, jint expected, jlong cancel, jint clock, jlong sec, jlong nsec)
{
    (void) env;
    (void) cls;
    return p4j_futex_wait2_shared(p4j_word(word), (uint32_t) expected, p4j_word(cancel), clock, sec, nsec);
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_futexWakeShared(JNIEnv *env, jclass cls,
        jlong word, jint count)
{
    (void) env;
    (void) cls;
    return p4j_futex_wake_shared(p4j_word(word), count);
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_robustPending0(JNIEnv *env, jclass cls,
        jlong node)
{
    (void) env;
    (void) cls;
    return p4j_robust_pending((void *) (intptr_t) node);
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_robustEnqueue0(JNIEnv *env, jclass cls,
        jlong node)
{
    (void) env;
    (void) cls;
    return p4j_robust_enqueue((void *) (intptr_t) node);
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_robustDequeue0(JNIEnv *env, jclass cls,
        jlong node)
{
    (void) env;
    (void) cls;
    return p4j_robust_dequeue((void *) (intptr_t) node);
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_gettid0(JNIEnv *env, jclass cls)
{
    (void) env;
    (void) cls;
    return p4j_gettid();
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_getpid0(JNIEnv *env, jclass cls)
{
    (void) env;
    (void) cls;
    return p4j_getpid();
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_threadRusage(JNIEnv *env, jclass cls,
        jlongArray out)
{
    (void) cls;
    struct p4j_rusage u;
    int32_t rc = p4j_thread_rusage(&u);
    if (rc == 0) {
        jlong v[4] = { u.utime_ns, u.stime_ns, u.nvcsw, u.nivcsw };
        (*env)->SetLongArrayRegion(env, out, 0, 4, v);
    }
    return rc;
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_schedSet0(JNIEnv *env, jclass cls,
        jint tid, jint policy, jint priority)
{
    (void) env;
    (void) cls;
    return p4j_sched_set(tid, policy, priority);
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_schedSetprio0(JNIEnv *env, jclass cls,
        jint tid, jint priority)
{
    (void) env;
    (void) cls;
    return p4j_sched_setprio(tid, priority);
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_schedGet0(JNIEnv *env, jclass cls,
        jint tid, jintArray policy_priority)
{
    (void) cls;
    int32_t v[2] = { 0, 0 };
    int32_t rc = p4j_sched_get(tid, &v[0], &v[1]);
    (*env)->SetIntArrayRegion(env, policy_priority, 0, 2, (jint *) v);
    return rc;
}

/* An affinity mask travels as the long[] of a cpu_set_t: at most P4J_MASK_WORDS words. */
#define P4J_MASK_WORDS 16

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_schedSetaffinity0(JNIEnv *env, jclass cls,
        jint tid, jlong size, jlongArray mask)
{
    (void) cls;
    uint64_t m[P4J_MASK_WORDS] = { 0 };
    jsize n = (*env)->GetArrayLength(env, mask);
    if (n > P4J_MASK_WORDS || size > (jlong) n * 8) {
        return -22; /* -EINVAL: more bytes than the set holds */
    }
    (*env)->GetLongArrayRegion(env, mask, 0, n, (jlong *) m);
    return p4j_sched_setaffinity(tid, size, m);
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_schedGetaffinity0(JNIEnv *env, jclass cls,
        jint tid, jlong size, jlongArray mask)
{
    (void) cls;
    uint64_t m[P4J_MASK_WORDS] = { 0 };
    jsize n = (*env)->GetArrayLength(env, mask);
    if (n > P4J_MASK_WORDS || size > (jlong) n * 8) {
        return -22; /* -EINVAL: more bytes than the set holds */
    }
    int32_t rc = p4j_sched_getaffinity(tid, size, m);
    if (rc == 0) { /* size is a multiple of 8: the words C wrote, and no others */
        (*env)->SetLongArrayRegion(env, mask, 0, (jsize) (size / 8), (jlong *) m);
    }
    return rc;
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_cpuclockGettime0(JNIEnv *env, jclass cls,
        jint clock, jlongArray sec_nsec)
{
    (void) cls;
    struct p4j_timespec ts = { 0, 0 };
    int32_t rc = p4j_cpuclock_gettime(clock, &ts);
    jlong v[2] = { ts.tv_sec, ts.tv_nsec };
    (*env)->SetLongArrayRegion(env, sec_nsec, 0, 2, v);
    return rc;
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_futexLockPi0(JNIEnv *env, jclass cls,
        jlong word, jint clock, jlong sec, jlong nsec)
{
    (void) env;
    (void) cls;
    return p4j_futex_lock_pi(p4j_word(word), clock, sec, nsec);
}

JNIEXPORT jint JNICALL Java_org_pthread4j_nativ_JniBinding_futexUnlockPi0(JNIEnv *env, jclass cls,
        jlong word)
{
    (void) env;
    (void) cls;
    return p4j_futex_unlock_pi(p4j_word(word));
}

/*
 * p4j_shm.c - memory that processes share, and the kernel's robust-futex list
 * for robust mutexes placed in it.
 *
 * The shared-memory calls are the libc calls and -errno.
 *
 * The robust list. At its exit the kernel walks the list of robust futexes the
 * thread registered with set_robust_list(2) (Documentation/locking/
 * robust-futex-ABI): for each entry, the futex word at entry + futex_offset
 * whose owner field is the thread's tid gets FUTEX_OWNER_DIED (WAITERS kept),
 * and one waiter is woken with a shared wake; list_op_pending names the entry
 * being locked or unlocked, which may not be linked yet. A thread has exactly
 * one registration, and glibc registers one for every thread it starts (its
 * own robust mutexes live on it). Registering a list of our own would take the
 * kernel's help away from glibc's robust mutexes in that thread (the way some
 * IPC libraries accept), and restoring glibc's head later leaves a window in
 * which ours are unprotected. So the mutexes of pthread4j join glibc's list:
 *
 *   - the head comes from get_robust_list(2), not from glibc's private thread
 *     descriptor; the kernel ABI defines its three fields;
 *   - an entry is laid out as glibc's public pthread_mutex_t lays out __list on
 *     64-bit targets: { prev, next } at P4J_ROBUST_NODE bytes after the lock
 *     word, next being the kernel's entry, so futex_offset is the same
 *     (-P4J_ROBUST_NODE - 8) for both; a head with another futex_offset (not
 *     glibc's list) is refused with -ENOTSUP;
 *   - links are glibc's: next points to the next entry's next field (or the
 *     head), prev to the previous entry's next field (or the head), and the low
 *     bit of a next pointer marks a PI futex after it. Both sides insert at the
 *     head and unlink in place, only on their own thread, so the two kinds of
 *     entries can sit in any order. The one write glibc's own code makes into
 *     its descriptor (the prev of the head, a slot it never reads) is skipped;
 *   - the kernel may read the list at any instruction (SIGKILL), so each
 *     change is ordered for it with compiler fences, as glibc does.
 *
 * A thread with no list registered (another libc) gets one of its own here.
 */
#include "p4j_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

P4J_API int32_t p4j_shm_open(const char *name, int32_t oflag, int32_t mode)
{
    int fd = shm_open(name, oflag, (mode_t) mode);

    return fd < 0 ? -errno : fd;
}

P4J_API int32_t p4j_shm_unlink(const char *name)
{
    return shm_unlink(name) == 0 ? 0 : -errno;
}

P4J_API int32_t p4j_ftruncate(int32_t fd, int64_t length)
{
    return ftruncate(fd, (off_t) length) == 0 ? 0 : -errno;
}

P4J_API int64_t p4j_fsize(int32_t fd)
{
    struct stat st;

    return fstat(fd, &st) == 0 ? (int64_t) st.st_size : -errno;
}

P4J_API int64_t p4j_mmap(int64_t addr, int64_t length, int32_t prot, int32_t flags,
                         int32_t fd, int64_t offset)
{
    void *p = mmap((void *) (intptr_t) addr, (size_t) length, prot, flags, fd, (off_t) offset);

    return p == MAP_FAILED ? -errno : (int64_t) (intptr_t) p;
}

P4J_API int32_t p4j_munmap(int64_t addr, int64_t length)
{
    return munmap((void *) (intptr_t) addr, (size_t) length) == 0 ? 0 : -errno;
}

P4J_API int32_t p4j_link(const char *from, const char *to)
{
    return link(from, to) == 0 ? 0 : -errno;
}

/* ---- the robust list ---------------------------------------------------- */

struct p4j_node {
    void *prev; /* the previous entry's next field, or the head */
    void *next; /* the kernel's entry: the next entry's next field, or the head */
};

#define P4J_FUTEX_OFFSET (-(long) (P4J_ROBUST_NODE + offsetof(struct p4j_node, next)))
#define P4J_PI_BIT ((uintptr_t) 1)

/* The list of a thread that had none. */
static __thread struct robust_list_head p4j_own;

/* The calling thread's head, once checked: NULL until its first use. */
static __thread struct robust_list_head *p4j_head;

static struct robust_list_head *p4j_robust_head(void)
{
    struct robust_list_head *head = p4j_head;
    size_t len;

    if (head != NULL)
        return head;
    if (syscall(SYS_get_robust_list, 0, &head, &len) != 0)
        return NULL;
    if (head == NULL) {
        p4j_own.list.next = &p4j_own.list;
        p4j_own.futex_offset = P4J_FUTEX_OFFSET;
        p4j_own.list_op_pending = NULL;
        if (syscall(SYS_set_robust_list, &p4j_own, sizeof p4j_own) != 0)
            return NULL;
        head = &p4j_own;
    } else if (len != sizeof *head || head->futex_offset != P4J_FUTEX_OFFSET) {
        return NULL;
    }
    p4j_head = head;
    return head;
}

int p4j_robust_held(void)
{
    struct robust_list_head *head = p4j_head;

    return head != NULL && (head->list.next != &head->list || head->list_op_pending != NULL);
}

/* The node whose next field an entry pointer (PI bit masked) names; for the
 * head, a node whose next field is the head's list.next (its prev slot is
 * never touched). */
static struct p4j_node *p4j_node_of(void *entry)
{
    return (struct p4j_node *) (((uintptr_t) entry & ~P4J_PI_BIT) - offsetof(struct p4j_node, next));
}

static int p4j_is_head(struct robust_list_head *head, void *entry)
{
    return ((uintptr_t) entry & ~P4J_PI_BIT) == (uintptr_t) &head->list;
}

P4J_API int32_t p4j_robust_pending(void *node)
{
    struct robust_list_head *head = p4j_robust_head();

    if (head == NULL)
        return -ENOTSUP;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    head->list_op_pending = node == NULL ? NULL : (struct robust_list *) &((struct p4j_node *) node)->next;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    return 0;
}

P4J_API int32_t p4j_robust_enqueue(void *node)
{
    struct robust_list_head *head = p4j_robust_head();
    struct p4j_node *n = node;
    void *first;

    if (head == NULL)
        return -ENOTSUP;
    first = head->list.next;
    if (!p4j_is_head(head, first))
        p4j_node_of(first)->prev = &n->next;
    n->next = first;
    n->prev = &head->list;
    __atomic_signal_fence(__ATOMIC_SEQ_CST); /* complete before the kernel can reach it */
    head->list.next = (struct robust_list *) &n->next;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    head->list_op_pending = NULL;
    return 0;
}

P4J_API int32_t p4j_robust_dequeue(void *node)
{
    struct robust_list_head *head = p4j_robust_head();
    struct p4j_node *n = node;

    if (head == NULL)
        return -ENOTSUP;
    head->list_op_pending = (struct robust_list *) &n->next;
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    if (!p4j_is_head(head, n->next))
        p4j_node_of(n->next)->prev = n->prev;
    p4j_node_of(n->prev)->next = n->next;
    __atomic_signal_fence(__ATOMIC_SEQ_CST); /* unlinked before the entry forgets its place */
    n->prev = NULL;
    n->next = NULL;
    return 0;
}

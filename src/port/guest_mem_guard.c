/* SPDX-License-Identifier: GPL-2.0-or-later */
/* guest_mem_guard.c - a SIGBUS in guest memory ends the connection, not kvnetd (see the .h) */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>

#include "port/guest_mem_guard.h"

struct guard_slot {
	_Atomic(uintptr_t) start; /* 0: a free slot */
	size_t len;
	atomic_bool *lost;
};

static struct guard_slot guard_slots[GUEST_MEM_GUARD_SLOTS];
static atomic_uint guard_high; /* every slot in use is below it */
/* between the datapath threads that add and remove; the handler takes no lock */
static pthread_mutex_t guard_lock = PTHREAD_MUTEX_INITIALIZER;

static void guard_sigbus(int sig, siginfo_t *si, void *uctx)
{
	uintptr_t addr = (uintptr_t)si->si_addr;
	unsigned int n = atomic_load_explicit(&guard_high, memory_order_acquire);
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	int saved = errno;

	(void)sig;
	(void)uctx;
	for (unsigned int i = 0; i < n; i++) {
		struct guard_slot *s = &guard_slots[i];
		uintptr_t start = atomic_load_explicit(&s->start, memory_order_acquire);

		if (!start || addr - start >= s->len)
			continue;
		if (mmap((void *)start, s->len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
			break;
		atomic_store_explicit(s->lost, true, memory_order_relaxed);
		errno = saved;
		return;
	}
	/* not guest memory: kvnet's own bug, which must not be hidden */
	sigaction(SIGBUS, &dfl, NULL);
	errno = saved;
}

/* Return: 0 once the handler is SIGBUS's, or a negative errno */
static int guard_install(void)
{
	struct sigaction sa = { .sa_sigaction = guard_sigbus, .sa_flags = SA_SIGINFO }, old;

	/* looked at every time: whoever replaced it (a test harness) is replaced in turn */
	if (!sigaction(SIGBUS, NULL, &old) && (old.sa_flags & SA_SIGINFO) &&
	    old.sa_sigaction == guard_sigbus)
		return 0;
	sigemptyset(&sa.sa_mask);
	return sigaction(SIGBUS, &sa, NULL) ? -errno : 0;
}

int guest_mem_guard_add(void *addr, size_t len, atomic_bool *lost)
{
	unsigned int n, i;
	int ret = guard_install();

	if (ret)
		return ret;
	pthread_mutex_lock(&guard_lock);
	n = atomic_load_explicit(&guard_high, memory_order_relaxed);
	for (i = 0; i < n; i++)
		if (!atomic_load_explicit(&guard_slots[i].start, memory_order_relaxed))
			break;
	if (i == GUEST_MEM_GUARD_SLOTS) {
		pthread_mutex_unlock(&guard_lock);
		return -ENOSPC;
	}
	guard_slots[i].len = len;
	guard_slots[i].lost = lost;
	atomic_store_explicit(&guard_slots[i].start, (uintptr_t)addr, memory_order_release);
	if (i == n)
		atomic_store_explicit(&guard_high, n + 1, memory_order_release);
	pthread_mutex_unlock(&guard_lock);
	return 0;
}

void guest_mem_guard_del(void *addr)
{
	unsigned int n;

	pthread_mutex_lock(&guard_lock);
	n = atomic_load_explicit(&guard_high, memory_order_relaxed);
	for (unsigned int i = 0; i < n; i++) {
		if (atomic_load_explicit(&guard_slots[i].start, memory_order_relaxed) ==
		    (uintptr_t)addr) {
			atomic_store_explicit(&guard_slots[i].start, 0, memory_order_release);
			break;
		}
	}
	pthread_mutex_unlock(&guard_lock);
}

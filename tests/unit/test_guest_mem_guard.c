/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_guest_mem_guard.c - a shrunk guest memory file: the guarded mapping reads zeros and
 * is marked lost; an unguarded one still dies of SIGBUS, so kvnet's own faults stay loud */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "port/guest_mem_guard.h"

#define LEN (4 * 4096)

/* a memfd of LEN bytes full of 0xab, mapped shared; its descriptor in *@fd */
static volatile uint8_t *map_file(int *fd)
{
	void *p;

	*fd = memfd_create("guard-test", MFD_CLOEXEC);
	assert_true(*fd >= 0);
	assert_int_equal(ftruncate(*fd, LEN), 0);
	p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
	assert_true(p != MAP_FAILED);
	memset(p, 0xab, LEN);
	return p;
}

static void test_shrunk_guarded(void **state)
{
	atomic_bool lost = false;
	volatile uint8_t *p;
	int fd;

	(void)state;
	p = map_file(&fd);
	assert_int_equal(guest_mem_guard_add((void *)p, LEN, &lost), 0);
	assert_int_equal(p[LEN - 1], 0xab);
	assert_false(atomic_load(&lost));
	assert_int_equal(ftruncate(fd, 0), 0);
	/* the page is gone: the guard puts zeros in place of the whole mapping */
	assert_int_equal(p[2 * 4096], 0);
	assert_true(atomic_load(&lost));
	assert_int_equal(p[0], 0);
	p[1] = 7; /* writable, and private now: the file sees nothing */
	assert_int_equal(p[1], 7);
	guest_mem_guard_del((void *)p);
	munmap((void *)p, LEN);
	close(fd);
}

static void test_shrunk_unguarded_dies(void **state)
{
	atomic_bool lost = false;
	volatile uint8_t *guarded, *p;
	int fd, gfd, status;
	pid_t pid;

	(void)state;
	guarded = map_file(&gfd); /* the handler is installed, for another mapping */
	assert_int_equal(guest_mem_guard_add((void *)guarded, LEN, &lost), 0);
	p = map_file(&fd);
	assert_int_equal(ftruncate(fd, 0), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		(void)p[4096];
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGBUS);
	assert_false(atomic_load(&lost));
	guest_mem_guard_del((void *)guarded);
	munmap((void *)guarded, LEN);
	munmap((void *)p, LEN);
	close(gfd);
	close(fd);
}

static void test_slots_reused(void **state)
{
	atomic_bool lost = false;
	int i;

	(void)state;
	/* a slot freed is taken again: adding and removing forever never fills the table */
	for (i = 0; i < 3 * GUEST_MEM_GUARD_SLOTS; i++) {
		void *addr = (void *)(uintptr_t)(0x100000 + (uintptr_t)(i % 8) * 0x1000);

		assert_int_equal(guest_mem_guard_add(addr, 4096, &lost), 0);
		if (i % 8 == 7)
			for (int j = 0; j < 8; j++)
				guest_mem_guard_del(
					(void *)(uintptr_t)(0x100000 + (uintptr_t)j * 0x1000));
	}
	for (i = 0; i < GUEST_MEM_GUARD_SLOTS; i++)
		assert_int_equal(guest_mem_guard_add((void *)(uintptr_t)(0x100000 + i), 1, &lost),
				 0);
	assert_int_equal(guest_mem_guard_add((void *)0x900000, 1, &lost), -ENOSPC);
	for (i = 0; i < GUEST_MEM_GUARD_SLOTS; i++)
		guest_mem_guard_del((void *)(uintptr_t)(0x100000 + i));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shrunk_guarded),
		cmocka_unit_test(test_shrunk_unguarded_dies),
		cmocka_unit_test(test_slots_reused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* The JIT's executable memory pool (src/jit/jit_exec_mem.c): blocks are
 * packed, written exactly, padded and freed blocks trap (int3), no mapping
 * is writable and executable, large images get room of their own, and a
 * forked child and its parent can each keep compiling and freeing without
 * touching the code the other runs. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "jit/jit_internal.h"

/* The permissions of the mapping holding `addr`, from /proc/self/maps. */
static int mapping_perms(const void *addr, char perms[5])
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int found = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) == 3 &&
		    (uintptr_t)addr >= lo && (uintptr_t)addr < hi) {
			found = 1;
			break;
		}
	}
	fclose(f);
	return found ? 0 : -1;
}

static void fill(uint8_t *buf, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(i * 31 + seed);
}

static void test_alloc_free(void **state)
{
	struct jit_exec_mem mem[64];
	struct uebpf_error err = { 0 };
	uint8_t buf[1000];
	char perms[5];

	(void)state;
	for (unsigned k = 0; k < 64; k++) {
		size_t len = 1 + (k * 37) % sizeof(buf);

		fill(buf, len, k);
		assert_int_equal(jit_exec_alloc(buf, len, &mem[k], &err), 0);
		assert_memory_equal(mem[k].code, buf, len);
		assert_int_equal((uintptr_t)mem[k].code % 64, 0);
		for (size_t i = len; i % 64; i++)
			assert_int_equal(mem[k].code[i], 0xcc);   /* padding traps */
	}
	if (mapping_perms(mem[0].code, perms) == 0) {
		assert_int_equal(perms[0], 'r');
		assert_int_equal(perms[1], '-');
		assert_int_equal(perms[2], 'x');
	} else {
		print_message("no /proc/self/maps: W^X not checked\n");
	}
	/* free every other block, then reuse the holes: contents stay exact */
	for (unsigned k = 0; k < 64; k += 2) {
		uint8_t *code = mem[k].code;

		jit_exec_free(&mem[k]);
		assert_null(mem[k].code);
		if (mapping_perms(code, perms) == 0 && perms[3] == 's')
			assert_int_equal(code[0], 0xcc);          /* a freed block traps */
	}
	for (unsigned k = 0; k < 64; k += 2) {
		fill(buf, 100, k + 1000);
		assert_int_equal(jit_exec_alloc(buf, 100, &mem[k], &err), 0);
	}
	for (unsigned k = 0; k < 64; k++) {
		size_t len = k % 2 ? 1 + (k * 37) % sizeof(buf) : 100;

		fill(buf, len, k % 2 ? k : k + 1000);
		assert_memory_equal(mem[k].code, buf, len);
	}
	for (unsigned k = 0; k < 64; k++)
		jit_exec_free(&mem[k]);
}

/* An image larger than a chunk gets a chunk of its own. */
static void test_large(void **state)
{
	size_t len = 600 * 1024;
	uint8_t *buf = malloc(len);
	struct jit_exec_mem big, small;
	struct uebpf_error err = { 0 };

	(void)state;
	assert_non_null(buf);
	fill(buf, len, 7);
	assert_int_equal(jit_exec_alloc(buf, len, &big, &err), 0);
	assert_int_equal(jit_exec_alloc(buf, 10, &small, &err), 0);
	assert_memory_equal(big.code, buf, len);
	assert_memory_equal(small.code, buf, 10);
	jit_exec_free(&big);
	jit_exec_free(&small);
	free(buf);
}

/* After a fork, each process compiles and frees on its own; neither
 * disturbs the code the other still holds. */
static void test_fork(void **state)
{
	struct jit_exec_mem before, mine;
	struct uebpf_error err = { 0 };
	uint8_t a[200], b[200];
	int status;
	pid_t pid;

	(void)state;
	fill(a, sizeof(a), 1);
	fill(b, sizeof(b), 2);
	assert_int_equal(jit_exec_alloc(a, sizeof(a), &before, &err), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* child: free the inherited block, compile into the pool */
		struct jit_exec_mem child;
		int bad = 0;

		jit_exec_free(&before);
		for (int k = 0; k < 100 && !bad; k++) {
			if (jit_exec_alloc(b, sizeof(b), &child, &err) ||
			    memcmp(child.code, b, sizeof(b)))
				bad = 1;
			jit_exec_free(&child);
		}
		_exit(bad);
	}
	/* parent, at the same time: its block stays intact, new ones work */
	for (int k = 0; k < 100; k++) {
		assert_int_equal(jit_exec_alloc(b, sizeof(b), &mine, &err), 0);
		assert_memory_equal(mine.code, b, sizeof(b));
		jit_exec_free(&mine);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_memory_equal(before.code, a, sizeof(a));   /* the child freed it: still ours */
	jit_exec_free(&before);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_free),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_fork),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

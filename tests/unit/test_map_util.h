/* SPDX-License-Identifier: MIT */
/* Shared by the tests/unit/test_map_*.c programs (header only). */
#ifndef UEBPF_TEST_MAP_UTIL_H
#define UEBPF_TEST_MAP_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <linux/bpf.h>
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

#include "maps/map_internal.h"
#include "uebpf/map.h"

static inline struct uebpf_map_spec map_spec(const char *name, uint32_t type, uint32_t key_size,
					     uint32_t value_size, uint32_t max_entries,
					     uint32_t flags)
{
	struct uebpf_map_spec s = {
		.sz = sizeof(s), .name = name, .type = type, .key_size = key_size,
		.value_size = value_size, .max_entries = max_entries, .map_flags = flags,
	};
	return s;
}

/* Creates an anonymous map or fails the test with the library's message. */
static inline struct uebpf_map *new_map(const char *name, uint32_t type, uint32_t key_size,
					uint32_t value_size, uint32_t max_entries, uint32_t flags)
{
	struct uebpf_map_spec s = map_spec(name, type, key_size, value_size, max_entries, flags);
	struct uebpf_error err = { 0 };
	struct uebpf_map *map = NULL;
	int ret = uebpf_map_create(&s, &map, &err);

	if (ret)
		fail_msg("uebpf_map_create(%s): %d %s", name, ret, err.msg);
	return map;
}

/* Expects creation to fail with `code` and a message containing `needle`. */
static inline void expect_create_error(const struct uebpf_map_spec *s, int code, const char *needle)
{
	struct uebpf_error err = { 0 };
	struct uebpf_map *map = NULL;
	int ret = uebpf_map_create(s, &map, &err);

	if (ret != code || !strstr(err.msg, needle)) {
		uebpf_map_destroy(map);
		fail_msg("create '%s': got %d \"%s\", wanted %d with \"%s\"",
			 s->name ? s->name : "(null)", ret, err.msg, code, needle);
	}
	assert_null(map);
}

/* A fresh directory under /tmp, removed (with its files) by rm_pin_dir. */
static inline void make_pin_dir(char *buf, size_t len)
{
	snprintf(buf, len, "/tmp/uebpf-maps-test-XXXXXX");
	assert_non_null(mkdtemp(buf));
}

static inline void rm_pin_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4096];

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/* Runs fn in a forked child; returns its exit status (0 = success). */
static inline int run_in_child(int (*fn)(void *), void *arg)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn(arg));
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

#endif

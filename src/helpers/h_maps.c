/* SPDX-License-Identifier: MIT */
/*
 * Map helpers: bpf_map_{lookup,update,delete,push,pop,peek}_elem,
 * bpf_map_lookup_percpu_elem and bpf_for_each_map_elem, on top of the maps'
 * program-side API (src/maps/map_internal.h), which already has the
 * kernel's return values. What is added here: argument checks for checked
 * runs, and making inner maps of map-in-map usable by the program.
 */
#include <errno.h>
#include <string.h>

#include "helpers/helpers_internal.h"
#include "maps/map_internal.h"

struct uebpf_map *helper_map(struct uebpf_run_ctx *rc, uint64_t value)
{
	struct uebpf_map *map = helper_ptr(value);
	const struct uebpf_prog *prog = rc->prog;
	size_t i;

	if (!map || !rc->checked)
		return map;
	for (i = 0; i < prog->nr_maps; i++)
		if (prog->maps[i] == map)
			return map;
	for (i = 0; i < rc->nr_inner_maps; i++)
		if (rc->inner_maps[i] == map)
			return map;
	return NULL;
}

void helper_adopt_inner_map(struct uebpf_run_ctx *rc, struct uebpf_map *map)
{
	struct uebpf_region regions[4];
	size_t i, n;

	if (!rc->checked || helper_map(rc, (uintptr_t)map))
		return;
	if (rc->nr_inner_maps == RUN_CTX_MAX_GRANTS)
		return; /* the program then gets a clear "not a map" failure */
	rc->inner_maps[rc->nr_inner_maps++] = map;
	n = map_value_regions(map, regions, sizeof(regions) / sizeof(regions[0]));
	for (i = 0; i < n && i < sizeof(regions) / sizeof(regions[0]); i++)
		if (!run_ctx_access_ok(rc, (uintptr_t)regions[i].addr, 1, regions[i].writable))
			run_ctx_grant(rc, regions[i].addr, regions[i].len, regions[i].writable);
}

static uint64_t bad_map(struct uebpf_run_ctx *rc, const char *helper, uint64_t value)
{
	return (uint64_t)(int64_t)run_ctx_fail(rc, -EINVAL,
		"%s: r1 = 0x%llx is not a map the program references (lddw of a map, or an "
		"inner map a map-in-map lookup returned)", helper, (unsigned long long)value);
}

static uint64_t bad_mem(struct uebpf_run_ctx *rc, const char *helper, const char *what,
			uint64_t addr, uint64_t size, bool write)
{
	return (uint64_t)(int64_t)run_ctx_fail(rc, -EFAULT,
		"%s: %s [0x%llx, +%llu) is not memory the program may %s", helper, what,
		(unsigned long long)addr, (unsigned long long)size, write ? "write" : "read");
}

/* Unchecked runs skip the call: the verifier proved r1 is a map, and
 * lookups are cheap enough now for a call to show. */
#define GET_MAP(helper)                                                  \
	struct uebpf_map *map = rc->checked ? helper_map(rc, r1) : helper_ptr(r1); \
	if (!map)                                                        \
		return bad_map(rc, helper, r1)

#define NEED_MEM(helper, what, addr, size, write)                        \
	do {                                                             \
		if (!helper_mem_ok(rc, (addr), (size), (write)))         \
			return bad_mem(rc, helper, what, (addr), (size), (write)); \
	} while (0)

static bool is_map_in_map(const struct uebpf_map *map)
{
	return map->type == BPF_MAP_TYPE_ARRAY_OF_MAPS || map->type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

HELPER_FN(helper_map_lookup_elem)
{
	void *value;

	GET_MAP("bpf_map_lookup_elem");
	(void)r3, (void)r4, (void)r5;
	NEED_MEM("bpf_map_lookup_elem", "key", r2, map->key_size, false);
	value = map_lookup_elem(map, helper_ptr(r2));
	if (value && is_map_in_map(map))
		helper_adopt_inner_map(rc, value);
	return (uintptr_t)value;
}

HELPER_FN(helper_map_lookup_percpu_elem)
{
	GET_MAP("bpf_map_lookup_percpu_elem");
	(void)r4, (void)r5;
	NEED_MEM("bpf_map_lookup_percpu_elem", "key", r2, map->key_size, false);
	return (uintptr_t)map_lookup_percpu_elem(map, helper_ptr(r2), (uint32_t)r3);
}

HELPER_FN(helper_map_update_elem)
{
	GET_MAP("bpf_map_update_elem");
	(void)r5;
	NEED_MEM("bpf_map_update_elem", "key", r2, map->key_size, false);
	NEED_MEM("bpf_map_update_elem", "value", r3, map->value_size, false);
	return (uint64_t)map_update_elem(map, helper_ptr(r2), helper_ptr(r3), r4);
}

HELPER_FN(helper_map_delete_elem)
{
	GET_MAP("bpf_map_delete_elem");
	(void)r3, (void)r4, (void)r5;
	NEED_MEM("bpf_map_delete_elem", "key", r2, map->key_size, false);
	return (uint64_t)map_delete_elem(map, helper_ptr(r2));
}

HELPER_FN(helper_map_push_elem)
{
	GET_MAP("bpf_map_push_elem");
	(void)r4, (void)r5;
	NEED_MEM("bpf_map_push_elem", "value", r2, map->value_size, false);
	return (uint64_t)map_push_elem(map, helper_ptr(r2), r3);
}

HELPER_FN(helper_map_pop_elem)
{
	GET_MAP("bpf_map_pop_elem");
	(void)r3, (void)r4, (void)r5;
	NEED_MEM("bpf_map_pop_elem", "value", r2, map->value_size, true);
	return (uint64_t)map_pop_elem(map, helper_ptr(r2));
}

HELPER_FN(helper_map_peek_elem)
{
	GET_MAP("bpf_map_peek_elem");
	(void)r3, (void)r4, (void)r5;
	/* bloom filters read the value (the candidate), queues write it */
	NEED_MEM("bpf_map_peek_elem", "value", r2, map->value_size,
		 map->type != BPF_MAP_TYPE_BLOOM_FILTER);
	return (uint64_t)map_peek_elem(map, helper_ptr(r2));
}

/* ------------------------------------------------- bpf_for_each_map_elem */

struct for_each_state {
	struct uebpf_run_ctx *rc;
	uint64_t callback;
	uint64_t cb_ctx;
};

static int for_each_one(struct uebpf_map *map, const void *key, void *value, void *arg)
{
	struct for_each_state *st = arg;
	struct uebpf_run_ctx *rc = st->rc;
	const uint64_t args[5] = { (uintptr_t)map, (uintptr_t)key, (uintptr_t)value, st->cb_ctx, 0 };
	bool granted = false;
	uint64_t r0 = 0;
	int code;

	/* The key may live in map memory the program has no region for (hash
	 * elements) or on the map code's stack (array indexes). */
	if (rc->checked && !run_ctx_access_ok(rc, (uintptr_t)key, map->key_size, false))
		granted = run_ctx_grant(rc, (void *)key, map->key_size, false) == 0;
	code = run_ctx_call(rc, st->callback, args, &r0);
	if (granted)
		run_ctx_revoke(rc, key);
	if (code || rc->exit_requested)
		return 1;
	return r0 != 0; /* 0: continue, 1: stop */
}

HELPER_FN(helper_for_each_map_elem)
{
	struct for_each_state st = { rc, r2, r3 };

	GET_MAP("bpf_for_each_map_elem");
	(void)r5;
	if (r4 != 0)
		return (uint64_t)(int64_t)-EINVAL;
	return (uint64_t)map_for_each_elem(map, for_each_one, &st);
}

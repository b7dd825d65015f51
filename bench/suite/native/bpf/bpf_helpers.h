/* SPDX-License-Identifier: MIT */
/*
 * Native stand-in for libbpf's <bpf/bpf_helpers.h>, so the suite's eBPF C
 * (bench/suite/NAME.bpf.c) compiles unchanged with `clang-19 -O2` for x86-64:
 * the build puts bench/suite/native first on the include path, so this file
 * shadows libbpf's. <bpf/bpf_endian.h> and the UAPI headers are portable and
 * used as they are.
 *
 * Maps: each `struct { __uint(type, ...) ... } name SEC(".maps")` stays a
 * global variable of the shared object; the driver (bench/bench_suite.c)
 * finds it with dlsym and stores, in its first 8 bytes, the struct uebpf_map *
 * of the very map the eBPF engines use. The helpers below call uebpf's
 * program-side map functions (src/maps/map_internal.h: map_lookup_elem,
 * map_update_elem, ...), the same functions the engines reach through the
 * bpf_map_* helpers, so native and eBPF runs measure the same hash table and
 * array code; the difference is only the program's own code and the helper
 * call convention. (The public host API, uebpf_map_lookup/update in
 * <uebpf/map.h>, has bpf(2) semantics: it copies values out and cannot hand
 * the program a pointer to write through, so it is not what a program calls.)
 */
#ifndef BENCH_NATIVE_BPF_HELPERS_H
#define BENCH_NATIVE_BPF_HELPERS_H

#include <linux/types.h>

#define SEC(name)
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name
#define __array(name, val) typeof(val) *name[]
#undef __always_inline
#define __always_inline inline __attribute__((always_inline))
#ifndef __noinline
#define __noinline __attribute__((noinline))
#endif

struct uebpf_map;

/* Resolved from the driver executable (exported with -rdynamic). */
void *map_lookup_elem(struct uebpf_map *map, const void *key);
long map_update_elem(struct uebpf_map *map, const void *key, const void *value,
		     unsigned long long flags);
long map_delete_elem(struct uebpf_map *map, const void *key);

static __always_inline struct uebpf_map *bench_native_map(const void *map_def)
{
	return *(struct uebpf_map *const *)map_def;
}

static __always_inline void *bpf_map_lookup_elem(const void *map_def, const void *key)
{
	return map_lookup_elem(bench_native_map(map_def), key);
}

static __always_inline long bpf_map_update_elem(const void *map_def, const void *key,
						const void *value, __u64 flags)
{
	return map_update_elem(bench_native_map(map_def), key, value, flags);
}

static __always_inline long bpf_map_delete_elem(const void *map_def, const void *key)
{
	return map_delete_elem(bench_native_map(map_def), key);
}

#endif

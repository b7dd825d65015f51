/* SPDX-License-Identifier: MIT */
/*
 * Maps: key/value stores shared between eBPF programs and the host.
 *
 * Map memory is shared memory with a position-independent layout and
 * process-shared synchronisation, so a second process can open a map by name
 * (as bpffs pinning allows in Linux) and read or change it while a program
 * runs. Map types and flags use Linux's values (enum bpf_map_type,
 * BPF_F_* flags, BPF_ANY/BPF_NOEXIST/BPF_EXIST) from <linux/bpf.h>.
 */
#ifndef UEBPF_MAP_H
#define UEBPF_MAP_H

#include "uebpf/uebpf.h"

#ifdef __cplusplus
extern "C" {
#endif

struct uebpf_map;

struct uebpf_map_spec {
	size_t sz;
	const char *name;          /* required; [A-Za-z0-9_.] up to 63 chars */
	uint32_t type;             /* enum bpf_map_type */
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t map_flags;        /* BPF_F_NO_PREALLOC, BPF_F_RDONLY_PROG, ... */
	/* Map-in-map: a map whose shape inner maps must have. Borrowed. */
	const struct uebpf_map *inner_map;
	/* Where the map's shared-memory file lives so other processes can open
	 * it by name; NULL: anonymous (not visible to other processes). */
	const char *pin_dir;
	/* Type-specific extra (as bpf_attr.map_extra): bloom_filter: number of
	 * hash functions in bits 0-3 (0: 5); perf_event_array: bytes per CPU
	 * buffer (0: 64 KiB; else a power of 2, at least a page). */
	uint64_t map_extra;
};
#define UEBPF_MAP_SPEC_SZ_LAST offsetof(struct uebpf_map_spec, map_extra)

int uebpf_map_create(const struct uebpf_map_spec *spec, struct uebpf_map **out,
		     struct uebpf_error *err);
/* Opens a map another process created with a pin_dir. */
int uebpf_map_open(const char *pin_dir, const char *name, struct uebpf_map **out,
		   struct uebpf_error *err);
void uebpf_map_destroy(struct uebpf_map *map);

const char *uebpf_map_name(const struct uebpf_map *map);
uint32_t uebpf_map_type(const struct uebpf_map *map);
uint32_t uebpf_map_key_size(const struct uebpf_map *map);
uint32_t uebpf_map_value_size(const struct uebpf_map *map);
uint32_t uebpf_map_max_entries(const struct uebpf_map *map);
uint32_t uebpf_map_flags(const struct uebpf_map *map);

/* Host-side access, with the kernel's bpf(2) semantics (BPF_MAP_*_ELEM):
 * per-CPU maps take and return one value per possible CPU, each rounded up
 * to 8 bytes (see uebpf_map_nr_cpus). */
int uebpf_map_lookup(struct uebpf_map *map, const void *key, void *value,
		     struct uebpf_error *err);
int uebpf_map_update(struct uebpf_map *map, const void *key, const void *value,
		     uint64_t flags, struct uebpf_error *err);
int uebpf_map_delete(struct uebpf_map *map, const void *key, struct uebpf_error *err);
/* key NULL: first key. Returns -ENOENT after the last. */
int uebpf_map_get_next_key(struct uebpf_map *map, const void *key, void *next_key,
			   struct uebpf_error *err);
unsigned uebpf_map_nr_cpus(void);

/* ---------------------------------------------------- more about a map */

uint64_t uebpf_map_map_extra(const struct uebpf_map *map);
/* Slots of a per-CPU map (fixed when the map was created; normally equal
 * to uebpf_map_nr_cpus()), 1 for other maps. */
unsigned uebpf_map_nr_slots(const struct uebpf_map *map);
/* Size of the `value` buffer uebpf_map_lookup/update take: value_size, or
 * nr_slots * value_size rounded up to 8 for per-CPU maps. */
size_t uebpf_map_host_value_size(const struct uebpf_map *map);
/* The map's file ("<pin_dir>/<name>"), NULL for an anonymous map. */
const char *uebpf_map_pin_path(const struct uebpf_map *map);
/* Removes the map's file: no new process can open it; those that have it
 * keep using it. The memory goes away with the last mapping. */
int uebpf_map_unpin(struct uebpf_map *map, struct uebpf_error *err);
/* Host writes (update, delete, push, pop) then fail with -EPERM, for every
 * process; programs may still write unless BPF_F_RDONLY_PROG. */
int uebpf_map_freeze(struct uebpf_map *map, struct uebpf_error *err);
bool uebpf_map_is_frozen(const struct uebpf_map *map);
/* 0 when the map has the spec's shape (type, sizes, flags, map_extra),
 * else -EINVAL naming the first difference: for reusing a pinned map. */
int uebpf_map_check_spec(const struct uebpf_map *map, const struct uebpf_map_spec *spec,
			 struct uebpf_error *err);

/* bpftool's names: "hash", "array", "percpu_array", "lru_hash", "lpm_trie",
 * "ringbuf", ... NULL for types uebpf does not implement. */
const char *uebpf_map_type_name(uint32_t type);
/* -ENOENT when the name is unknown. */
int uebpf_map_type_from_name(const char *name, uint32_t *type);

struct uebpf_map_info {
	char name[64];
	uint32_t type;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t map_flags;
	uint32_t nr_slots;
	uint64_t map_extra;
	bool frozen;
};
void uebpf_map_get_info(const struct uebpf_map *map, struct uebpf_map_info *info);

/* Calls `fn` for every map file in `pin_dir`, sorted by name; files that
 * are not uebpf maps are skipped. A non-zero return from `fn` stops the
 * walk and is returned. */
typedef int (*uebpf_map_list_fn)(void *ctx, const struct uebpf_map_info *info);
int uebpf_map_list_pinned(const char *pin_dir, uebpf_map_list_fn fn, void *ctx,
			  struct uebpf_error *err);

/* ------------------------------------------ queue, stack, bloom_filter */

/* push: BPF_ANY, or BPF_EXIST to drop the oldest element when full
 * (bloom_filter: adds the value, BPF_ANY only). -E2BIG when full. */
int uebpf_map_push(struct uebpf_map *map, const void *value, uint64_t flags,
		   struct uebpf_error *err);
/* -ENOENT when empty. */
int uebpf_map_pop(struct uebpf_map *map, void *value, struct uebpf_error *err);
/* queue/stack: copies the next element out. bloom_filter: `value` is the
 * input, 0 when it may be in the set, -ENOENT when it certainly is not. */
int uebpf_map_peek(struct uebpf_map *map, void *value, struct uebpf_error *err);
/* Atomically looks an element up and removes it: queue/stack (key NULL,
 * same as pop) and the hash types. */
int uebpf_map_lookup_and_delete(struct uebpf_map *map, const void *key, void *value,
				struct uebpf_error *err);

/* ------------------------------------------------------------- ringbuf */

/* Called for each committed record in order; return non-zero to stop
 * (that record counts as consumed). */
typedef int (*uebpf_ringbuf_sample_fn)(void *ctx, const void *data, size_t size);
/* Consumes every committed record (from any process that has the map).
 * Returns the number of records handed to `fn` or a negative errno. One
 * consumer at a time per ring: concurrent callers are serialised. */
int uebpf_ringbuf_consume(struct uebpf_map *map, uebpf_ringbuf_sample_fn fn, void *ctx,
			  struct uebpf_error *err);
/* Waits up to timeout_ms (-1: forever) for a record, then consumes as
 * uebpf_ringbuf_consume. Returns 0 on timeout. */
int uebpf_ringbuf_poll(struct uebpf_map *map, uebpf_ringbuf_sample_fn fn, void *ctx,
		       int timeout_ms, struct uebpf_error *err);
/* Bytes produced but not consumed yet. */
uint64_t uebpf_ringbuf_avail(const struct uebpf_map *map);

/* ---------------------------------------------------- perf_event_array */

typedef void (*uebpf_perf_sample_fn)(void *ctx, unsigned cpu, const void *data, size_t size);
typedef void (*uebpf_perf_lost_fn)(void *ctx, unsigned cpu, uint64_t lost);
/* Reads every per-CPU buffer; reports records dropped because a buffer was
 * full through `lost` (may be NULL). Returns the number of samples. */
int uebpf_perf_buffer_consume(struct uebpf_map *map, uebpf_perf_sample_fn sample,
			      uebpf_perf_lost_fn lost, void *ctx, struct uebpf_error *err);
/* Waits up to timeout_ms (-1: forever) for a sample, then consumes. */
int uebpf_perf_buffer_poll(struct uebpf_map *map, uebpf_perf_sample_fn sample,
			   uebpf_perf_lost_fn lost, void *ctx, int timeout_ms,
			   struct uebpf_error *err);

/* ---------------------------------------------- ids: prog_array, map-in-map */

/*
 * Map-in-map values are map ids: every map object of this process gets one
 * at create/open (uebpf_map_id). Update an array_of_maps/hash_of_maps with
 * the id of an open map of the inner map's shape; the map stores the inner
 * map's identity, so any process that has the inner map open sees it.
 * Lookups return the id of this process's object for it (-ENOENT when the
 * inner map is not open here).
 */
uint32_t uebpf_map_id(const struct uebpf_map *map);
/* The open map with that id, NULL if none. Borrowed. */
struct uebpf_map *uebpf_map_from_id(uint32_t id);

/*
 * prog_array values are program ids from this process's program registry:
 * register a program, store its id. Ids mean something only in the process
 * that registered them (and children forked after); unrelated processes
 * sharing a prog_array agree on ids with uebpf_prog_registry_set.
 * Unregister a program (or call uebpf_prog_registry_forget) before
 * destroying it.
 */
int uebpf_prog_registry_add(const struct uebpf_prog *prog, uint32_t *id,
			    struct uebpf_error *err);
/* Registers under a chosen id (1..65535); -EEXIST when taken. */
int uebpf_prog_registry_set(uint32_t id, const struct uebpf_prog *prog,
			    struct uebpf_error *err);
void uebpf_prog_registry_remove(uint32_t id);
/* Removes every id of `prog`. */
void uebpf_prog_registry_forget(const struct uebpf_prog *prog);
const struct uebpf_prog *uebpf_prog_registry_get(uint32_t id);

#ifdef __cplusplus
}
#endif
#endif

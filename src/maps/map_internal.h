/* SPDX-License-Identifier: MIT */
/*
 * Maps, the inside view: the shared-memory header, the per-process map
 * object, the per-type operations table, and the program-side API the BPF
 * helpers and the engines call (bpf_map_lookup_elem and friends).
 *
 * Program-side calls take no error message (helpers return plain negative
 * errno to the program) and use the calling thread's CPU slot for per-CPU
 * maps. Host-side calls (include/uebpf/map.h) use every slot.
 */
#ifndef UEBPF_MAPS_MAP_INTERNAL_H
#define UEBPF_MAPS_MAP_INTERNAL_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "maps/shm_lock.h"
#include "uebpf/map.h"

/* ------------------------------------------------- shared-memory layout */

#define MAP_SHM_MAGIC 0x50414d4650424555ull /* "UEBPFMAP" read little-endian */
/* Bump whenever any type's layout changes: openers refuse other versions. */
#define MAP_SHM_VERSION 2u
#define MAP_NAME_MAX 64
/* The type-specific control block (locks, positions, free lists) lives
 * right after the common header, inside the first page. */
#define MAP_CTRL_OFF 1024u
#define MAP_CTRL_MAX 2048u

/* First bytes of every map file. Fields are written once at creation and
 * never change afterwards, except `frozen`. */
struct map_shm_header {
	uint64_t magic;
	uint32_t version;
	uint32_t header_size;       /* sizeof(struct map_shm_header) */
	uint32_t type;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t map_flags;
	uint32_t nr_cpus;           /* per-CPU slots, fixed at creation */
	uint32_t page_size;
	uint32_t frozen;            /* uebpf_map_freeze: host writes refused */
	uint64_t map_extra;
	uint64_t file_size;
	uint64_t uid;               /* random; names the map in map-in-map values */
	uint64_t hash_seed;
	/* Map-in-map: the shape every inner map must have. */
	uint32_t has_inner;
	uint32_t inner_type;
	uint32_t inner_key_size;
	uint32_t inner_value_size;
	uint32_t inner_max_entries;
	uint32_t inner_map_flags;
	char name[MAP_NAME_MAX];
};

/* What a type's layout depends on; recomputed by openers and compared with
 * the file, so a file is never trusted for offsets. */
struct map_shape {
	uint32_t type;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t map_flags;
	uint64_t map_extra;
	uint32_t nr_cpus;
	uint32_t page_size;
};

/* Byte offsets from the start of the file. */
struct map_layout {
	uint64_t file_size;
	uint64_t data_off;          /* values / buckets / ring data */
	uint64_t data_len;          /* bytes of value storage (value regions) */
	uint64_t aux_off;           /* second area (hash elements, ...) */
	uint64_t aux_len;
	uint32_t elem_stride;       /* per-element bytes where it applies */
	/* Ring buffer: data_len bytes at data_off are mapped a second time
	 * right after themselves so a record never wraps. */
	bool mirror_data;
};

/* ----------------------------------------------------- per-process object */

struct map_ops;

struct uebpf_map {
	const struct map_ops *ops;
	struct map_shm_header *hdr;
	uint8_t *base;              /* start of the file's mapping */
	size_t mapping_len;         /* for munmap (includes the ring mirror) */
	int fd;
	char *path;                 /* the pinned file; NULL when anonymous */
	uint32_t id;                /* per-process id (map-in-map values) */

	/* Private copies of the header: another process cannot change how this
	 * process indexes the memory. */
	char name[MAP_NAME_MAX];
	uint32_t type;
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t map_flags;
	uint32_t nr_cpus;
	uint64_t map_extra;
	uint64_t uid;
	uint64_t hash_seed;
	/* Bytes stored per value slot: value_size, except map-in-map which
	 * stores an 8-byte uid behind its 4-byte value. */
	uint32_t store_size;
	uint32_t slot_stride;       /* store_size rounded up to 8 */
	struct map_layout layout;
};

static inline void *map_at(const struct uebpf_map *map, uint64_t off)
{
	return map->base + off;
}

static inline void *map_ctrl(const struct uebpf_map *map)
{
	return map->base + MAP_CTRL_OFF;
}

static inline bool map_is_percpu(uint32_t type)
{
	return type == BPF_MAP_TYPE_PERCPU_ARRAY || type == BPF_MAP_TYPE_PERCPU_HASH ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static inline uint64_t round_up8(uint64_t v)
{
	return (v + 7) & ~7ull;
}

/* The slot a program running on this thread uses in per-CPU maps. */
unsigned map_current_cpu(const struct uebpf_map *map);

/* Seeded hash used by hash maps and bloom filters. */
uint32_t map_hash_bytes(const void *data, size_t len, uint64_t seed);

/* ---------------------------------------------------------- ops table */

/* Per-element callback of map_for_each_elem: return non-zero to stop. */
typedef int (*map_elem_fn)(struct uebpf_map *map, const void *key, void *value, void *ctx);

/* `cpu` arguments: the slot for program-side calls, MAP_ALL_CPUS for host
 * calls (values hold every slot, each rounded up to 8 bytes). */
#define MAP_ALL_CPUS (-1)

struct map_ops {
	uint32_t type;
	const char *name;           /* bpftool's spelling: "hash", "lru_percpu_hash" */
	uint32_t allowed_flags;
	/* Added to map_flags at creation whatever the spec says, as the kernel
	 * does (devmaps: BPF_F_RDONLY_PROG). */
	uint32_t implied_flags;
	/* Checks sizes against the type's rules (flags already checked). */
	int (*check)(const struct uebpf_map_spec *spec, struct uebpf_error *err);
	/* Places everything after the first page; -E2BIG on overflow. */
	int (*layout)(const struct map_shape *shape, struct map_layout *l);
	/* Fills a freshly zeroed file (zero is a valid empty state for most). */
	void (*init)(struct uebpf_map *map);

	void *(*lookup)(struct uebpf_map *map, const void *key, int cpu);
	int (*lookup_copy)(struct uebpf_map *map, const void *key, void *value,
			   struct uebpf_error *err);
	int (*update)(struct uebpf_map *map, const void *key, const void *value,
		      uint64_t flags, int cpu, struct uebpf_error *err);
	int (*delete)(struct uebpf_map *map, const void *key, struct uebpf_error *err);
	int (*get_next_key)(struct uebpf_map *map, const void *key, void *next_key,
			    struct uebpf_error *err);
	int (*lookup_and_delete)(struct uebpf_map *map, const void *key, void *value,
				 struct uebpf_error *err);
	int (*push)(struct uebpf_map *map, const void *value, uint64_t flags,
		    struct uebpf_error *err);
	int (*pop)(struct uebpf_map *map, void *value, struct uebpf_error *err);
	int (*peek)(struct uebpf_map *map, void *value, struct uebpf_error *err);
	long (*for_each)(struct uebpf_map *map, map_elem_fn fn, void *ctx, int cpu);
	/* Memory a program may access directly (values it got pointers to). */
	size_t (*value_regions)(const struct uebpf_map *map, struct uebpf_region *out,
				size_t max);
};

extern const struct map_ops map_array_ops;
extern const struct map_ops map_percpu_array_ops;
extern const struct map_ops map_prog_array_ops;
extern const struct map_ops map_perf_event_array_ops;
extern const struct map_ops map_array_of_maps_ops;
extern const struct map_ops map_hash_ops;
extern const struct map_ops map_percpu_hash_ops;
extern const struct map_ops map_lru_hash_ops;
extern const struct map_ops map_lru_percpu_hash_ops;
extern const struct map_ops map_hash_of_maps_ops;
extern const struct map_ops map_lpm_trie_ops;
extern const struct map_ops map_queue_ops;
extern const struct map_ops map_stack_ops;
extern const struct map_ops map_bloom_filter_ops;
extern const struct map_ops map_ringbuf_ops;
extern const struct map_ops map_devmap_ops;
extern const struct map_ops map_devmap_hash_ops;

const struct map_ops *map_ops_for_type(uint32_t type);

/* Shared by the array-shaped types (array_of_maps stores uids in them). */
int array_check_index(const struct uebpf_map *map, const void *key, uint32_t *index);
void *array_slot(const struct uebpf_map *map, uint32_t index, unsigned cpu);
int array_get_next_key(struct uebpf_map *map, const void *key, void *next_key,
		       struct uebpf_error *err);
int array_layout(const struct map_shape *shape, struct map_layout *l);
/* The data area: every value of an array-shaped map. */
size_t array_value_regions(const struct uebpf_map *map, struct uebpf_region *out, size_t max);
/* Shared by the hash-shaped types (hash_of_maps stores uids in them). */
int htab_layout(const struct map_shape *shape, struct map_layout *l);
/* The element pool (keys, values and links) of a hash-shaped map. */
size_t htab_value_regions(const struct uebpf_map *map, struct uebpf_region *out, size_t max);
void *htab_lookup(struct uebpf_map *map, const void *key, int cpu);
int htab_lookup_copy(struct uebpf_map *map, const void *key, void *value,
		     struct uebpf_error *err);
int htab_update(struct uebpf_map *map, const void *key, const void *value,
		uint64_t flags, int cpu, struct uebpf_error *err);
int htab_delete(struct uebpf_map *map, const void *key, struct uebpf_error *err);
int htab_get_next_key(struct uebpf_map *map, const void *key, void *next_key,
		      struct uebpf_error *err);
long htab_for_each(struct uebpf_map *map, map_elem_fn fn, void *ctx, int cpu);
/* Checks the flags of an update the kernel's way for keyed maps. */
int map_check_update_flags(const struct uebpf_map *map, uint64_t flags,
			   struct uebpf_error *err);

/* ------------------------------------------------- per-process registry */

/* Map ids: every map object of this process has one while it exists. */
int registry_add_map(struct uebpf_map *map, struct uebpf_error *err);
void registry_remove_map(struct uebpf_map *map);
/* A map of this process whose file has the given uid, NULL if none. */
struct uebpf_map *registry_map_by_uid(uint64_t uid);

/* --------------------------------------- program-side API (helpers, engines) */

/* bpf_map_lookup_elem: a pointer into the shared value storage (this CPU's
 * slot for per-CPU maps), NULL when missing. Map-in-map: the inner
 * struct uebpf_map *, NULL when the inner map is not open in this process. */
void *map_lookup_elem(struct uebpf_map *map, const void *key);
/* bpf_map_lookup_percpu_elem: slot `cpu` of a per-CPU map. */
void *map_lookup_percpu_elem(struct uebpf_map *map, const void *key, uint32_t cpu);
long map_update_elem(struct uebpf_map *map, const void *key, const void *value,
		     uint64_t flags);
long map_delete_elem(struct uebpf_map *map, const void *key);
long map_push_elem(struct uebpf_map *map, const void *value, uint64_t flags);

/* For engines that call map ops directly (the JIT, like the kernel's
 * verifier fixup): the ops function map_lookup_elem / map_update_elem /
 * map_delete_elem on `map` reduce to, called as ops->lookup(map, key, 0),
 * ops->update(map, key, value, flags, 0, NULL) or ops->delete(map, key,
 * NULL), when nothing else in them can happen for this map (no per-CPU
 * slot, no access flag refusing the call, no queue/stack push, no inner
 * map for the helper to adopt, the op exists); NULL otherwise. The map's
 * type, flags and ops never change, so the answer holds for the map's
 * lifetime. Map ops never see a run context: they cannot call back into a
 * program nor ask it to exit. */
enum map_prog_op { MAP_PROG_LOOKUP, MAP_PROG_UPDATE, MAP_PROG_DELETE };
void *map_prog_op_direct(const struct uebpf_map *map, enum map_prog_op op);
long map_pop_elem(struct uebpf_map *map, void *value);
long map_peek_elem(struct uebpf_map *map, void *value);
/* bpf_for_each_map_elem: calls fn for each element (this CPU's slot of
 * per-CPU maps) until it returns non-zero; returns the number of calls. */
long map_for_each_elem(struct uebpf_map *map, map_elem_fn fn, void *ctx);

/* bpf_ringbuf_*: reserve returns NULL when the ring is full, size is 0 or
 * too big, or flags are not 0. submit/discard need only the sample pointer,
 * as in the kernel. */
void *map_ringbuf_reserve(struct uebpf_map *map, uint64_t size, uint64_t flags);
void map_ringbuf_submit(void *sample, uint64_t flags);
void map_ringbuf_discard(void *sample, uint64_t flags);
long map_ringbuf_output(struct uebpf_map *map, const void *data, uint64_t size,
			uint64_t flags);
uint64_t map_ringbuf_query(struct uebpf_map *map, uint64_t flags);

/* bpf_perf_event_output: flags = buffer index or BPF_F_CURRENT_CPU. */
long map_perf_event_output(struct uebpf_map *map, uint64_t flags, const void *data,
			   uint64_t size);

/* prog_array: the program id stored at `index` (see uebpf_prog_registry_*),
 * 0 when the slot is empty or out of range. */
uint32_t map_prog_array_get(const struct uebpf_map *map, uint32_t index);

/* Memory a checked engine must let the program access for this map (value
 * storage of array/hash/lpm maps; read-only under BPF_F_RDONLY_PROG).
 * Writes at most `max` regions and returns how many there are. */
size_t map_value_regions(const struct uebpf_map *map, struct uebpf_region *out, size_t max);

#endif

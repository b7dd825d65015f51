/* SPDX-License-Identifier: MIT */
/*
 * The hash table shared by hash, percpu_hash, lru_hash, lru_percpu_hash and
 * hash_of_maps.
 *
 * File: [header page: common header, struct htab_ctrl]
 *       [buckets: n_buckets x struct htab_bucket]
 *       [elements: max_entries x (struct htab_elem, key, value slots,
 *                                 LRU types: struct htab_lru_node)]
 * Element references are 1-based indices (0 = none), never pointers.
 * The LRU links go last so that key and value sit at the same offsets in
 * every type and plain hash elements stay small (24 bytes for u32 -> u64:
 * a lookup's cache footprint).
 */
#ifndef UEBPF_MAPS_HTAB_H
#define UEBPF_MAPS_HTAB_H

#include "maps/map_internal.h"

struct htab_ctrl {
	/* Free elements: a Treiber stack; low 32 bits the top index, high 32
	 * bits a tag bumped on every change so a stale pop cannot succeed. */
	uint64_t free_head;
	/* Elements never used yet start here: pages of unused elements are
	 * never touched, so a big, mostly empty map costs little memory. */
	uint32_t next_unused;
	uint32_t count;
	/* Written at creation for tools; the code indexes buckets with
	 * htab_bucket_mask, which does not trust the file. */
	uint32_t n_buckets;
	/* LRU types: one list, most recently inserted at the head. */
	struct shm_lock lru_lock;
	uint32_t lru_head;
	uint32_t lru_tail;
};

/* Writers (lock holders) change a chain; lookups read it without the lock
 * and use `seq` to know whether what they read was one consistent chain
 * (a seqlock): odd while a writer unlinks an element, bumped again after.
 * Inserting at the head needs no bump: the element is complete before the
 * head points at it, and a reader that missed it was simply earlier.
 * 64 bits so that it never wraps under a reader that is preempted. */
struct htab_bucket {
	struct shm_lock lock;
	uint32_t head;
	uint64_t seq;
};

struct htab_elem {
	uint32_t next;       /* bucket chain, or free list */
	uint32_t hash;
	/* key rounded up to 8, then nr_cpus value slots, then for LRU types
	 * a struct htab_lru_node */
};

struct htab_lru_node {
	uint32_t prev;       /* towards the head (newer) */
	uint32_t next;       /* towards the tail (older) */
	uint8_t ref;         /* looked up since last considered for eviction */
	uint8_t in_lru;
	uint8_t pad[6];
};

static inline struct htab_ctrl *htab_ctrl(const struct uebpf_map *map)
{
	return map_ctrl(map);
}

static inline bool htab_is_lru(const struct uebpf_map *map)
{
	return map->type == BPF_MAP_TYPE_LRU_HASH || map->type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

/* NULL for 0 or an index past the pool, so a damaged link ends a walk. */
static inline struct htab_elem *htab_elem(const struct uebpf_map *map, uint32_t idx1)
{
	if (idx1 == 0 || idx1 > map->max_entries)
		return NULL;
	return (struct htab_elem *)(map->base + map->layout.aux_off +
				    (uint64_t)(idx1 - 1) * map->layout.elem_stride);
}

/* n_buckets - 1 (n_buckets is max_entries rounded up to a power of two),
 * from this process's private copy of max_entries: the copy in the shared
 * control block could be damaged, and sits on a cache line writers dirty. */
static inline uint32_t htab_bucket_mask(const struct uebpf_map *map)
{
	return map->max_entries <= 1 ? 0 : UINT32_MAX >> __builtin_clz(map->max_entries - 1);
}

static inline struct htab_bucket *htab_bucket(const struct uebpf_map *map, uint32_t hash)
{
	struct htab_bucket *b = map_at(map, map->layout.data_off);

	return &b[hash & htab_bucket_mask(map)];
}

/* Only for LRU types (elements of the others have no node). */
static inline struct htab_lru_node *htab_lru_node(const struct uebpf_map *map,
						  struct htab_elem *e)
{
	return (struct htab_lru_node *)((uint8_t *)e + map->layout.elem_stride -
					sizeof(struct htab_lru_node));
}

static inline uint32_t htab_idx(const struct uebpf_map *map, const struct htab_elem *e)
{
	return (uint32_t)(((const uint8_t *)e - (map->base + map->layout.aux_off)) /
			  map->layout.elem_stride) + 1;
}

int htab_check_spec(const struct uebpf_map_spec *spec, struct uebpf_error *err);
void htab_init_ctrl(struct uebpf_map *map);
int htab_lookup_and_delete(struct uebpf_map *map, const void *key, void *value,
			   struct uebpf_error *err);
void htab_free_elem(struct uebpf_map *map, uint32_t idx1);
/* Unlinks idx1 from bucket b (lock held), bumping the bucket's seq for
 * lock-free readers. True when it was there. */
bool htab_unlink(const struct uebpf_map *map, struct htab_bucket *b, uint32_t idx1);

/* LRU list (hash_lru.c). */
void lru_push(struct uebpf_map *map, uint32_t idx1);
void lru_remove(struct uebpf_map *map, uint32_t idx1);
/* Takes the least recently used element out of the table; 0 when none
 * could be taken. The caller must hold no bucket lock. */
uint32_t lru_evict(struct uebpf_map *map);

#endif

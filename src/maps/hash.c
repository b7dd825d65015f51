/* SPDX-License-Identifier: MIT */
/*
 * BPF_MAP_TYPE_HASH and BPF_MAP_TYPE_PERCPU_HASH (and the table code the
 * LRU and hash-of-maps types reuse), see htab.h for the layout.
 *
 * Synchronisation: one futex lock per bucket serialises the writers of
 * its chain; the free list is lock-free. Program lookups take no lock (the
 * kernel's take none either: RCU): they walk the chain and validate it with
 * the bucket's sequence count (htab.h), retrying when a writer unlinked an
 * element meanwhile, and take the lock after a few failed tries so a
 * stream of writers cannot starve them. Freed elements are reused at once
 * (no grace period), which is why every step of a lock-free walk is
 * validated before its result is used.
 *
 * Updates of an existing key copy the value in place (no new element), so
 * updating a key of a full map works, and a pointer a program got from a
 * lookup stays valid until the key is deleted. The kernel swaps in a new
 * element instead; here a reader racing a writer of the same key may see a
 * mix of bytes, as with arrays.
 */
#include "maps/htab.h"
#include "maps/hash_fn.h"
#include "common/error.h"

#include <errno.h>
#include <sched.h>
#include <string.h>

#define HTAB_KEY_MAX 512                /* MAX_BPF_STACK, as the kernel */
#define HTAB_VALUE_MAX (1u << 26)
#define PERCPU_VALUE_MAX (32u * 1024)
#define HTAB_BUCKETS_MAX (1u << 30)
#define LRU_EVICT_TRIES 64
/* Lock-free walks of one lookup before it takes the bucket lock. */
#define LOCKLESS_TRIES 4

static uint64_t pow2_roundup(uint64_t v)
{
	uint64_t p = 1;

	while (p < v)
		p <<= 1;
	return p;
}

int htab_layout(const struct map_shape *s, struct map_layout *l)
{
	uint64_t n_buckets = pow2_roundup(s->max_entries);
	uint32_t store = (s->type == BPF_MAP_TYPE_HASH_OF_MAPS) ? 8 : s->value_size;
	uint64_t stride;

	if (n_buckets > HTAB_BUCKETS_MAX)
		return -E2BIG;
	stride = sizeof(struct htab_elem) + round_up8(s->key_size) +
		 (uint64_t)s->nr_cpus * round_up8(store);
	if (s->type == BPF_MAP_TYPE_LRU_HASH || s->type == BPF_MAP_TYPE_LRU_PERCPU_HASH)
		stride += sizeof(struct htab_lru_node);
	if (stride > UINT32_MAX)
		return -E2BIG;
	l->elem_stride = (uint32_t)stride;
	l->data_off = s->page_size;
	l->aux_off = (l->data_off + n_buckets * sizeof(struct htab_bucket) + 63) & ~63ull;
	l->aux_len = stride * s->max_entries;
	l->file_size = l->aux_off + l->aux_len;
	l->file_size = (l->file_size + s->page_size - 1) / s->page_size * s->page_size;
	return 0;
}

int htab_check_spec(const struct uebpf_map_spec *spec, struct uebpf_error *err)
{
	bool percpu = map_is_percpu(spec->type);
	uint32_t max_value = percpu ? PERCPU_VALUE_MAX : HTAB_VALUE_MAX;

	if (spec->key_size == 0 || spec->key_size > HTAB_KEY_MAX)
		return uebpf_err(err, spec->key_size ? -E2BIG : -EINVAL, "map '%s': key_size %u "
				 "out of range 1..%u", spec->name, spec->key_size, HTAB_KEY_MAX);
	if (spec->type == BPF_MAP_TYPE_HASH_OF_MAPS && spec->value_size != 4)
		return uebpf_err(err, -EINVAL, "map '%s': hash_of_maps value_size must be 4 (a map "
				 "id), got %u", spec->name, spec->value_size);
	if (spec->value_size == 0 || spec->value_size > max_value)
		return uebpf_err(err, spec->value_size ? -E2BIG : -EINVAL, "map '%s': value_size %u "
				 "out of range 1..%u%s", spec->name, spec->value_size, max_value,
				 percpu ? " (per-CPU limit)" : "");
	if (spec->max_entries == 0)
		return uebpf_err(err, -EINVAL, "map '%s': max_entries must be at least 1", spec->name);
	if (spec->max_entries > HTAB_BUCKETS_MAX)
		return uebpf_err(err, -E2BIG, "map '%s': max_entries %u above the limit %u",
				 spec->name, spec->max_entries, HTAB_BUCKETS_MAX);
	return 0;
}

void htab_init_ctrl(struct uebpf_map *map)
{
	htab_ctrl(map)->n_buckets = (uint32_t)pow2_roundup(map->max_entries);
}

static void *elem_key(struct htab_elem *e)
{
	return (uint8_t *)e + sizeof(*e);
}

static void *elem_value(const struct uebpf_map *map, struct htab_elem *e, unsigned cpu)
{
	return (uint8_t *)e + sizeof(*e) + round_up8(map->key_size) + (size_t)cpu * map->slot_stride;
}

/* Callers pass key_size as a constant (4, 8) where they can, so the hash
 * and the compare below become a few instructions without calls. */
static inline __attribute__((always_inline)) uint32_t
hash_sized(const struct uebpf_map *map, const void *key, uint32_t key_size)
{
	if (key_size == 4) {
		uint32_t k;

		memcpy(&k, key, 4);
		return map_hash_u32(k, map->hash_seed);
	}
	if (key_size == 8) {
		uint64_t k;

		memcpy(&k, key, 8);
		return map_hash_u64(k, map->hash_seed);
	}
	return map_hash_bytes(key, key_size, map->hash_seed);
}

static uint32_t key_hash(const struct uebpf_map *map, const void *key)
{
	return hash_sized(map, key, map->key_size);
}

/* Element keys are 8-byte aligned (aligned pool, strides of 8), so 4- and
 * 8-byte keys are read as single words. The reads are atomic because a
 * lock-free reader may race a writer reusing the element; such a result is
 * thrown away when the bucket's seq says so. */
static inline __attribute__((always_inline)) bool
elem_has_key(struct htab_elem *e, uint32_t hash, const void *key, uint32_t key_size)
{
	if (key_size == 4) {
		uint32_t k;

		memcpy(&k, key, 4);
		return __atomic_load_n((uint32_t *)elem_key(e), __ATOMIC_RELAXED) == k;
	}
	if (key_size == 8) {
		uint64_t k;

		memcpy(&k, key, 8);
		return __atomic_load_n((uint64_t *)elem_key(e), __ATOMIC_RELAXED) == k;
	}
	return __atomic_load_n(&e->hash, __ATOMIC_RELAXED) == hash &&
	       memcmp(elem_key(e), key, key_size) == 0;
}

/* Walks bucket b (lock held) for key; 0 when absent. */
static uint32_t find(const struct uebpf_map *map, struct htab_bucket *b, uint32_t hash,
		     const void *key)
{
	uint32_t idx = __atomic_load_n(&b->head, __ATOMIC_RELAXED);
	uint32_t steps = 0;
	struct htab_elem *e;

	while ((e = htab_elem(map, idx)) && steps++ <= map->max_entries) {
		if (elem_has_key(e, hash, key, map->key_size))
			return idx;
		idx = __atomic_load_n(&e->next, __ATOMIC_RELAXED);
	}
	return 0;
}

/* One walk of bucket b without its lock. True with *found set (0: absent)
 * when the walk saw the bucket's chain as it was at one instant; false
 * when a writer unlinked something meanwhile, and what was read may be a
 * reused element, so it must be ignored.
 *
 * Every link is validated before it is followed: while seq is unchanged no
 * element of the chain was unlinked, so none was freed or reused, so the
 * next index read is the chain's own and the walk is as long as the chain
 * (also bounded by max_entries against a damaged file). htab_elem
 * range-checks each index, so even a damaged file keeps it in the pool. */
static inline __attribute__((always_inline)) bool
find_lockless(const struct uebpf_map *map, struct htab_bucket *b, uint32_t hash,
	      const void *key, uint32_t key_size, uint32_t *found)
{
	uint64_t seq = __atomic_load_n(&b->seq, __ATOMIC_ACQUIRE);
	uint32_t idx = __atomic_load_n(&b->head, __ATOMIC_ACQUIRE);
	uint32_t steps = 0;
	struct htab_elem *e;

	if (seq & 1)
		return false;
	while ((e = htab_elem(map, idx)) && steps++ <= map->max_entries) {
		bool match = elem_has_key(e, hash, key, key_size);
		uint32_t next = __atomic_load_n(&e->next, __ATOMIC_ACQUIRE);

		/* Orders the reads above before the seq check (seqlock read
		 * side); writers bump seq before they change anything. */
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if (__atomic_load_n(&b->seq, __ATOMIC_RELAXED) != seq)
			return false;
		if (match) {
			*found = idx;
			return true;
		}
		idx = next;
	}
	*found = 0;
	return true;
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

static inline __attribute__((always_inline)) uint32_t
lookup_sized(const struct uebpf_map *map, const void *key, uint32_t key_size)
{
	uint32_t hash = hash_sized(map, key, key_size);
	struct htab_bucket *b = htab_bucket(map, hash);
	uint32_t idx;

	for (int i = 0; i < LOCKLESS_TRIES; i++) {
		if (find_lockless(map, b, hash, key, key_size, &idx))
			return idx;
		cpu_relax();
	}
	shm_lock(&b->lock);
	idx = find(map, b, hash, key);
	shm_unlock(&b->lock);
	return idx;
}

/* The element of key, found without the bucket lock where possible. */
static uint32_t lookup_idx(const struct uebpf_map *map, const void *key)
{
	switch (map->key_size) {
	case 4:
		return lookup_sized(map, key, 4);
	case 8:
		return lookup_sized(map, key, 8);
	default:
		return lookup_sized(map, key, map->key_size);
	}
}

/* Seqlock write side, bucket lock held. The release fence orders the odd
 * count before the changes that follow, for readers that see a change. */
static void bucket_write_begin(struct htab_bucket *b)
{
	__atomic_store_n(&b->seq, __atomic_load_n(&b->seq, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static void bucket_write_end(struct htab_bucket *b)
{
	__atomic_store_n(&b->seq, __atomic_load_n(&b->seq, __ATOMIC_RELAXED) + 1,
			 __ATOMIC_RELEASE);
}

bool htab_unlink(const struct uebpf_map *map, struct htab_bucket *b, uint32_t idx1)
{
	uint32_t *link = &b->head;
	uint32_t steps = 0;
	struct htab_elem *e;

	while ((e = htab_elem(map, *link)) && steps++ <= map->max_entries) {
		if (*link == idx1) {
			bucket_write_begin(b);
			__atomic_store_n(link, __atomic_load_n(&e->next, __ATOMIC_RELAXED),
					 __ATOMIC_RELEASE);
			bucket_write_end(b);
			return true;
		}
		link = &e->next;
	}
	return false;
}

static uint32_t alloc_elem(struct uebpf_map *map)
{
	struct htab_ctrl *c = htab_ctrl(map);
	uint64_t head = __atomic_load_n(&c->free_head, __ATOMIC_ACQUIRE);
	uint32_t n;

	for (;;) {
		uint32_t idx = (uint32_t)head;
		struct htab_elem *e = htab_elem(map, idx);
		uint64_t next;

		if (!e)
			break;
		next = ((head >> 32) + 1) << 32 | __atomic_load_n(&e->next, __ATOMIC_RELAXED);
		if (__atomic_compare_exchange_n(&c->free_head, &head, next, true, __ATOMIC_ACQUIRE,
						__ATOMIC_ACQUIRE))
			return idx;
	}
	n = __atomic_load_n(&c->next_unused, __ATOMIC_RELAXED);
	while (n < map->max_entries)
		if (__atomic_compare_exchange_n(&c->next_unused, &n, n + 1, true, __ATOMIC_RELAXED,
						__ATOMIC_RELAXED))
			return n + 1;
	return 0;
}

void htab_free_elem(struct uebpf_map *map, uint32_t idx1)
{
	struct htab_ctrl *c = htab_ctrl(map);
	struct htab_elem *e = htab_elem(map, idx1);
	uint64_t head = __atomic_load_n(&c->free_head, __ATOMIC_RELAXED);
	uint64_t next;

	do {
		__atomic_store_n(&e->next, (uint32_t)head, __ATOMIC_RELAXED);
		next = ((head >> 32) + 1) << 32 | idx1;
	} while (!__atomic_compare_exchange_n(&c->free_head, &head, next, true, __ATOMIC_RELEASE,
					      __ATOMIC_RELAXED));
}

/* Writes a value the way the caller's side sees values: the host passes
 * every CPU slot, a program its own slot (the others start at zero). */
static void store_value(const struct uebpf_map *map, struct htab_elem *e, const void *value,
			int cpu, bool fresh)
{
	if (!map_is_percpu(map->type)) {
		memcpy(elem_value(map, e, 0), value, map->store_size);
		return;
	}
	if (cpu != MAP_ALL_CPUS) {
		if (fresh)
			memset(elem_value(map, e, 0), 0, (size_t)map->nr_cpus * map->slot_stride);
		memcpy(elem_value(map, e, (unsigned)cpu), value, map->value_size);
		return;
	}
	for (unsigned c = 0; c < map->nr_cpus; c++) {
		uint8_t *slot = elem_value(map, e, c);

		memcpy(slot, (const uint8_t *)value + (size_t)c * map->slot_stride, map->value_size);
		memset(slot + map->value_size, 0, map->slot_stride - map->value_size);
	}
}

static void copy_out(const struct uebpf_map *map, struct htab_elem *e, void *value)
{
	if (map_is_percpu(map->type))
		memcpy(value, elem_value(map, e, 0), (size_t)map->nr_cpus * map->slot_stride);
	else
		memcpy(value, elem_value(map, e, 0), map->store_size);
}

static void mark_used(const struct uebpf_map *map, struct htab_elem *e)
{
	/* Read first: writing an already set flag would bounce its cache line. */
	if (htab_is_lru(map) && !__atomic_load_n(&htab_lru_node(map, e)->ref, __ATOMIC_RELAXED))
		__atomic_store_n(&htab_lru_node(map, e)->ref, 1, __ATOMIC_RELAXED);
}

void *htab_lookup(struct uebpf_map *map, const void *key, int cpu)
{
	struct htab_elem *e = htab_elem(map, lookup_idx(map, key));

	if (!e)
		return NULL;
	mark_used(map, e);
	return elem_value(map, e, cpu < 0 ? 0 : (unsigned)cpu);
}

int htab_lookup_copy(struct uebpf_map *map, const void *key, void *value,
		     struct uebpf_error *err)
{
	uint32_t hash = key_hash(map, key);
	struct htab_bucket *b = htab_bucket(map, hash);
	struct htab_elem *e;

	shm_lock(&b->lock);
	e = htab_elem(map, find(map, b, hash, key));
	if (e)
		copy_out(map, e, value);
	shm_unlock(&b->lock);
	if (!e)
		return uebpf_err(err, -ENOENT, "map '%s': no such key", map->name);
	return 0;
}

static uint32_t alloc_or_evict(struct uebpf_map *map)
{
	uint32_t idx = alloc_elem(map);

	for (int i = 0; !idx && htab_is_lru(map) && i < LRU_EVICT_TRIES; i++) {
		idx = lru_evict(map);
		if (!idx) {
			/* Every candidate was mid-update in another thread. */
			sched_yield();
			idx = alloc_elem(map);
		}
	}
	return idx;
}

int htab_update(struct uebpf_map *map, const void *key, const void *value, uint64_t flags,
		int cpu, struct uebpf_error *err)
{
	uint32_t hash = key_hash(map, key);
	struct htab_bucket *b = htab_bucket(map, hash);
	struct htab_elem *e, *fresh;
	uint32_t idx;
	int ret;

	ret = map_check_update_flags(map, flags, err);
	if (ret)
		return ret;
	shm_lock(&b->lock);
	e = htab_elem(map, find(map, b, hash, key));
	if (e) {
		if (flags == BPF_NOEXIST) {
			shm_unlock(&b->lock);
			return uebpf_err(err, -EEXIST, "map '%s': key exists (BPF_NOEXIST)", map->name);
		}
		store_value(map, e, value, cpu, false);
		mark_used(map, e);
		shm_unlock(&b->lock);
		return 0;
	}
	shm_unlock(&b->lock);
	if (flags == BPF_EXIST)
		return uebpf_err(err, -ENOENT, "map '%s': no such key (BPF_EXIST)", map->name);

	/* Allocate (and maybe evict) with no bucket lock held: eviction takes
	 * other buckets' locks. */
	idx = alloc_or_evict(map);
	if (!idx)
		return uebpf_err(err, -E2BIG, "map '%s' is full (max_entries %u)%s", map->name,
				 map->max_entries, htab_is_lru(map) ? "" :
				 "; delete elements, raise max_entries or use an lru_hash");
	fresh = htab_elem(map, idx);
	/* A lock-free reader still walking the bucket this element left may
	 * read what follows; this fence makes such a reader also see the seq
	 * bump of that unlink (which happened before the element was freed)
	 * and discard the walk. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&fresh->hash, hash, __ATOMIC_RELAXED);
	memcpy(elem_key(fresh), key, map->key_size);
	store_value(map, fresh, value, cpu, true);
	/* On the LRU list before it is reachable, so whoever unlinks it from
	 * its bucket can always take it off the list. */
	if (htab_is_lru(map)) {
		__atomic_store_n(&htab_lru_node(map, fresh)->ref, 0, __ATOMIC_RELAXED);
		lru_push(map, idx);
	}

	shm_lock(&b->lock);
	e = htab_elem(map, find(map, b, hash, key));
	if (e) {
		/* Another thread inserted the key meanwhile. */
		if (flags != BPF_NOEXIST) {
			store_value(map, e, value, cpu, false);
			mark_used(map, e);
		}
		shm_unlock(&b->lock);
		if (htab_is_lru(map))
			lru_remove(map, idx);
		htab_free_elem(map, idx);
		if (flags == BPF_NOEXIST)
			return uebpf_err(err, -EEXIST, "map '%s': key exists (BPF_NOEXIST)", map->name);
		return 0;
	}
	__atomic_store_n(&fresh->next, __atomic_load_n(&b->head, __ATOMIC_RELAXED), __ATOMIC_RELEASE);
	__atomic_store_n(&b->head, idx, __ATOMIC_RELEASE);
	__atomic_fetch_add(&htab_ctrl(map)->count, 1, __ATOMIC_RELAXED);
	shm_unlock(&b->lock);
	return 0;
}

static int delete_common(struct uebpf_map *map, const void *key, void *value,
			 struct uebpf_error *err)
{
	uint32_t hash = key_hash(map, key);
	struct htab_bucket *b = htab_bucket(map, hash);
	uint32_t idx;

	shm_lock(&b->lock);
	idx = find(map, b, hash, key);
	if (idx) {
		if (value)
			copy_out(map, htab_elem(map, idx), value);
		htab_unlink(map, b, idx);
		__atomic_fetch_sub(&htab_ctrl(map)->count, 1, __ATOMIC_RELAXED);
	}
	shm_unlock(&b->lock);
	if (!idx)
		return uebpf_err(err, -ENOENT, "map '%s': no such key", map->name);
	if (htab_is_lru(map))
		lru_remove(map, idx);
	htab_free_elem(map, idx);
	return 0;
}

int htab_delete(struct uebpf_map *map, const void *key, struct uebpf_error *err)
{
	return delete_common(map, key, NULL, err);
}

int htab_lookup_and_delete(struct uebpf_map *map, const void *key, void *value,
				  struct uebpf_error *err)
{
	return delete_common(map, key, value, err);
}

/* Bucket order, chain order within a bucket; a key that is gone restarts
 * from the first key, as in the kernel. */
int htab_get_next_key(struct uebpf_map *map, const void *key, void *next_key,
		      struct uebpf_error *err)
{
	uint32_t n_buckets = htab_bucket_mask(map) + 1;
	struct htab_bucket *buckets = map_at(map, map->layout.data_off);
	uint32_t start = 0;

	(void)err;
	if (key) {
		uint32_t hash = key_hash(map, key);
		struct htab_bucket *b = htab_bucket(map, hash);
		struct htab_elem *e, *next = NULL;

		shm_lock(&b->lock);
		e = htab_elem(map, find(map, b, hash, key));
		if (e) {
			next = htab_elem(map, e->next);
			if (next)
				memcpy(next_key, elem_key(next), map->key_size);
			start = (uint32_t)(b - buckets) + 1;
		}
		shm_unlock(&b->lock);
		if (next)
			return 0;
	}
	for (uint32_t i = start; i < n_buckets; i++) {
		struct htab_elem *e;

		if (!__atomic_load_n(&buckets[i].head, __ATOMIC_RELAXED))
			continue;
		shm_lock(&buckets[i].lock);
		e = htab_elem(map, buckets[i].head);
		if (e)
			memcpy(next_key, elem_key(e), map->key_size);
		shm_unlock(&buckets[i].lock);
		if (e)
			return 0;
	}
	return -ENOENT;
}

/* The callback runs without locks (it may update this map): element
 * indices are collected under the bucket lock a batch at a time. */
long htab_for_each(struct uebpf_map *map, map_elem_fn fn, void *ctx, int cpu)
{
	uint32_t n_buckets = htab_bucket_mask(map) + 1;
	struct htab_bucket *buckets = map_at(map, map->layout.data_off);
	long calls = 0;

	for (uint32_t i = 0; i < n_buckets; i++) {
		uint32_t batch[32], skip = 0, n;

		do {
			uint32_t idx, pos = 0;
			struct htab_elem *e;

			if (!__atomic_load_n(&buckets[i].head, __ATOMIC_RELAXED))
				break;
			n = 0;
			shm_lock(&buckets[i].lock);
			idx = buckets[i].head;
			while ((e = htab_elem(map, idx)) && n < 32 && pos <= map->max_entries) {
				if (pos++ >= skip)
					batch[n++] = idx;
				idx = e->next;
			}
			shm_unlock(&buckets[i].lock);
			for (uint32_t k = 0; k < n; k++) {
				e = htab_elem(map, batch[k]);
				calls++;
				if (fn(map, elem_key(e), elem_value(map, e, cpu < 0 ? 0 : (unsigned)cpu),
				       ctx))
					return calls;
			}
			skip += n;
		} while (n == 32);
	}
	return calls;
}

size_t htab_value_regions(const struct uebpf_map *map, struct uebpf_region *out,
				 size_t max)
{
	if (max > 0)
		out[0] = (struct uebpf_region){ .addr = map->base + map->layout.aux_off,
						.len = map->layout.aux_len };
	return 1;
}

#define ACCESS_FLAGS (BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)
#define HTAB_FLAGS (BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE | BPF_F_ZERO_SEED | ACCESS_FLAGS)
/* The kernel refuses BPF_F_NO_PREALLOC for LRU maps too. */
#define LRU_FLAGS (BPF_F_NO_COMMON_LRU | BPF_F_NUMA_NODE | BPF_F_ZERO_SEED | ACCESS_FLAGS)

#define HTAB_OPS(t, n, flags)                                    \
	{                                                        \
		.type = t,                                       \
		.name = n,                                       \
		.allowed_flags = flags,                          \
		.check = htab_check_spec,                             \
		.layout = htab_layout,                           \
		.init = htab_init_ctrl,                               \
		.lookup = htab_lookup,                           \
		.lookup_copy = htab_lookup_copy,                 \
		.update = htab_update,                           \
		.delete = htab_delete,                           \
		.get_next_key = htab_get_next_key,               \
		.lookup_and_delete = htab_lookup_and_delete,     \
		.for_each = htab_for_each,                       \
		.value_regions = htab_value_regions,             \
	}

const struct map_ops map_hash_ops = HTAB_OPS(BPF_MAP_TYPE_HASH, "hash", HTAB_FLAGS);
const struct map_ops map_percpu_hash_ops =
	HTAB_OPS(BPF_MAP_TYPE_PERCPU_HASH, "percpu_hash", HTAB_FLAGS);
const struct map_ops map_lru_hash_ops = HTAB_OPS(BPF_MAP_TYPE_LRU_HASH, "lru_hash", LRU_FLAGS);
const struct map_ops map_lru_percpu_hash_ops =
	HTAB_OPS(BPF_MAP_TYPE_LRU_PERCPU_HASH, "lru_percpu_hash", LRU_FLAGS);

/* SPDX-License-Identifier: MIT */
/*
 * BPF_MAP_TYPE_BLOOM_FILTER: a bit array sized as the kernel's
 * (max_entries * nr_hash_funcs * 7/5 bits, rounded up to a power of two, at
 * least 64) and nr_hash_funcs seeded hashes of the value. Bits are only
 * ever set, with atomic ORs, so no lock is needed and there are no false
 * negatives. push adds, peek tests; nothing can be removed.
 */
#include "maps/map_internal.h"
#include "common/error.h"

#include <errno.h>

#define BLOOM_VALUE_MAX (1u << 20)
#define BLOOM_BITS_MAX (1ull << 31)

static uint32_t nr_hash_funcs(uint64_t map_extra)
{
	uint32_t n = (uint32_t)(map_extra & 0xf);

	return n ? n : 5;
}

static uint64_t nr_bits(uint32_t max_entries, uint64_t map_extra)
{
	uint64_t bits = (uint64_t)max_entries * nr_hash_funcs(map_extra) / 5 * 7;
	uint64_t p = 64;

	if (bits > BLOOM_BITS_MAX)
		return BLOOM_BITS_MAX;
	while (p < bits)
		p <<= 1;
	return p;
}

static int bloom_layout(const struct map_shape *s, struct map_layout *l)
{
	l->data_off = s->page_size;
	l->data_len = nr_bits(s->max_entries, s->map_extra) / 8;
	l->file_size = l->data_off + l->data_len;
	l->file_size = (l->file_size + s->page_size - 1) / s->page_size * s->page_size;
	return 0;
}

static int bloom_check(const struct uebpf_map_spec *spec, struct uebpf_error *err)
{
	if (spec->key_size != 0)
		return uebpf_err(err, -EINVAL, "map '%s': a bloom_filter has no keys: key_size must "
				 "be 0, got %u", spec->name, spec->key_size);
	if (spec->value_size == 0 || spec->value_size > BLOOM_VALUE_MAX)
		return uebpf_err(err, -EINVAL, "map '%s': value_size %u out of range 1..%u",
				 spec->name, spec->value_size, BLOOM_VALUE_MAX);
	if (spec->max_entries == 0)
		return uebpf_err(err, -EINVAL, "map '%s': max_entries must be at least 1", spec->name);
	if (spec->map_extra & ~0xfull)
		return uebpf_err(err, -EINVAL, "map '%s': bloom_filter map_extra 0x%llx: only bits "
				 "0-3 (number of hash functions, 0 = 5) may be set", spec->name,
				 (unsigned long long)spec->map_extra);
	return 0;
}

static uint64_t bit_for(const struct uebpf_map *map, const void *value, uint32_t i)
{
	uint64_t mask = map->layout.data_len * 8 - 1;

	return map_hash_bytes(value, map->value_size, map->hash_seed + i) & mask;
}

static int bloom_push(struct uebpf_map *map, const void *value, uint64_t flags,
		      struct uebpf_error *err)
{
	uint64_t *words = map_at(map, map->layout.data_off);

	if (flags != BPF_ANY)
		return uebpf_err(err, -EINVAL, "map '%s': bloom_filter push takes BPF_ANY only",
				 map->name);
	for (uint32_t i = 0; i < nr_hash_funcs(map->map_extra); i++) {
		uint64_t bit = bit_for(map, value, i);

		__atomic_fetch_or(&words[bit / 64], 1ull << (bit % 64), __ATOMIC_RELAXED);
	}
	return 0;
}

static int bloom_peek(struct uebpf_map *map, void *value, struct uebpf_error *err)
{
	uint64_t *words = map_at(map, map->layout.data_off);

	for (uint32_t i = 0; i < nr_hash_funcs(map->map_extra); i++) {
		uint64_t bit = bit_for(map, value, i);

		if (!(__atomic_load_n(&words[bit / 64], __ATOMIC_RELAXED) & (1ull << (bit % 64))))
			return uebpf_err(err, -ENOENT, "map '%s': value is not in the set", map->name);
	}
	return 0;
}

const struct map_ops map_bloom_filter_ops = {
	.type = BPF_MAP_TYPE_BLOOM_FILTER,
	.name = "bloom_filter",
	.allowed_flags = BPF_F_NUMA_NODE | BPF_F_ZERO_SEED | BPF_F_RDONLY | BPF_F_WRONLY |
			 BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG,
	.check = bloom_check,
	.layout = bloom_layout,
	.push = bloom_push,
	.peek = bloom_peek,
};

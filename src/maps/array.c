/* SPDX-License-Identifier: MIT */
/*
 * BPF_MAP_TYPE_ARRAY and BPF_MAP_TYPE_PERCPU_ARRAY: max_entries values, each
 * `nr_cpus` slots of value_size rounded up to 8, right after the header
 * page. Every element always exists, so lookups need no lock: the index is
 * the address. Updates copy without a lock, as the kernel does (a reader
 * racing a writer may see a mix of old and new bytes; use atomics on the
 * value, or one writer).
 */
#include "maps/map_internal.h"
#include "common/error.h"

#include <errno.h>
#include <string.h>

#define ARRAY_VALUE_MAX (1u << 28)
#define PERCPU_VALUE_MAX (32u * 1024) /* the kernel's PCPU_MIN_UNIT_SIZE */

static uint32_t shape_store_size(const struct map_shape *s)
{
	if (s->type == BPF_MAP_TYPE_ARRAY_OF_MAPS || s->type == BPF_MAP_TYPE_HASH_OF_MAPS)
		return 8;
	if (s->type == BPF_MAP_TYPE_PROG_ARRAY)
		return 4;
	return s->value_size;
}

int array_layout(const struct map_shape *s, struct map_layout *l)
{
	uint64_t stride = round_up8(shape_store_size(s));

	l->elem_stride = (uint32_t)(stride * s->nr_cpus);
	l->data_off = s->page_size;
	l->data_len = (uint64_t)l->elem_stride * s->max_entries;
	l->file_size = l->data_off + l->data_len;
	if (l->file_size < l->data_off)
		return -E2BIG;
	/* Whole pages so the value region ends where the mapping does. */
	l->file_size = (l->file_size + s->page_size - 1) / s->page_size * s->page_size;
	return 0;
}

static int array_check(const struct uebpf_map_spec *spec, struct uebpf_error *err)
{
	bool percpu = spec->type == BPF_MAP_TYPE_PERCPU_ARRAY;
	uint32_t max_value = percpu ? PERCPU_VALUE_MAX : ARRAY_VALUE_MAX;

	if (spec->key_size != 4)
		return uebpf_err(err, -EINVAL, "map '%s': array key_size must be 4 (a u32 index), "
				 "got %u", spec->name, spec->key_size);
	if (spec->value_size == 0)
		return uebpf_err(err, -EINVAL, "map '%s': value_size must be at least 1", spec->name);
	if (spec->value_size > max_value)
		return uebpf_err(err, -E2BIG, "map '%s': value_size %u is above the %s limit %u",
				 spec->name, spec->value_size, percpu ? "per-CPU" : "array", max_value);
	if (spec->max_entries == 0)
		return uebpf_err(err, -EINVAL, "map '%s': max_entries must be at least 1", spec->name);
	return 0;
}

int array_check_index(const struct uebpf_map *map, const void *key, uint32_t *index)
{
	uint32_t i;

	memcpy(&i, key, sizeof(i));
	if (i >= map->max_entries)
		return -ENOENT;
	*index = i;
	return 0;
}

void *array_slot(const struct uebpf_map *map, uint32_t index, unsigned cpu)
{
	return map->base + map->layout.data_off + (uint64_t)index * map->layout.elem_stride +
	       (uint64_t)cpu * map->slot_stride;
}

static uint32_t key_u32(const void *key)
{
	uint32_t v;

	memcpy(&v, key, sizeof(v));
	return v;
}

static void *array_lookup(struct uebpf_map *map, const void *key, int cpu)
{
	uint32_t i;

	if (array_check_index(map, key, &i))
		return NULL;
	return array_slot(map, i, cpu < 0 ? 0 : (unsigned)cpu);
}

static int array_lookup_copy(struct uebpf_map *map, const void *key, void *value,
			     struct uebpf_error *err)
{
	uint32_t i;

	if (array_check_index(map, key, &i))
		return uebpf_err(err, -ENOENT, "map '%s': index %u out of range (max_entries %u)",
				 map->name, key_u32(key), map->max_entries);
	if (!map_is_percpu(map->type)) {
		memcpy(value, array_slot(map, i, 0), map->value_size);
		return 0;
	}
	/* Each slot's padding up to 8 bytes is stored zero, so copy it too. */
	memcpy(value, array_slot(map, i, 0), (size_t)map->layout.elem_stride);
	return 0;
}

static int array_update(struct uebpf_map *map, const void *key, const void *value,
			uint64_t flags, int cpu, struct uebpf_error *err)
{
	uint32_t i;
	int ret;

	ret = map_check_update_flags(map, flags, err);
	if (ret)
		return ret;
	if (array_check_index(map, key, &i))
		return uebpf_err(err, -E2BIG, "map '%s': index %u out of range (max_entries %u)",
				 map->name, key_u32(key), map->max_entries);
	if (flags == BPF_NOEXIST)
		return uebpf_err(err, -EEXIST, "map '%s': array elements always exist; "
				 "BPF_NOEXIST cannot succeed", map->name);
	if (!map_is_percpu(map->type) || cpu != MAP_ALL_CPUS) {
		memcpy(array_slot(map, i, cpu < 0 ? 0 : (unsigned)cpu), value, map->value_size);
		return 0;
	}
	for (unsigned c = 0; c < map->nr_cpus; c++)
		memcpy(array_slot(map, i, c), (const uint8_t *)value + (size_t)c * map->slot_stride,
		       map->value_size);
	return 0;
}

static int array_delete(struct uebpf_map *map, const void *key, struct uebpf_error *err)
{
	(void)key;
	return uebpf_err(err, -EINVAL, "map '%s': array elements cannot be deleted "
			 "(overwrite them with zeros instead)", map->name);
}

int array_get_next_key(struct uebpf_map *map, const void *key, void *next_key,
		       struct uebpf_error *err)
{
	uint32_t i, next;

	(void)err;
	if (!key || array_check_index(map, key, &i))
		next = 0;
	else if (i == map->max_entries - 1)
		return -ENOENT;
	else
		next = i + 1;
	memcpy(next_key, &next, sizeof(next));
	return 0;
}

static long array_for_each(struct uebpf_map *map, map_elem_fn fn, void *ctx, int cpu)
{
	long n = 0;

	for (uint32_t i = 0; i < map->max_entries; i++) {
		n++;
		if (fn(map, &i, array_slot(map, i, cpu < 0 ? 0 : (unsigned)cpu), ctx))
			break;
	}
	return n;
}

size_t array_value_regions(const struct uebpf_map *map, struct uebpf_region *out,
				  size_t max)
{
	if (max > 0)
		out[0] = (struct uebpf_region){ .addr = map->base + map->layout.data_off,
						.len = map->layout.data_len };
	return 1;
}

#define ARRAY_FLAGS                                                                     \
	(BPF_F_NUMA_NODE | BPF_F_MMAPABLE | BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG | \
	 BPF_F_WRONLY_PROG | BPF_F_INNER_MAP)

const struct map_ops map_array_ops = {
	.type = BPF_MAP_TYPE_ARRAY,
	.name = "array",
	.allowed_flags = ARRAY_FLAGS,
	.check = array_check,
	.layout = array_layout,
	.lookup = array_lookup,
	.lookup_copy = array_lookup_copy,
	.update = array_update,
	.delete = array_delete,
	.get_next_key = array_get_next_key,
	.for_each = array_for_each,
	.value_regions = array_value_regions,
};

const struct map_ops map_percpu_array_ops = {
	.type = BPF_MAP_TYPE_PERCPU_ARRAY,
	.name = "percpu_array",
	.allowed_flags = ARRAY_FLAGS & ~BPF_F_MMAPABLE,
	.check = array_check,
	.layout = array_layout,
	.lookup = array_lookup,
	.lookup_copy = array_lookup_copy,
	.update = array_update,
	.delete = array_delete,
	.get_next_key = array_get_next_key,
	.for_each = array_for_each,
	.value_regions = array_value_regions,
};

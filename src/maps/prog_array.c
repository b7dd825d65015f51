/* SPDX-License-Identifier: MIT */
/*
 * BPF_MAP_TYPE_PROG_ARRAY: an array of program ids (uebpf_prog_registry_*)
 * for tail calls; 0 marks an empty slot. Ids are stored atomically, so an
 * engine resolving a tail call never sees half an update.
 */
#include "maps/map_internal.h"
#include "common/error.h"

#include <errno.h>
#include <string.h>

static uint32_t *slot(const struct uebpf_map *map, uint32_t index)
{
	return array_slot(map, index, 0);
}

static int prog_array_check(const struct uebpf_map_spec *spec, struct uebpf_error *err)
{
	if (spec->key_size != 4 || spec->value_size != 4)
		return uebpf_err(err, -EINVAL, "map '%s': prog_array key_size and value_size must be 4 "
				 "(index, program id), got %u and %u", spec->name, spec->key_size,
				 spec->value_size);
	if (spec->max_entries == 0)
		return uebpf_err(err, -EINVAL, "map '%s': max_entries must be at least 1", spec->name);
	return 0;
}

uint32_t map_prog_array_get(const struct uebpf_map *map, uint32_t index)
{
	if (map->type != BPF_MAP_TYPE_PROG_ARRAY || index >= map->max_entries)
		return 0;
	return __atomic_load_n(slot(map, index), __ATOMIC_ACQUIRE);
}

static int bad_index(const struct uebpf_map *map, const void *key, int code,
		     struct uebpf_error *err)
{
	uint32_t i;

	memcpy(&i, key, sizeof(i));
	return uebpf_err(err, code, "map '%s': index %u out of range (max_entries %u)", map->name,
			 i, map->max_entries);
}

static int prog_array_lookup_copy(struct uebpf_map *map, const void *key, void *value,
				  struct uebpf_error *err)
{
	uint32_t i, id;

	if (array_check_index(map, key, &i))
		return bad_index(map, key, -ENOENT, err);
	id = __atomic_load_n(slot(map, i), __ATOMIC_ACQUIRE);
	if (!id)
		return uebpf_err(err, -ENOENT, "map '%s': slot %u holds no program", map->name, i);
	memcpy(value, &id, sizeof(id));
	return 0;
}

static int prog_array_update(struct uebpf_map *map, const void *key, const void *value,
			     uint64_t flags, int cpu, struct uebpf_error *err)
{
	uint32_t i, id;

	if (cpu != MAP_ALL_CPUS)
		return -EOPNOTSUPP; /* programs cannot change a prog_array, as in the kernel */
	if (flags != BPF_ANY)
		return uebpf_err(err, -EINVAL, "map '%s': prog_array updates take BPF_ANY only",
				 map->name);
	if (array_check_index(map, key, &i))
		return bad_index(map, key, -E2BIG, err);
	memcpy(&id, value, sizeof(id));
	if (!uebpf_prog_registry_get(id))
		return uebpf_err(err, -EBADF, "map '%s': program id %u is not registered in this "
				 "process; get ids from uebpf_prog_registry_add", map->name, id);
	__atomic_store_n(slot(map, i), id, __ATOMIC_RELEASE);
	return 0;
}

static int prog_array_delete(struct uebpf_map *map, const void *key, struct uebpf_error *err)
{
	uint32_t i;

	if (array_check_index(map, key, &i))
		return bad_index(map, key, -E2BIG, err);
	if (!__atomic_exchange_n(slot(map, i), 0, __ATOMIC_ACQ_REL))
		return uebpf_err(err, -ENOENT, "map '%s': slot %u holds no program", map->name, i);
	return 0;
}

const struct map_ops map_prog_array_ops = {
	.type = BPF_MAP_TYPE_PROG_ARRAY,
	.name = "prog_array",
	.allowed_flags = BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG |
			 BPF_F_WRONLY_PROG | BPF_F_INNER_MAP,
	.check = prog_array_check,
	.layout = array_layout,
	.lookup_copy = prog_array_lookup_copy,
	.update = prog_array_update,
	.delete = prog_array_delete,
	.get_next_key = array_get_next_key,
};

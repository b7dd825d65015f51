/* SPDX-License-Identifier: MIT */
/*
 * BPF_MAP_TYPE_ARRAY_OF_MAPS and BPF_MAP_TYPE_HASH_OF_MAPS. Their values
 * are 4-byte map ids on the API (uebpf_map_id, per process, like the fds
 * of bpf(2)); the shared memory stores the inner map's 64-bit uid instead,
 * which means the same map in every process. A program's lookup yields
 * this process's struct uebpf_map for that uid (NULL when the inner map is
 * not open here).
 */
#include "maps/htab.h"
#include "common/error.h"

#include <errno.h>
#include <string.h>

static int shape_error(const struct uebpf_map *outer, const struct uebpf_map *inner,
		       const char *what, uint64_t have, uint64_t want, struct uebpf_error *err)
{
	return uebpf_err(err, -EINVAL, "map '%s': inner map '%s' has %s %llu, the outer map "
			 "takes %llu", outer->name, inner->name, what, (unsigned long long)have,
			 (unsigned long long)want);
}

/* The kernel's bpf_map_meta_equal: same type, sizes and flags; same
 * max_entries unless the template was created with BPF_F_INNER_MAP. */
static int check_inner_shape(const struct uebpf_map *outer, const struct uebpf_map *inner,
			     struct uebpf_error *err)
{
	const struct map_shm_header *h = outer->hdr;

	if (inner->type != h->inner_type)
		return uebpf_err(err, -EINVAL, "map '%s': inner map '%s' is a %s, the outer map "
				 "takes %s maps", outer->name, inner->name, uebpf_map_type_name(inner->type),
				 uebpf_map_type_name(h->inner_type));
	if (inner->key_size != h->inner_key_size)
		return shape_error(outer, inner, "key_size", inner->key_size, h->inner_key_size, err);
	if (inner->value_size != h->inner_value_size)
		return shape_error(outer, inner, "value_size", inner->value_size,
				   h->inner_value_size, err);
	if (inner->map_flags != h->inner_map_flags)
		return shape_error(outer, inner, "map_flags", inner->map_flags, h->inner_map_flags,
				   err);
	if (!(h->inner_map_flags & BPF_F_INNER_MAP) && inner->max_entries != h->inner_max_entries)
		return shape_error(outer, inner, "max_entries", inner->max_entries,
				   h->inner_max_entries, err);
	return 0;
}

static int id_to_uid(const struct uebpf_map *map, const void *value, uint64_t *uid,
		     struct uebpf_error *err)
{
	struct uebpf_map *inner;
	uint32_t id;

	memcpy(&id, value, sizeof(id));
	inner = uebpf_map_from_id(id);
	if (!inner)
		return uebpf_err(err, -EBADF, "map '%s': no open map has id %u (use uebpf_map_id)",
				 map->name, id);
	*uid = inner->uid;
	return check_inner_shape(map, inner, err);
}

static int uid_to_id(const struct uebpf_map *map, uint64_t uid, void *value,
		     struct uebpf_error *err)
{
	struct uebpf_map *inner = registry_map_by_uid(uid);
	uint32_t id;

	if (!inner)
		return uebpf_err(err, -ENOENT, "map '%s': the inner map stored there is not open in "
				 "this process", map->name);
	id = inner->id;
	memcpy(value, &id, sizeof(id));
	return 0;
}

/* ------------------------------------------------------- array_of_maps */

static int aom_check(const struct uebpf_map_spec *spec, struct uebpf_error *err)
{
	if (spec->key_size != 4 || spec->value_size != 4)
		return uebpf_err(err, -EINVAL, "map '%s': array_of_maps key_size and value_size must "
				 "be 4 (index, map id), got %u and %u", spec->name, spec->key_size,
				 spec->value_size);
	if (spec->max_entries == 0)
		return uebpf_err(err, -EINVAL, "map '%s': max_entries must be at least 1", spec->name);
	return 0;
}

static uint64_t *aom_slot(const struct uebpf_map *map, uint32_t i)
{
	return array_slot(map, i, 0);
}

static void *aom_lookup(struct uebpf_map *map, const void *key, int cpu)
{
	uint64_t uid;
	uint32_t i;

	(void)cpu;
	if (array_check_index(map, key, &i))
		return NULL;
	uid = __atomic_load_n(aom_slot(map, i), __ATOMIC_ACQUIRE);
	return uid ? registry_map_by_uid(uid) : NULL;
}

static int aom_lookup_copy(struct uebpf_map *map, const void *key, void *value,
			   struct uebpf_error *err)
{
	uint64_t uid;
	uint32_t i;

	if (array_check_index(map, key, &i))
		return uebpf_err(err, -ENOENT, "map '%s': index out of range (max_entries %u)",
				 map->name, map->max_entries);
	uid = __atomic_load_n(aom_slot(map, i), __ATOMIC_ACQUIRE);
	if (!uid)
		return uebpf_err(err, -ENOENT, "map '%s': slot %u holds no map", map->name, i);
	return uid_to_id(map, uid, value, err);
}

static int aom_update(struct uebpf_map *map, const void *key, const void *value,
		      uint64_t flags, int cpu, struct uebpf_error *err)
{
	uint64_t uid = 0;
	uint32_t i;
	int ret;

	if (cpu != MAP_ALL_CPUS)
		return -EOPNOTSUPP; /* programs cannot store maps, as in the kernel */
	if (flags != BPF_ANY)
		return uebpf_err(err, -EINVAL, "map '%s': array_of_maps updates take BPF_ANY only",
				 map->name);
	if (array_check_index(map, key, &i))
		return uebpf_err(err, -E2BIG, "map '%s': index out of range (max_entries %u)",
				 map->name, map->max_entries);
	ret = id_to_uid(map, value, &uid, err);
	if (ret)
		return ret;
	__atomic_store_n(aom_slot(map, i), uid, __ATOMIC_RELEASE);
	return 0;
}

static int aom_delete(struct uebpf_map *map, const void *key, struct uebpf_error *err)
{
	uint32_t i;

	if (array_check_index(map, key, &i))
		return uebpf_err(err, -E2BIG, "map '%s': index out of range (max_entries %u)",
				 map->name, map->max_entries);
	if (!__atomic_exchange_n(aom_slot(map, i), 0, __ATOMIC_ACQ_REL))
		return uebpf_err(err, -ENOENT, "map '%s': slot %u holds no map", map->name, i);
	return 0;
}

#define OF_MAPS_FLAGS                                                                      \
	(BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)

const struct map_ops map_array_of_maps_ops = {
	.type = BPF_MAP_TYPE_ARRAY_OF_MAPS,
	.name = "array_of_maps",
	.allowed_flags = OF_MAPS_FLAGS,
	.check = aom_check,
	.layout = array_layout,
	.lookup = aom_lookup,
	.lookup_copy = aom_lookup_copy,
	.update = aom_update,
	.delete = aom_delete,
	.get_next_key = array_get_next_key,
};

/* -------------------------------------------------------- hash_of_maps */

static void *hom_lookup(struct uebpf_map *map, const void *key, int cpu)
{
	uint64_t *stored = htab_lookup(map, key, cpu);
	uint64_t uid;

	if (!stored)
		return NULL;
	uid = __atomic_load_n(stored, __ATOMIC_ACQUIRE);
	return uid ? registry_map_by_uid(uid) : NULL;
}

static int hom_lookup_copy(struct uebpf_map *map, const void *key, void *value,
			   struct uebpf_error *err)
{
	uint64_t uid;
	int ret = htab_lookup_copy(map, key, &uid, err);

	return ret ? ret : uid_to_id(map, uid, value, err);
}

static int hom_update(struct uebpf_map *map, const void *key, const void *value,
		      uint64_t flags, int cpu, struct uebpf_error *err)
{
	uint64_t uid;
	int ret;

	if (cpu != MAP_ALL_CPUS)
		return -EOPNOTSUPP;
	ret = id_to_uid(map, value, &uid, err);
	if (ret)
		return ret;
	return htab_update(map, key, &uid, flags, MAP_ALL_CPUS, err);
}

static int hom_lookup_and_delete(struct uebpf_map *map, const void *key, void *value,
				 struct uebpf_error *err)
{
	uint64_t uid;
	int ret = htab_lookup_and_delete(map, key, &uid, err);

	if (ret)
		return ret;
	/* Gone from the map either way; report the id when we can. */
	if (uid_to_id(map, uid, value, NULL))
		memset(value, 0, sizeof(uint32_t));
	return 0;
}

const struct map_ops map_hash_of_maps_ops = {
	.type = BPF_MAP_TYPE_HASH_OF_MAPS,
	.name = "hash_of_maps",
	.allowed_flags = OF_MAPS_FLAGS | BPF_F_NO_PREALLOC | BPF_F_ZERO_SEED,
	.check = htab_check_spec,
	.layout = htab_layout,
	.init = htab_init_ctrl,
	.lookup = hom_lookup,
	.lookup_copy = hom_lookup_copy,
	.update = hom_update,
	.delete = htab_delete,
	.get_next_key = htab_get_next_key,
	.lookup_and_delete = hom_lookup_and_delete,
};

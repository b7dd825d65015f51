/* SPDX-License-Identifier: MIT */
/*
 * BPF_MAP_TYPE_DEVMAP and BPF_MAP_TYPE_DEVMAP_HASH: the targets of
 * bpf_redirect_map. Keys are u32; values are an ifindex (value_size 4) or
 * struct bpf_devmap_val (value_size 8: ifindex, then a program fd on update
 * and its id on lookup).
 *
 * uebpf has no network devices, so an ifindex is only a number that
 * bpf_redirect_map records as the redirect target; it is not checked
 * against the host's interfaces. Devmap programs (bpf_devmap_val.bpf_prog)
 * would need a second program run on the redirected frame, which uebpf does
 * not do: a program fd is refused, so the stored program id is always 0.
 *
 * DEVMAP is array-shaped (ifindex 0 marks an empty slot, as the kernel's
 * NULL device pointer does); DEVMAP_HASH reuses the hash table. Both are
 * created with BPF_F_RDONLY_PROG (see map_ops.implied_flags): programs may
 * look entries up but not change them, as in the kernel.
 */
#include "maps/map_internal.h"
#include "maps/htab.h"
#include "common/error.h"

#include <errno.h>
#include <string.h>

/* value_size 4: the ifindex alone; 8: struct bpf_devmap_val. */
#define DEVMAP_IFINDEX_SIZE ((uint32_t)sizeof(uint32_t))
#define DEVMAP_VAL_SIZE ((uint32_t)sizeof(struct bpf_devmap_val))
/* The kernel's DEV_CREATE_FLAG_MASK, plus the flag every devmap gets
 * anyway (so a spec copied from an existing devmap's flags is accepted). */
#define DEVMAP_FLAGS (BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG)

static int devmap_check(const struct uebpf_map_spec *spec, struct uebpf_error *err)
{
	if (spec->key_size != 4)
		return uebpf_err(err, -EINVAL, "map '%s': devmap key_size must be 4 (a u32), got %u",
				 spec->name, spec->key_size);
	if (spec->value_size != DEVMAP_IFINDEX_SIZE && spec->value_size != DEVMAP_VAL_SIZE)
		return uebpf_err(err, -EINVAL, "map '%s': devmap value_size must be 4 (an ifindex) "
				 "or 8 (struct bpf_devmap_val), got %u", spec->name,
				 spec->value_size);
	if (spec->max_entries == 0)
		return uebpf_err(err, -EINVAL, "map '%s': max_entries must be at least 1", spec->name);
	return 0;
}

static uint32_t key_u32(const void *key)
{
	uint32_t v;

	memcpy(&v, key, sizeof(v));
	return v;
}

/* What an update stores: the ifindex and a program id that is always 0.
 * Returns 0, or -EOPNOTSUPP when the value names a devmap program. */
static int devmap_parse_value(const struct uebpf_map *map, const void *value, uint64_t *stored,
			      struct uebpf_error *err)
{
	struct bpf_devmap_val val = { 0 };

	memcpy(&val, value, map->value_size);
	/* The kernel attaches a program only for fd > 0; 0 and -1 mean none. */
	if (map->value_size == DEVMAP_VAL_SIZE && val.bpf_prog.fd > 0)
		return uebpf_err(err, -EOPNOTSUPP, "map '%s': ifindex %u: devmap programs "
				 "(bpf_devmap_val.bpf_prog.fd = %d) are not supported by uebpf; "
				 "set bpf_prog.fd to 0 or -1", map->name, val.ifindex,
				 val.bpf_prog.fd);
	*stored = val.ifindex; /* program id 0 in the upper half */
	return 0;
}

static int devmap_check_update_flags(const struct uebpf_map *map, uint64_t flags,
				     struct uebpf_error *err)
{
	if (flags > BPF_EXIST)
		return uebpf_err(err, -EINVAL, "map '%s': devmap update flags 0x%llx invalid; use "
				 "BPF_ANY (0), BPF_NOEXIST (1) or BPF_EXIST (2)", map->name,
				 (unsigned long long)flags);
	return 0;
}

/* ------------------------------------------------------------ devmap */

/* Every slot is 8 bytes (slot_stride) and 8-aligned, so an entry is read
 * and written whole: a program never sees half an update. */
static uint64_t *devmap_slot(const struct uebpf_map *map, uint32_t index)
{
	return array_slot(map, index, 0);
}

static void *devmap_lookup(struct uebpf_map *map, const void *key, int cpu)
{
	uint32_t i;
	uint64_t *slot;

	(void)cpu;
	if (array_check_index(map, key, &i))
		return NULL;
	slot = devmap_slot(map, i);
	return (uint32_t)__atomic_load_n(slot, __ATOMIC_ACQUIRE) ? slot : NULL;
}

static int devmap_lookup_copy(struct uebpf_map *map, const void *key, void *value,
			      struct uebpf_error *err)
{
	uint32_t i;
	uint64_t entry = 0;

	if (array_check_index(map, key, &i))
		return uebpf_err(err, -ENOENT, "map '%s': index %u out of range (max_entries %u)",
				 map->name, key_u32(key), map->max_entries);
	entry = __atomic_load_n(devmap_slot(map, i), __ATOMIC_ACQUIRE);
	if (!(uint32_t)entry)
		return uebpf_err(err, -ENOENT, "map '%s': slot %u holds no device", map->name, i);
	memcpy(value, &entry, map->value_size);
	return 0;
}

static int devmap_update(struct uebpf_map *map, const void *key, const void *value,
			 uint64_t flags, int cpu, struct uebpf_error *err)
{
	uint64_t entry = 0;
	uint32_t i;
	int ret;

	if (cpu != MAP_ALL_CPUS)
		return -EOPNOTSUPP; /* programs cannot change a devmap, as in the kernel */
	ret = devmap_check_update_flags(map, flags, err);
	if (ret)
		return ret;
	if (array_check_index(map, key, &i))
		return uebpf_err(err, -E2BIG, "map '%s': index %u out of range (max_entries %u)",
				 map->name, key_u32(key), map->max_entries);
	if (flags == BPF_NOEXIST)
		return uebpf_err(err, -EEXIST, "map '%s': devmap slots always exist; BPF_NOEXIST "
				 "cannot succeed", map->name);
	ret = devmap_parse_value(map, value, &entry, err);
	if (ret)
		return ret;
	/* ifindex 0 empties the slot, as in the kernel. */
	__atomic_store_n(devmap_slot(map, i), entry, __ATOMIC_RELEASE);
	return 0;
}

static int devmap_delete(struct uebpf_map *map, const void *key, struct uebpf_error *err)
{
	uint32_t i;

	/* The kernel answers -EINVAL out of range and 0 for an empty slot. */
	if (array_check_index(map, key, &i))
		return uebpf_err(err, -EINVAL, "map '%s': index %u out of range (max_entries %u)",
				 map->name, key_u32(key), map->max_entries);
	__atomic_store_n(devmap_slot(map, i), 0, __ATOMIC_RELEASE);
	return 0;
}

const struct map_ops map_devmap_ops = {
	.type = BPF_MAP_TYPE_DEVMAP,
	.name = "devmap",
	.allowed_flags = DEVMAP_FLAGS,
	.implied_flags = BPF_F_RDONLY_PROG,
	.check = devmap_check,
	.layout = array_layout,
	.lookup = devmap_lookup,
	.lookup_copy = devmap_lookup_copy,
	.update = devmap_update,
	.delete = devmap_delete,
	.get_next_key = array_get_next_key,
	.value_regions = array_value_regions,
};

/* ------------------------------------------------------- devmap_hash */

static int devmap_hash_update(struct uebpf_map *map, const void *key, const void *value,
			      uint64_t flags, int cpu, struct uebpf_error *err)
{
	uint64_t entry = 0;
	int ret;

	if (cpu != MAP_ALL_CPUS)
		return -EOPNOTSUPP; /* programs cannot change a devmap, as in the kernel */
	ret = devmap_check_update_flags(map, flags, err);
	if (ret)
		return ret;
	ret = devmap_parse_value(map, value, &entry, err);
	if (ret)
		return ret;
	/* The kernel looks the device up and finds none for ifindex 0. */
	if (!(uint32_t)entry)
		return uebpf_err(err, -EINVAL, "map '%s': key %u: ifindex 0 names no device; "
				 "delete the key instead", map->name, key_u32(key));
	return htab_update(map, key, &entry, flags, MAP_ALL_CPUS, err);
}

const struct map_ops map_devmap_hash_ops = {
	.type = BPF_MAP_TYPE_DEVMAP_HASH,
	.name = "devmap_hash",
	.allowed_flags = DEVMAP_FLAGS,
	.implied_flags = BPF_F_RDONLY_PROG,
	.check = devmap_check,
	.layout = htab_layout,
	.init = htab_init_ctrl,
	.lookup = htab_lookup,
	.lookup_copy = htab_lookup_copy,
	.update = devmap_hash_update,
	.delete = htab_delete,
	.get_next_key = htab_get_next_key,
	.value_regions = htab_value_regions,
};

/* SPDX-License-Identifier: MIT */
/*
 * The map API: accessors, the host-side operations (with the access checks
 * of BPF_F_RDONLY/WRONLY and freezing) and the program-side entry points,
 * all dispatched through the per-type ops table.
 */
#define _GNU_SOURCE
#include "maps/map_internal.h"
#include "common/error.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>

static const struct map_ops *const all_ops[] = {
	&map_hash_ops,          &map_array_ops,          &map_prog_array_ops,
	&map_perf_event_array_ops, &map_percpu_hash_ops, &map_percpu_array_ops,
	&map_lru_hash_ops,      &map_lru_percpu_hash_ops, &map_lpm_trie_ops,
	&map_array_of_maps_ops, &map_hash_of_maps_ops,   &map_queue_ops,
	&map_stack_ops,         &map_ringbuf_ops,        &map_bloom_filter_ops,
	&map_devmap_ops,        &map_devmap_hash_ops,
};

const struct map_ops *map_ops_for_type(uint32_t type)
{
	for (size_t i = 0; i < sizeof(all_ops) / sizeof(all_ops[0]); i++)
		if (all_ops[i]->type == type)
			return all_ops[i];
	return NULL;
}

const char *uebpf_map_type_name(uint32_t type)
{
	const struct map_ops *ops = map_ops_for_type(type);

	return ops ? ops->name : NULL;
}

int uebpf_map_type_from_name(const char *name, uint32_t *type)
{
	for (size_t i = 0; name && i < sizeof(all_ops) / sizeof(all_ops[0]); i++) {
		if (strcmp(all_ops[i]->name, name) == 0) {
			if (type)
				*type = all_ops[i]->type;
			return 0;
		}
	}
	return -ENOENT;
}

unsigned uebpf_map_nr_cpus(void)
{
	/* A constant of the machine; caching it is harmless. */
	static unsigned cached;
	unsigned n = __atomic_load_n(&cached, __ATOMIC_RELAXED);
	long conf;

	if (n)
		return n;
	conf = sysconf(_SC_NPROCESSORS_CONF);
	n = conf > 0 ? (unsigned)conf : 1;
	__atomic_store_n(&cached, n, __ATOMIC_RELAXED);
	return n;
}

unsigned map_current_cpu(const struct uebpf_map *map)
{
	int cpu;

	/* Only per-CPU maps have more than one slot: the others skip the
	 * sched_getcpu call, a measurable part of an array update. */
	if (map->nr_cpus <= 1)
		return 0;
	cpu = sched_getcpu();

	if (cpu < 0)
		return 0;
	return (unsigned)cpu % map->nr_cpus;
}

/* ------------------------------------------------------------ accessors */

const char *uebpf_map_name(const struct uebpf_map *map) { return map->name; }
uint32_t uebpf_map_type(const struct uebpf_map *map) { return map->type; }
uint32_t uebpf_map_key_size(const struct uebpf_map *map) { return map->key_size; }
uint32_t uebpf_map_value_size(const struct uebpf_map *map) { return map->value_size; }
uint32_t uebpf_map_max_entries(const struct uebpf_map *map) { return map->max_entries; }
uint32_t uebpf_map_flags(const struct uebpf_map *map) { return map->map_flags; }
uint64_t uebpf_map_map_extra(const struct uebpf_map *map) { return map->map_extra; }
const char *uebpf_map_pin_path(const struct uebpf_map *map) { return map->path; }

unsigned uebpf_map_nr_slots(const struct uebpf_map *map)
{
	return map_is_percpu(map->type) ? map->nr_cpus : 1;
}

size_t uebpf_map_host_value_size(const struct uebpf_map *map)
{
	if (map_is_percpu(map->type))
		return (size_t)map->nr_cpus * round_up8(map->value_size);
	return map->value_size;
}

bool uebpf_map_is_frozen(const struct uebpf_map *map)
{
	return __atomic_load_n(&map->hdr->frozen, __ATOMIC_ACQUIRE) != 0;
}

int uebpf_map_freeze(struct uebpf_map *map, struct uebpf_error *err)
{
	if (!map)
		return uebpf_err(err, -EINVAL, "uebpf_map_freeze: map is NULL");
	__atomic_store_n(&map->hdr->frozen, 1, __ATOMIC_RELEASE);
	return 0;
}

void uebpf_map_get_info(const struct uebpf_map *map, struct uebpf_map_info *info)
{
	memset(info, 0, sizeof(*info));
	memcpy(info->name, map->name, sizeof(info->name));
	info->type = map->type;
	info->key_size = map->key_size;
	info->value_size = map->value_size;
	info->max_entries = map->max_entries;
	info->map_flags = map->map_flags;
	info->nr_slots = uebpf_map_nr_slots(map);
	info->map_extra = map->map_extra;
	info->frozen = uebpf_map_is_frozen(map);
}

int uebpf_map_check_spec(const struct uebpf_map *map, const struct uebpf_map_spec *spec,
			 struct uebpf_error *err)
{
	uint64_t extra = spec->sz >= offsetof(struct uebpf_map_spec, map_extra) +
					     sizeof(spec->map_extra) ? spec->map_extra : 0;
	uint32_t max_entries = spec->max_entries;

	if (spec->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY && max_entries == 0)
		max_entries = uebpf_map_nr_cpus();
#define DIFFERS(field, have, want)                                                          \
	if ((uint64_t)(have) != (uint64_t)(want))                                          \
		return uebpf_err(err, -EINVAL, "map '%s' has " field " %llu, the spec wants %llu", \
				 map->name, (unsigned long long)(have), (unsigned long long)(want))
	DIFFERS("type", map->type, spec->type);
	DIFFERS("key_size", map->key_size, spec->key_size);
	DIFFERS("value_size", map->value_size, spec->value_size);
	DIFFERS("max_entries", map->max_entries, max_entries);
	DIFFERS("map_flags", map->map_flags, spec->map_flags | map->ops->implied_flags);
	DIFFERS("map_extra", map->map_extra, extra);
#undef DIFFERS
	return 0;
}

/* ----------------------------------------------------------- host side */

static int unsupported(const struct uebpf_map *map, const char *what, struct uebpf_error *err)
{
	return uebpf_err(err, -EOPNOTSUPP, "map '%s' (%s) does not support %s", map->name,
			 map->ops->name, what);
}

static int host_may_write(const struct uebpf_map *map, const char *what, struct uebpf_error *err)
{
	if (map->map_flags & BPF_F_RDONLY)
		return uebpf_err(err, -EPERM, "map '%s' is read-only for the host (BPF_F_RDONLY): "
				 "cannot %s", map->name, what);
	if (uebpf_map_is_frozen(map))
		return uebpf_err(err, -EPERM, "map '%s' is frozen: cannot %s", map->name, what);
	return 0;
}

static int host_may_read(const struct uebpf_map *map, const char *what, struct uebpf_error *err)
{
	if (map->map_flags & BPF_F_WRONLY)
		return uebpf_err(err, -EPERM, "map '%s' is write-only for the host (BPF_F_WRONLY): "
				 "cannot %s", map->name, what);
	return 0;
}

#define CHECK_ARG(cond, fn, what)                                                        \
	do {                                                                               \
		if (!(cond))                                                               \
			return uebpf_err(err, -EINVAL, fn ": " what " must not be NULL");  \
	} while (0)

static bool keyless(const struct uebpf_map *map)
{
	return map->type == BPF_MAP_TYPE_QUEUE || map->type == BPF_MAP_TYPE_STACK ||
	       map->type == BPF_MAP_TYPE_BLOOM_FILTER;
}

int uebpf_map_lookup(struct uebpf_map *map, const void *key, void *value,
		     struct uebpf_error *err)
{
	int ret;

	CHECK_ARG(map && value, "uebpf_map_lookup", "map and value");
	if ((ret = host_may_read(map, "look up", err)))
		return ret;
	if (keyless(map))
		return uebpf_map_peek(map, value, err);
	CHECK_ARG(key, "uebpf_map_lookup", "key");
	if (!map->ops->lookup_copy)
		return unsupported(map, "lookup", err);
	return map->ops->lookup_copy(map, key, value, err);
}

int uebpf_map_update(struct uebpf_map *map, const void *key, const void *value,
		     uint64_t flags, struct uebpf_error *err)
{
	int ret;

	CHECK_ARG(map && value, "uebpf_map_update", "map and value");
	if (keyless(map))
		return uebpf_map_push(map, value, flags, err);
	if ((ret = host_may_write(map, "update", err)))
		return ret;
	CHECK_ARG(key, "uebpf_map_update", "key");
	if (!map->ops->update)
		return unsupported(map, "update", err);
	return map->ops->update(map, key, value, flags, MAP_ALL_CPUS, err);
}

int uebpf_map_delete(struct uebpf_map *map, const void *key, struct uebpf_error *err)
{
	int ret;

	CHECK_ARG(map, "uebpf_map_delete", "map");
	if ((ret = host_may_write(map, "delete", err)))
		return ret;
	if (!map->ops->delete)
		return unsupported(map, "delete", err);
	CHECK_ARG(key, "uebpf_map_delete", "key");
	return map->ops->delete(map, key, err);
}

int uebpf_map_get_next_key(struct uebpf_map *map, const void *key, void *next_key,
			   struct uebpf_error *err)
{
	int ret;

	CHECK_ARG(map && next_key, "uebpf_map_get_next_key", "map and next_key");
	if ((ret = host_may_read(map, "iterate", err)))
		return ret;
	if (!map->ops->get_next_key)
		return unsupported(map, "key iteration", err);
	return map->ops->get_next_key(map, key, next_key, err);
}

int uebpf_map_lookup_and_delete(struct uebpf_map *map, const void *key, void *value,
				struct uebpf_error *err)
{
	int ret;

	CHECK_ARG(map && value, "uebpf_map_lookup_and_delete", "map and value");
	if (map->type == BPF_MAP_TYPE_QUEUE || map->type == BPF_MAP_TYPE_STACK)
		return uebpf_map_pop(map, value, err);
	if ((ret = host_may_read(map, "look up", err)) || (ret = host_may_write(map, "delete", err)))
		return ret;
	if (!map->ops->lookup_and_delete)
		return unsupported(map, "lookup-and-delete", err);
	CHECK_ARG(key, "uebpf_map_lookup_and_delete", "key");
	return map->ops->lookup_and_delete(map, key, value, err);
}

int uebpf_map_push(struct uebpf_map *map, const void *value, uint64_t flags,
		   struct uebpf_error *err)
{
	int ret;

	CHECK_ARG(map && value, "uebpf_map_push", "map and value");
	if ((ret = host_may_write(map, "push", err)))
		return ret;
	if (!map->ops->push)
		return unsupported(map, "push", err);
	return map->ops->push(map, value, flags, err);
}

int uebpf_map_pop(struct uebpf_map *map, void *value, struct uebpf_error *err)
{
	int ret;

	CHECK_ARG(map && value, "uebpf_map_pop", "map and value");
	if ((ret = host_may_read(map, "pop", err)) || (ret = host_may_write(map, "pop", err)))
		return ret;
	if (!map->ops->pop)
		return unsupported(map, "pop", err);
	return map->ops->pop(map, value, err);
}

int uebpf_map_peek(struct uebpf_map *map, void *value, struct uebpf_error *err)
{
	int ret;

	CHECK_ARG(map && value, "uebpf_map_peek", "map and value");
	if ((ret = host_may_read(map, "peek", err)))
		return ret;
	if (!map->ops->peek)
		return unsupported(map, "peek", err);
	return map->ops->peek(map, value, err);
}

/* ------------------------------------------------------- program side */

void *map_lookup_elem(struct uebpf_map *map, const void *key)
{
	if (!map->ops->lookup || (map->map_flags & BPF_F_WRONLY_PROG))
		return NULL;
	return map->ops->lookup(map, key, (int)map_current_cpu(map));
}

void *map_lookup_percpu_elem(struct uebpf_map *map, const void *key, uint32_t cpu)
{
	if (!map_is_percpu(map->type) || cpu >= map->nr_cpus ||
	    (map->map_flags & BPF_F_WRONLY_PROG))
		return NULL;
	return map->ops->lookup(map, key, (int)cpu);
}

long map_update_elem(struct uebpf_map *map, const void *key, const void *value, uint64_t flags)
{
	if (map->map_flags & BPF_F_RDONLY_PROG)
		return -EPERM;
	if (keyless(map))
		return map_push_elem(map, value, flags);
	if (!map->ops->update)
		return -EOPNOTSUPP;
	return map->ops->update(map, key, value, flags, (int)map_current_cpu(map), NULL);
}

long map_delete_elem(struct uebpf_map *map, const void *key)
{
	if (map->map_flags & BPF_F_RDONLY_PROG)
		return -EPERM;
	if (!map->ops->delete)
		return -EOPNOTSUPP;
	return map->ops->delete(map, key, NULL);
}

void *map_prog_op_direct(const struct uebpf_map *map, enum map_prog_op op)
{
	/* map_current_cpu is 0 exactly when nr_cpus <= 1 */
	if (map_is_percpu(map->type) || map->nr_cpus > 1 || keyless(map) ||
	    map->type == BPF_MAP_TYPE_ARRAY_OF_MAPS || map->type == BPF_MAP_TYPE_HASH_OF_MAPS)
		return NULL;
	switch (op) {
	case MAP_PROG_LOOKUP:
		if (map->map_flags & BPF_F_WRONLY_PROG)
			return NULL;
		return (void *)map->ops->lookup;
	case MAP_PROG_UPDATE:
		if (map->map_flags & BPF_F_RDONLY_PROG)
			return NULL;
		return (void *)map->ops->update;
	case MAP_PROG_DELETE:
		if (map->map_flags & BPF_F_RDONLY_PROG)
			return NULL;
		return (void *)map->ops->delete;
	}
	return NULL;
}

long map_push_elem(struct uebpf_map *map, const void *value, uint64_t flags)
{
	if (map->map_flags & BPF_F_RDONLY_PROG)
		return -EPERM;
	if (!map->ops->push)
		return -EOPNOTSUPP;
	return map->ops->push(map, value, flags, NULL);
}

long map_pop_elem(struct uebpf_map *map, void *value)
{
	if (map->map_flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG))
		return -EPERM;
	if (!map->ops->pop)
		return -EOPNOTSUPP;
	return map->ops->pop(map, value, NULL);
}

long map_peek_elem(struct uebpf_map *map, void *value)
{
	if (map->map_flags & BPF_F_WRONLY_PROG)
		return -EPERM;
	if (!map->ops->peek)
		return -EOPNOTSUPP;
	return map->ops->peek(map, value, NULL);
}

long map_for_each_elem(struct uebpf_map *map, map_elem_fn fn, void *ctx)
{
	if (!map->ops->for_each)
		return -EOPNOTSUPP;
	return map->ops->for_each(map, fn, ctx, (int)map_current_cpu(map));
}

size_t map_value_regions(const struct uebpf_map *map, struct uebpf_region *out, size_t max)
{
	size_t n;

	if (!map->ops->value_regions)
		return 0;
	n = map->ops->value_regions(map, out, max);
	for (size_t i = 0; i < n && i < max; i++)
		out[i].writable = !(map->map_flags & BPF_F_RDONLY_PROG);
	return n;
}

int map_check_update_flags(const struct uebpf_map *map, uint64_t flags, struct uebpf_error *err)
{
	if ((flags & ~(uint64_t)BPF_F_LOCK) > BPF_EXIST)
		return uebpf_err(err, -EINVAL, "map '%s': update flags 0x%llx invalid; use BPF_ANY (0), "
				 "BPF_NOEXIST (1) or BPF_EXIST (2)", map->name,
				 (unsigned long long)flags);
	if (flags & BPF_F_LOCK)
		return uebpf_err(err, -EOPNOTSUPP, "map '%s': BPF_F_LOCK is not supported (uebpf maps "
				 "do not know where a value's bpf_spin_lock is)", map->name);
	return 0;
}

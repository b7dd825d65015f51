/* SPDX-License-Identifier: MIT */
/*
 * Per-process ids for maps (map-in-map values) and programs (prog_array
 * values). Like file descriptors these are process state by nature: the
 * tables below are the one deliberate piece of global state of the maps
 * code, guarded by one mutex (lookups are rare: host updates and
 * map-in-map lookups).
 */
#include "maps/map_internal.h"
#include "common/error.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#define PROG_ID_MAX 65535u

struct id_table {
	void **slots;   /* slot i holds id i + 1; NULL when free */
	uint32_t cap;
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct id_table map_ids;
static struct id_table prog_ids;

static int table_reserve(struct id_table *t, uint32_t need)
{
	uint32_t cap = t->cap ? t->cap : 16;
	void **slots;

	if (need <= t->cap)
		return 0;
	while (cap < need)
		cap *= 2;
	slots = realloc(t->slots, cap * sizeof(*slots));
	if (!slots)
		return -ENOMEM;
	for (uint32_t i = t->cap; i < cap; i++)
		slots[i] = NULL;
	t->slots = slots;
	t->cap = cap;
	return 0;
}

/* Lowest free id, as file descriptors, so ids stay small. */
static int table_add(struct id_table *t, void *obj, uint32_t limit, uint32_t *id)
{
	uint32_t i;

	for (i = 0; i < t->cap; i++)
		if (!t->slots[i])
			break;
	if (i >= limit)
		return -ENOSPC;
	if (table_reserve(t, i + 1))
		return -ENOMEM;
	t->slots[i] = obj;
	*id = i + 1;
	return 0;
}

static void *table_get(const struct id_table *t, uint32_t id)
{
	if (id == 0 || id > t->cap)
		return NULL;
	return t->slots[id - 1];
}

int registry_add_map(struct uebpf_map *map, struct uebpf_error *err)
{
	int ret;

	pthread_mutex_lock(&registry_lock);
	ret = table_add(&map_ids, map, UINT32_MAX, &map->id);
	pthread_mutex_unlock(&registry_lock);
	if (ret)
		return uebpf_err(err, ret, "map '%s': no memory for its id", map->name);
	return 0;
}

/* Frees an empty table so leak checkers see nothing once all is gone. */
static void table_trim(struct id_table *t)
{
	for (uint32_t i = 0; i < t->cap; i++)
		if (t->slots[i])
			return;
	free(t->slots);
	t->slots = NULL;
	t->cap = 0;
}

void registry_remove_map(struct uebpf_map *map)
{
	pthread_mutex_lock(&registry_lock);
	if (table_get(&map_ids, map->id) == map)
		map_ids.slots[map->id - 1] = NULL;
	table_trim(&map_ids);
	pthread_mutex_unlock(&registry_lock);
}

struct uebpf_map *registry_map_by_uid(uint64_t uid)
{
	struct uebpf_map *found = NULL;

	pthread_mutex_lock(&registry_lock);
	for (uint32_t i = 0; i < map_ids.cap && !found; i++) {
		struct uebpf_map *m = map_ids.slots[i];

		if (m && m->uid == uid)
			found = m;
	}
	pthread_mutex_unlock(&registry_lock);
	return found;
}

uint32_t uebpf_map_id(const struct uebpf_map *map)
{
	return map ? map->id : 0;
}

struct uebpf_map *uebpf_map_from_id(uint32_t id)
{
	struct uebpf_map *map;

	pthread_mutex_lock(&registry_lock);
	map = table_get(&map_ids, id);
	pthread_mutex_unlock(&registry_lock);
	return map;
}

int uebpf_prog_registry_add(const struct uebpf_prog *prog, uint32_t *id,
			    struct uebpf_error *err)
{
	int ret;

	if (!prog || !id)
		return uebpf_err(err, -EINVAL, "uebpf_prog_registry_add: prog and id must not be NULL");
	pthread_mutex_lock(&registry_lock);
	ret = table_add(&prog_ids, (void *)prog, PROG_ID_MAX, id);
	pthread_mutex_unlock(&registry_lock);
	if (ret == -ENOSPC)
		return uebpf_err(err, ret, "program registry full (%u ids); remove unused programs",
				 PROG_ID_MAX);
	if (ret)
		return uebpf_err(err, ret, "program registry: out of memory");
	return 0;
}

int uebpf_prog_registry_set(uint32_t id, const struct uebpf_prog *prog,
			    struct uebpf_error *err)
{
	int ret = 0;

	if (!prog)
		return uebpf_err(err, -EINVAL, "uebpf_prog_registry_set: prog must not be NULL");
	if (id == 0 || id > PROG_ID_MAX)
		return uebpf_err(err, -EINVAL, "program id %u out of range: use 1..%u", id,
				 PROG_ID_MAX);
	pthread_mutex_lock(&registry_lock);
	if (table_get(&prog_ids, id) && table_get(&prog_ids, id) != prog)
		ret = -EEXIST;
	else if (table_reserve(&prog_ids, id))
		ret = -ENOMEM;
	else
		prog_ids.slots[id - 1] = (void *)prog;
	pthread_mutex_unlock(&registry_lock);
	if (ret == -EEXIST)
		return uebpf_err(err, ret, "program id %u is taken by another program; "
				 "remove it first or pick another id", id);
	if (ret)
		return uebpf_err(err, ret, "program registry: out of memory");
	return 0;
}

void uebpf_prog_registry_remove(uint32_t id)
{
	pthread_mutex_lock(&registry_lock);
	if (table_get(&prog_ids, id))
		prog_ids.slots[id - 1] = NULL;
	table_trim(&prog_ids);
	pthread_mutex_unlock(&registry_lock);
}

void uebpf_prog_registry_forget(const struct uebpf_prog *prog)
{
	pthread_mutex_lock(&registry_lock);
	for (uint32_t i = 0; i < prog_ids.cap; i++)
		if (prog_ids.slots[i] == prog)
			prog_ids.slots[i] = NULL;
	table_trim(&prog_ids);
	pthread_mutex_unlock(&registry_lock);
}

const struct uebpf_prog *uebpf_prog_registry_get(uint32_t id)
{
	const struct uebpf_prog *prog;

	pthread_mutex_lock(&registry_lock);
	prog = table_get(&prog_ids, id);
	pthread_mutex_unlock(&registry_lock);
	return prog;
}

/* SPDX-License-Identifier: MIT */
/*
 * Helper sets: the helpers a program may call, keyed by id.
 *
 * Entries are allocated one by one and kept in an array of pointers sorted
 * by id: lookups are binary searches, and a proto pointer handed out by
 * uebpf_helper_set_find stays valid until the set is destroyed (replacing a
 * helper rewrites its entry in place).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "uebpf/uebpf.h"

struct uebpf_helper_set {
	struct uebpf_helper_proto **entries; /* sorted by id */
	size_t nr, cap;
};

int uebpf_helper_set_create(struct uebpf_helper_set **out, struct uebpf_error *err)
{
	struct uebpf_helper_set *set;

	if (!out)
		return uebpf_err(err, -EINVAL, "uebpf_helper_set_create: out is NULL");
	set = calloc(1, sizeof(*set));
	if (!set)
		return uebpf_err(err, -ENOMEM, "uebpf_helper_set_create: out of memory");
	*out = set;
	return 0;
}

static void free_entry(struct uebpf_helper_proto *entry)
{
	if (!entry)
		return;
	free((char *)entry->name);
	free(entry);
}

void uebpf_helper_set_destroy(struct uebpf_helper_set *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->nr; i++)
		free_entry(set->entries[i]);
	free(set->entries);
	free(set);
}

/* Index of the first entry whose id is >= `id`. */
static size_t lower_bound(const struct uebpf_helper_set *set, uint32_t id)
{
	size_t lo = 0, hi = set->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (set->entries[mid]->id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int uebpf_helper_set_add(struct uebpf_helper_set *set,
			 const struct uebpf_helper_proto *proto,
			 struct uebpf_error *err)
{
	struct uebpf_helper_proto *entry;
	char *name;
	size_t pos;

	if (!set || !proto)
		return uebpf_err(err, -EINVAL, "uebpf_helper_set_add: set and proto must not be NULL");
	if (!proto->fn)
		return uebpf_err(err, -EINVAL,
				 "uebpf_helper_set_add: helper %u (%s) has no function",
				 proto->id, proto->name ? proto->name : "unnamed");

	name = strdup(proto->name ? proto->name : "");
	if (!name)
		return uebpf_err(err, -ENOMEM, "uebpf_helper_set_add: out of memory");

	pos = lower_bound(set, proto->id);
	if (pos < set->nr && set->entries[pos]->id == proto->id) {
		entry = set->entries[pos];
		free((char *)entry->name);
		*entry = *proto;
		entry->name = name;
		return 0;
	}

	if (set->nr == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 16;
		struct uebpf_helper_proto **grown = realloc(set->entries, cap * sizeof(*grown));

		if (!grown) {
			free(name);
			return uebpf_err(err, -ENOMEM, "uebpf_helper_set_add: out of memory");
		}
		set->entries = grown;
		set->cap = cap;
	}
	entry = malloc(sizeof(*entry));
	if (!entry) {
		free(name);
		return uebpf_err(err, -ENOMEM, "uebpf_helper_set_add: out of memory");
	}
	*entry = *proto;
	entry->name = name;
	memmove(&set->entries[pos + 1], &set->entries[pos],
		(set->nr - pos) * sizeof(*set->entries));
	set->entries[pos] = entry;
	set->nr++;
	return 0;
}

const struct uebpf_helper_proto *
uebpf_helper_set_find(const struct uebpf_helper_set *set, uint32_t id)
{
	size_t pos;

	if (!set)
		return NULL;
	pos = lower_bound(set, id);
	if (pos < set->nr && set->entries[pos]->id == id)
		return set->entries[pos];
	return NULL;
}

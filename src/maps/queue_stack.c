/* SPDX-License-Identifier: MIT */
/*
 * BPF_MAP_TYPE_QUEUE (FIFO) and BPF_MAP_TYPE_STACK (LIFO): a circular
 * buffer of max_entries + 1 slots (one stays free to tell full from empty)
 * under one lock, as the kernel's. No keys; values are copied in and out.
 */
#include "maps/map_internal.h"
#include "common/error.h"

#include <errno.h>
#include <string.h>

#define QS_VALUE_MAX (1u << 26)

struct qs_ctrl {
	struct shm_lock lock;
	uint32_t head;   /* next slot to write */
	uint32_t tail;   /* oldest element */
};

static struct qs_ctrl *ctrl(const struct uebpf_map *map)
{
	return map_ctrl(map);
}

static uint32_t nr_slots(const struct uebpf_map *map)
{
	return map->max_entries + 1;
}

static void *slot(const struct uebpf_map *map, uint32_t i)
{
	return map->base + map->layout.data_off + (uint64_t)i * map->layout.elem_stride;
}

static int qs_layout(const struct map_shape *s, struct map_layout *l)
{
	l->elem_stride = (uint32_t)round_up8(s->value_size);
	l->data_off = s->page_size;
	l->data_len = (uint64_t)l->elem_stride * ((uint64_t)s->max_entries + 1);
	l->file_size = l->data_off + l->data_len;
	l->file_size = (l->file_size + s->page_size - 1) / s->page_size * s->page_size;
	return 0;
}

static int qs_check(const struct uebpf_map_spec *spec, struct uebpf_error *err)
{
	const char *what = spec->type == BPF_MAP_TYPE_QUEUE ? "queue" : "stack";

	if (spec->key_size != 0)
		return uebpf_err(err, -EINVAL, "map '%s': a %s has no keys: key_size must be 0, got %u",
				 spec->name, what, spec->key_size);
	if (spec->value_size == 0 || spec->value_size > QS_VALUE_MAX)
		return uebpf_err(err, -EINVAL, "map '%s': value_size %u out of range 1..%u",
				 spec->name, spec->value_size, QS_VALUE_MAX);
	if (spec->max_entries == 0 || spec->max_entries >= UINT32_MAX)
		return uebpf_err(err, -EINVAL, "map '%s': max_entries must be 1..%u", spec->name,
				 UINT32_MAX - 1);
	return 0;
}

static int qs_push(struct uebpf_map *map, const void *value, uint64_t flags,
		   struct uebpf_error *err)
{
	struct qs_ctrl *c = ctrl(map);
	uint32_t n = nr_slots(map);

	if (flags != BPF_ANY && flags != BPF_EXIST)
		return uebpf_err(err, -EINVAL, "map '%s': push flags must be BPF_ANY or BPF_EXIST "
				 "(overwrite the oldest when full), got 0x%llx", map->name,
				 (unsigned long long)flags);
	shm_lock(&c->lock);
	if ((c->head + 1) % n == c->tail % n) {
		if (flags != BPF_EXIST) {
			shm_unlock(&c->lock);
			return uebpf_err(err, -E2BIG, "map '%s' is full (max_entries %u); pop "
					 "elements or push with BPF_EXIST to drop the oldest",
					 map->name, map->max_entries);
		}
		c->tail = (c->tail + 1) % n;
	}
	memcpy(slot(map, c->head % n), value, map->value_size);
	c->head = (c->head + 1) % n;
	shm_unlock(&c->lock);
	return 0;
}

static int qs_take(struct uebpf_map *map, void *value, bool remove, struct uebpf_error *err)
{
	struct qs_ctrl *c = ctrl(map);
	uint32_t n = nr_slots(map), i;

	shm_lock(&c->lock);
	if (c->head % n == c->tail % n) {
		shm_unlock(&c->lock);
		return uebpf_err(err, -ENOENT, "map '%s' is empty", map->name);
	}
	if (map->type == BPF_MAP_TYPE_QUEUE) {
		i = c->tail % n;
		if (remove)
			c->tail = (i + 1) % n;
	} else {
		i = (c->head + n - 1) % n;
		if (remove)
			c->head = i;
	}
	memcpy(value, slot(map, i), map->value_size);
	shm_unlock(&c->lock);
	return 0;
}

static int qs_pop(struct uebpf_map *map, void *value, struct uebpf_error *err)
{
	return qs_take(map, value, true, err);
}

static int qs_peek(struct uebpf_map *map, void *value, struct uebpf_error *err)
{
	return qs_take(map, value, false, err);
}

#define QS_FLAGS                                                                          \
	(BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)

const struct map_ops map_queue_ops = {
	.type = BPF_MAP_TYPE_QUEUE,
	.name = "queue",
	.allowed_flags = QS_FLAGS,
	.check = qs_check,
	.layout = qs_layout,
	.push = qs_push,
	.pop = qs_pop,
	.peek = qs_peek,
};

const struct map_ops map_stack_ops = {
	.type = BPF_MAP_TYPE_STACK,
	.name = "stack",
	.allowed_flags = QS_FLAGS,
	.check = qs_check,
	.layout = qs_layout,
	.push = qs_push,
	.pop = qs_pop,
	.peek = qs_peek,
};

/* SPDX-License-Identifier: MIT */
/*
 * BPF_MAP_TYPE_PERF_EVENT_ARRAY: in the kernel each slot holds a perf
 * event whose ring the program writes with bpf_perf_event_output. Here every
 * slot (normally one per CPU) owns a ring in the map's file from the start:
 * map_extra bytes each (default 64 KiB, a power of 2, at least a page).
 *
 * Records are { u32 size; u32 reserved; data, padded to 8 } and may wrap
 * around the end of a ring (the consumer copies those). A record that does
 * not fit is dropped and counted; the consumer reports the count through
 * its `lost` callback before that slot's next samples (perf puts a
 * PERF_RECORD_LOST in the stream instead).
 */
#define _GNU_SOURCE
#include "maps/map_internal.h"
#include "common/error.h"

#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PERF_BUF_DEFAULT (64u * 1024)
#define PERF_BUF_MAX (1ull << 30)
#define PERF_SLOTS_MAX 4096u
#define PERF_REC_HDR 8u

struct perf_ctrl {
	uint32_t data_seq;        /* futex word: bumped on each output */
	uint32_t waiters;
	struct shm_lock consumer_lock;
};

/* One per slot, at data_off. */
struct perf_buf {
	struct shm_lock producer_lock;
	uint32_t pad;
	uint64_t head __attribute__((aligned(8)));   /* bytes ever written */
	uint64_t tail;                               /* bytes ever consumed */
	uint64_t lost;                               /* records dropped, not yet reported */
	uint8_t cacheline_pad[32];
};

_Static_assert(sizeof(struct perf_buf) == 64, "perf_buf is one cache line");

static uint64_t buf_size(uint64_t map_extra)
{
	return map_extra ? map_extra : PERF_BUF_DEFAULT;
}

static int perf_layout(const struct map_shape *s, struct map_layout *l)
{
	uint64_t size = buf_size(s->map_extra);

	l->data_off = s->page_size;
	l->data_len = (uint64_t)s->max_entries * sizeof(struct perf_buf);
	l->aux_off = (l->data_off + l->data_len + s->page_size - 1) / s->page_size * s->page_size;
	l->aux_len = size * s->max_entries;
	l->file_size = l->aux_off + l->aux_len;
	return 0;
}

static int perf_check(const struct uebpf_map_spec *spec, struct uebpf_error *err)
{
	uint64_t size = buf_size(spec->map_extra);
	long page = sysconf(_SC_PAGESIZE);

	if (spec->key_size != 4 || spec->value_size != 4)
		return uebpf_err(err, -EINVAL, "map '%s': perf_event_array key_size and value_size "
				 "must be 4, got %u and %u", spec->name, spec->key_size,
				 spec->value_size);
	if (spec->max_entries > PERF_SLOTS_MAX)
		return uebpf_err(err, -E2BIG, "map '%s': perf_event_array max_entries %u above %u "
				 "(use 0 for one slot per CPU)", spec->name, spec->max_entries,
				 PERF_SLOTS_MAX);
	if ((size & (size - 1)) || size < (uint64_t)page || size > PERF_BUF_MAX)
		return uebpf_err(err, -EINVAL, "map '%s': perf_event_array map_extra is the bytes per "
				 "slot buffer: a power of 2 from %ld to %llu (0: %u), got %llu",
				 spec->name, page, PERF_BUF_MAX, PERF_BUF_DEFAULT,
				 (unsigned long long)spec->map_extra);
	return 0;
}

static struct perf_ctrl *ctrl(const struct uebpf_map *map)
{
	return map_ctrl(map);
}

static struct perf_buf *buf(const struct uebpf_map *map, uint32_t i)
{
	return (struct perf_buf *)(map->base + map->layout.data_off) + i;
}

static uint8_t *buf_data(const struct uebpf_map *map, uint32_t i)
{
	return map->base + map->layout.aux_off + (uint64_t)i * buf_size(map->map_extra);
}

/* Copies len bytes into ring `i` at position pos, wrapping at its end. */
static void ring_write(const struct uebpf_map *map, uint32_t i, uint64_t pos, const void *src,
		       size_t len)
{
	uint64_t size = buf_size(map->map_extra), off = pos & (size - 1);
	size_t first = len < size - off ? len : (size_t)(size - off);

	memcpy(buf_data(map, i) + off, src, first);
	memcpy(buf_data(map, i), (const uint8_t *)src + first, len - first);
}

static void ring_read(const struct uebpf_map *map, uint32_t i, uint64_t pos, void *dst, size_t len)
{
	uint64_t size = buf_size(map->map_extra), off = pos & (size - 1);
	size_t first = len < size - off ? len : (size_t)(size - off);

	memcpy(dst, buf_data(map, i) + off, first);
	memcpy((uint8_t *)dst + first, buf_data(map, i), len - first);
}

long map_perf_event_output(struct uebpf_map *map, uint64_t flags, const void *data,
			   uint64_t size)
{
	uint64_t index = flags & BPF_F_INDEX_MASK, total, head, tail, cap;
	uint32_t hdr[2] = { 0, 0 };
	struct perf_buf *b;

	if (map->type != BPF_MAP_TYPE_PERF_EVENT_ARRAY || (flags & ~BPF_F_INDEX_MASK))
		return -EINVAL;
	if (index == BPF_F_CURRENT_CPU) {
		int cpu = sched_getcpu();

		index = cpu < 0 ? 0 : (uint64_t)cpu;
	}
	if (index >= map->max_entries)
		return -E2BIG;
	b = buf(map, (uint32_t)index);
	cap = buf_size(map->map_extra);
	total = PERF_REC_HDR + round_up8(size);
	if (size > UINT32_MAX || total > cap) {
		__atomic_fetch_add(&b->lost, 1, __ATOMIC_RELAXED);
		return -ENOSPC;
	}
	hdr[0] = (uint32_t)size;
	shm_lock(&b->producer_lock);
	head = b->head;
	tail = __atomic_load_n(&b->tail, __ATOMIC_ACQUIRE);
	if (head + total - tail > cap) {
		shm_unlock(&b->producer_lock);
		__atomic_fetch_add(&b->lost, 1, __ATOMIC_RELAXED);
		return -ENOSPC;
	}
	ring_write(map, (uint32_t)index, head, hdr, sizeof(hdr));
	ring_write(map, (uint32_t)index, head + PERF_REC_HDR, data, size);
	__atomic_store_n(&b->head, head + total, __ATOMIC_RELEASE);
	shm_unlock(&b->producer_lock);

	__atomic_fetch_add(&ctrl(map)->data_seq, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&ctrl(map)->waiters, __ATOMIC_SEQ_CST))
		shm_futex_wake_all(&ctrl(map)->data_seq);
	return 0;
}

int uebpf_perf_buffer_consume(struct uebpf_map *map, uebpf_perf_sample_fn sample,
			      uebpf_perf_lost_fn lost, void *ctx, struct uebpf_error *err)
{
	uint64_t cap;
	uint8_t *scratch;
	int count = 0;

	if (!map || !sample)
		return uebpf_err(err, -EINVAL, "uebpf_perf_buffer_consume: map and sample must not be NULL");
	if (map->type != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		return uebpf_err(err, -EINVAL, "map '%s' is a %s, not a perf_event_array", map->name,
				 uebpf_map_type_name(map->type));
	cap = buf_size(map->map_extra);
	/* Wrapped records are handed out from a copy. */
	scratch = malloc(cap);
	if (!scratch)
		return uebpf_err(err, -ENOMEM, "map '%s': no memory for a %llu-byte record copy",
				 map->name, (unsigned long long)cap);
	shm_lock(&ctrl(map)->consumer_lock);
	for (uint32_t i = 0; i < map->max_entries; i++) {
		struct perf_buf *b = buf(map, i);
		uint64_t dropped = __atomic_exchange_n(&b->lost, 0, __ATOMIC_RELAXED);
		uint64_t tail = b->tail;
		uint64_t head = __atomic_load_n(&b->head, __ATOMIC_ACQUIRE);

		if (dropped && lost)
			lost(ctx, i, dropped);
		while (tail < head) {
			uint32_t hdr[2];
			uint64_t off, total;

			ring_read(map, i, tail, hdr, sizeof(hdr));
			total = PERF_REC_HDR + round_up8(hdr[0]);
			if (total > head - tail)
				break; /* damaged: leave the rest */
			off = (tail + PERF_REC_HDR) & (cap - 1);
			if (off + hdr[0] <= cap) {
				sample(ctx, i, buf_data(map, i) + off, hdr[0]);
			} else {
				ring_read(map, i, tail + PERF_REC_HDR, scratch, hdr[0]);
				sample(ctx, i, scratch, hdr[0]);
			}
			count++;
			tail += total;
			__atomic_store_n(&b->tail, tail, __ATOMIC_RELEASE);
		}
	}
	shm_unlock(&ctrl(map)->consumer_lock);
	free(scratch);
	return count;
}

int uebpf_perf_buffer_poll(struct uebpf_map *map, uebpf_perf_sample_fn sample,
			   uebpf_perf_lost_fn lost, void *ctx, int timeout_ms,
			   struct uebpf_error *err)
{
	int64_t deadline = shm_deadline_ms(timeout_ms);

	if (!map || map->type != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		return uebpf_perf_buffer_consume(map, sample, lost, ctx, err);
	for (;;) {
		uint32_t seen = __atomic_load_n(&ctrl(map)->data_seq, __ATOMIC_SEQ_CST);
		int n = uebpf_perf_buffer_consume(map, sample, lost, ctx, err), ret;

		if (n != 0)
			return n;
		ret = shm_wait_seq(&ctrl(map)->data_seq, &ctrl(map)->waiters, seen, deadline);
		if (ret == -ETIMEDOUT)
			return 0;
		if (ret == -EINTR)
			return uebpf_err(err, -EINTR, "map '%s': poll interrupted by a signal", map->name);
	}
}

const struct map_ops map_perf_event_array_ops = {
	.type = BPF_MAP_TYPE_PERF_EVENT_ARRAY,
	.name = "perf_event_array",
	.allowed_flags = BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG |
			 BPF_F_WRONLY_PROG | BPF_F_PRESERVE_ELEMS,
	.check = perf_check,
	.layout = perf_layout,
	.get_next_key = array_get_next_key,
};

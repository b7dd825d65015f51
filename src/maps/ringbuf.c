/* SPDX-License-Identifier: MIT */
/*
 * BPF_MAP_TYPE_RINGBUF: the kernel's BPF ring buffer, in a shared file.
 * max_entries bytes of data (a power of two, whole pages) follow the header
 * page and are mapped twice back to back, so every record is contiguous.
 * Records carry the kernel's 8-byte header { u32 len (BUSY, DISCARD bits);
 * u32 pg_off } and are 8-byte aligned. Producers serialise on a lock while
 * reserving; committing is one atomic store, so records may be committed
 * out of order but are consumed in reservation order (the consumer stops
 * at the first record still BUSY). Reserve fails when the producer would get
 * size bytes or more ahead of the consumer, as in the kernel
 * (__bpf_ringbuf_reserve: new_prod_pos - cons_pos > mask), so a full ring
 * holds at most size - 8 bytes: nothing is ever overwritten.
 *
 * pg_off here is the header's offset from the ring's data start in 8-byte
 * units: with it, submit/discard find the ring from the sample alone.
 */
#include "maps/map_internal.h"
#include "common/error.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

struct rb_ctrl {
	struct shm_lock producer_lock;
	uint32_t data_seq;        /* futex word: bumped on each waking commit */
	uint32_t waiters;         /* consumers blocked in poll */
	struct shm_lock consumer_lock;
	uint64_t mask;            /* size - 1 */
	uint64_t producer_pos __attribute__((aligned(64)));
	uint64_t consumer_pos __attribute__((aligned(64)));
};

struct rb_hdr {
	uint32_t len;
	uint32_t pg_off;
};

_Static_assert(sizeof(struct rb_ctrl) <= MAP_CTRL_MAX, "ring control block too big");

static struct rb_ctrl *ctrl(const struct uebpf_map *map)
{
	return map_ctrl(map);
}

static uint8_t *ring_data(const struct uebpf_map *map)
{
	return map->base + map->layout.data_off;
}

static int rb_layout(const struct map_shape *s, struct map_layout *l)
{
	l->data_off = s->page_size;
	l->data_len = s->max_entries;
	l->file_size = l->data_off + l->data_len;
	l->mirror_data = true;
	return 0;
}

static int rb_check(const struct uebpf_map_spec *spec, struct uebpf_error *err)
{
	long page = sysconf(_SC_PAGESIZE);
	uint32_t n = spec->max_entries;

	if (spec->key_size || spec->value_size)
		return uebpf_err(err, -EINVAL, "map '%s': ringbuf key_size and value_size must be 0, "
				 "got %u and %u", spec->name, spec->key_size, spec->value_size);
	if (n == 0 || (n & (n - 1)) || n % page)
		return uebpf_err(err, -EINVAL, "map '%s': ringbuf max_entries is its size in bytes: a "
				 "power of 2 and a multiple of the page size (%ld), got %u", spec->name,
				 page, n);
	return 0;
}

static void rb_init(struct uebpf_map *map)
{
	uint64_t data_off = map->layout.data_off;

	ctrl(map)->mask = map->layout.data_len - 1;
	/* Lets submit find the mapping's start from a sample: see header. */
	memcpy(ring_data(map) - sizeof(data_off), &data_off, sizeof(data_off));
}

static uint32_t record_len(uint32_t size)
{
	return (size + BPF_RINGBUF_HDR_SZ + 7) & ~7u;
}

void *map_ringbuf_reserve(struct uebpf_map *map, uint64_t size, uint64_t flags)
{
	struct rb_ctrl *c;
	uint64_t cons, prod, len;
	struct rb_hdr *hdr;

	if (map->type != BPF_MAP_TYPE_RINGBUF || flags != 0)
		return NULL;
	c = ctrl(map);
	if (size > c->mask + 1 - BPF_RINGBUF_HDR_SZ || size > (BPF_RINGBUF_DISCARD_BIT - 1))
		return NULL;
	len = record_len((uint32_t)size);
	shm_lock(&c->producer_lock);
	cons = __atomic_load_n(&c->consumer_pos, __ATOMIC_ACQUIRE);
	prod = c->producer_pos;
	if (prod + len - cons > c->mask) {
		shm_unlock(&c->producer_lock);
		return NULL;
	}
	hdr = (struct rb_hdr *)(ring_data(map) + (prod & c->mask));
	hdr->pg_off = (uint32_t)((prod & c->mask) >> 3);
	__atomic_store_n(&hdr->len, (uint32_t)size | BPF_RINGBUF_BUSY_BIT, __ATOMIC_RELAXED);
	__atomic_store_n(&c->producer_pos, prod + len, __ATOMIC_RELEASE);
	shm_unlock(&c->producer_lock);
	return hdr + 1;
}

static struct rb_ctrl *ctrl_of_sample(struct rb_hdr *hdr)
{
	uint8_t *data = (uint8_t *)hdr - ((uint64_t)hdr->pg_off << 3);
	uint64_t data_off;

	memcpy(&data_off, data - sizeof(data_off), sizeof(data_off));
	return (struct rb_ctrl *)(data - data_off + MAP_CTRL_OFF);
}

static void wake_consumers(struct rb_ctrl *c, uint64_t flags)
{
	if (flags & BPF_RB_NO_WAKEUP)
		return;
	__atomic_fetch_add(&c->data_seq, 1, __ATOMIC_SEQ_CST);
	if ((flags & BPF_RB_FORCE_WAKEUP) || __atomic_load_n(&c->waiters, __ATOMIC_SEQ_CST))
		shm_futex_wake_all(&c->data_seq);
}

static void commit(void *sample, bool discard, uint64_t flags)
{
	struct rb_hdr *hdr = (struct rb_hdr *)sample - 1;
	uint32_t len = __atomic_load_n(&hdr->len, __ATOMIC_RELAXED) & ~BPF_RINGBUF_BUSY_BIT;
	struct rb_ctrl *c = ctrl_of_sample(hdr);

	if (discard)
		len |= BPF_RINGBUF_DISCARD_BIT;
	__atomic_store_n(&hdr->len, len, __ATOMIC_RELEASE);
	wake_consumers(c, flags);
}

void map_ringbuf_submit(void *sample, uint64_t flags)
{
	commit(sample, false, flags);
}

void map_ringbuf_discard(void *sample, uint64_t flags)
{
	commit(sample, true, flags);
}

long map_ringbuf_output(struct uebpf_map *map, const void *data, uint64_t size, uint64_t flags)
{
	void *sample;

	if (map->type != BPF_MAP_TYPE_RINGBUF)
		return -EINVAL;
	if (flags & ~(uint64_t)(BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP))
		return -EINVAL;
	sample = map_ringbuf_reserve(map, size, 0);
	if (!sample)
		return -EAGAIN;
	memcpy(sample, data, size);
	map_ringbuf_submit(sample, flags);
	return 0;
}

uint64_t map_ringbuf_query(struct uebpf_map *map, uint64_t flags)
{
	struct rb_ctrl *c;

	if (map->type != BPF_MAP_TYPE_RINGBUF)
		return 0;
	c = ctrl(map);
	switch (flags) {
	case BPF_RB_AVAIL_DATA:
		return __atomic_load_n(&c->producer_pos, __ATOMIC_ACQUIRE) -
		       __atomic_load_n(&c->consumer_pos, __ATOMIC_ACQUIRE);
	case BPF_RB_RING_SIZE:
		return c->mask + 1;
	case BPF_RB_CONS_POS:
		return __atomic_load_n(&c->consumer_pos, __ATOMIC_ACQUIRE);
	case BPF_RB_PROD_POS:
		return __atomic_load_n(&c->producer_pos, __ATOMIC_ACQUIRE);
	default:
		return 0;
	}
}

uint64_t uebpf_ringbuf_avail(const struct uebpf_map *map)
{
	return map_ringbuf_query((struct uebpf_map *)map, BPF_RB_AVAIL_DATA);
}

static int not_ringbuf(const struct uebpf_map *map, struct uebpf_error *err)
{
	return uebpf_err(err, -EINVAL, "map '%s' is a %s, not a ringbuf", map->name,
			 uebpf_map_type_name(map->type));
}

int uebpf_ringbuf_consume(struct uebpf_map *map, uebpf_ringbuf_sample_fn fn, void *ctx,
			  struct uebpf_error *err)
{
	struct rb_ctrl *c;
	uint64_t cons, prod;
	int count = 0, ret = 0;

	if (!map || !fn)
		return uebpf_err(err, -EINVAL, "uebpf_ringbuf_consume: map and fn must not be NULL");
	if (map->type != BPF_MAP_TYPE_RINGBUF)
		return not_ringbuf(map, err);
	c = ctrl(map);
	shm_lock(&c->consumer_lock);
	cons = __atomic_load_n(&c->consumer_pos, __ATOMIC_RELAXED);
	for (;;) {
		prod = __atomic_load_n(&c->producer_pos, __ATOMIC_ACQUIRE);
		if (cons >= prod)
			break;
		while (cons < prod) {
			struct rb_hdr *hdr = (struct rb_hdr *)(ring_data(map) + (cons & c->mask));
			uint32_t len = __atomic_load_n(&hdr->len, __ATOMIC_ACQUIRE);
			uint32_t size = len & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);

			if (len & BPF_RINGBUF_BUSY_BIT)
				goto out;
			cons += record_len(size);
			if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
				count++;
				ret = fn(ctx, hdr + 1, size);
			}
			/* Only now may producers reuse the bytes fn read. */
			__atomic_store_n(&c->consumer_pos, cons, __ATOMIC_RELEASE);
			if (ret)
				goto out;
		}
	}
out:
	shm_unlock(&c->consumer_lock);
	return ret < 0 ? ret : count;
}

int uebpf_ringbuf_poll(struct uebpf_map *map, uebpf_ringbuf_sample_fn fn, void *ctx,
		       int timeout_ms, struct uebpf_error *err)
{
	int64_t deadline = shm_deadline_ms(timeout_ms);
	struct rb_ctrl *c;
	int n;

	if (!map || !fn)
		return uebpf_err(err, -EINVAL, "uebpf_ringbuf_poll: map and fn must not be NULL");
	if (map->type != BPF_MAP_TYPE_RINGBUF)
		return not_ringbuf(map, err);
	c = ctrl(map);
	for (;;) {
		uint32_t seen = __atomic_load_n(&c->data_seq, __ATOMIC_SEQ_CST);
		int ret;

		n = uebpf_ringbuf_consume(map, fn, ctx, err);
		if (n != 0)
			return n;
		ret = shm_wait_seq(&c->data_seq, &c->waiters, seen, deadline);
		if (ret == -ETIMEDOUT)
			return 0;
		if (ret == -EINTR)
			return uebpf_err(err, -EINTR, "map '%s': poll interrupted by a signal", map->name);
	}
}

const struct map_ops map_ringbuf_ops = {
	.type = BPF_MAP_TYPE_RINGBUF,
	.name = "ringbuf",
	.allowed_flags = BPF_F_NUMA_NODE,
	.check = rb_check,
	.layout = rb_layout,
	.init = rb_init,
};

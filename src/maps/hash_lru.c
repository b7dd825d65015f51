/* SPDX-License-Identifier: MIT */
/*
 * The LRU list of BPF_MAP_TYPE_LRU_HASH / LRU_PERCPU_HASH: approximate LRU
 * with a second chance, like the kernel's. New elements enter at the head;
 * a lookup only sets the element's `lru_ref` flag (no lock, no list move);
 * eviction walks from the tail, moves referenced elements back to the head
 * clearing the flag, and takes the first unreferenced one.
 *
 * Ownership: whoever unlinks an element from its bucket owns it and also
 * takes it off the list. Lock order is list lock, then bucket lock with
 * trylock only, so eviction never waits on a bucket while holding the list.
 */
#include "maps/htab.h"

void lru_push(struct uebpf_map *map, uint32_t idx1)
{
	struct htab_ctrl *c = htab_ctrl(map);
	struct htab_elem *e = htab_elem(map, idx1);
	struct htab_elem *old;

	shm_lock(&c->lru_lock);
	e->lru_prev = 0;
	e->lru_next = c->lru_head;
	old = htab_elem(map, c->lru_head);
	if (old)
		old->lru_prev = idx1;
	else
		c->lru_tail = idx1;
	c->lru_head = idx1;
	e->in_lru = 1;
	shm_unlock(&c->lru_lock);
}

/* List lock held. */
static void unlink_locked(struct uebpf_map *map, struct htab_elem *e)
{
	struct htab_ctrl *c = htab_ctrl(map);
	struct htab_elem *prev = htab_elem(map, e->lru_prev);
	struct htab_elem *next = htab_elem(map, e->lru_next);

	if (prev)
		prev->lru_next = e->lru_next;
	else
		c->lru_head = e->lru_next;
	if (next)
		next->lru_prev = e->lru_prev;
	else
		c->lru_tail = e->lru_prev;
	e->lru_prev = e->lru_next = 0;
	e->in_lru = 0;
}

void lru_remove(struct uebpf_map *map, uint32_t idx1)
{
	struct htab_ctrl *c = htab_ctrl(map);
	struct htab_elem *e = htab_elem(map, idx1);

	shm_lock(&c->lru_lock);
	if (e->in_lru)
		unlink_locked(map, e);
	shm_unlock(&c->lru_lock);
}

static void move_to_head(struct uebpf_map *map, uint32_t idx1, struct htab_elem *e)
{
	struct htab_ctrl *c = htab_ctrl(map);
	struct htab_elem *old;

	unlink_locked(map, e);
	e->lru_next = c->lru_head;
	old = htab_elem(map, c->lru_head);
	if (old)
		old->lru_prev = idx1;
	else
		c->lru_tail = idx1;
	c->lru_head = idx1;
	e->in_lru = 1;
}

uint32_t lru_evict(struct uebpf_map *map)
{
	struct htab_ctrl *c = htab_ctrl(map);
	/* Each element is seen at most twice: once to clear its flag, once
	 * to be taken. */
	uint64_t budget = 2ull * map->max_entries + 2;
	uint32_t idx, victim = 0;

	shm_lock(&c->lru_lock);
	idx = c->lru_tail;
	while (!victim && budget-- > 0) {
		struct htab_elem *e = htab_elem(map, idx);
		struct htab_bucket *b;
		uint32_t prev;

		if (!e)
			break;
		prev = e->lru_prev;
		if (__atomic_load_n(&e->lru_ref, __ATOMIC_RELAXED)) {
			__atomic_store_n(&e->lru_ref, 0, __ATOMIC_RELAXED);
			move_to_head(map, idx, e);
			idx = prev ? prev : c->lru_tail;
			continue;
		}
		b = htab_bucket(map, e->hash);
		if (shm_trylock(&b->lock)) {
			if (htab_unlink(map, b, idx)) {
				__atomic_fetch_sub(&c->count, 1, __ATOMIC_RELAXED);
				unlink_locked(map, e);
				victim = idx;
			}
			shm_unlock(&b->lock);
		}
		idx = prev;
	}
	shm_unlock(&c->lru_lock);
	return victim;
}

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

/* The list node of element idx1, NULL for 0 or a damaged index. */
static struct htab_lru_node *node_at(const struct uebpf_map *map, uint32_t idx1)
{
	struct htab_elem *e = htab_elem(map, idx1);

	return e ? htab_lru_node(map, e) : NULL;
}

/* List lock held. */
static void link_at_head(struct uebpf_map *map, uint32_t idx1, struct htab_lru_node *n)
{
	struct htab_ctrl *c = htab_ctrl(map);
	struct htab_lru_node *old = node_at(map, c->lru_head);

	n->prev = 0;
	n->next = c->lru_head;
	if (old)
		old->prev = idx1;
	else
		c->lru_tail = idx1;
	c->lru_head = idx1;
	n->in_lru = 1;
}

void lru_push(struct uebpf_map *map, uint32_t idx1)
{
	struct htab_ctrl *c = htab_ctrl(map);

	shm_lock(&c->lru_lock);
	link_at_head(map, idx1, node_at(map, idx1));
	shm_unlock(&c->lru_lock);
}

/* List lock held. */
static void unlink_locked(struct uebpf_map *map, struct htab_lru_node *n)
{
	struct htab_ctrl *c = htab_ctrl(map);
	struct htab_lru_node *prev = node_at(map, n->prev);
	struct htab_lru_node *next = node_at(map, n->next);

	if (prev)
		prev->next = n->next;
	else
		c->lru_head = n->next;
	if (next)
		next->prev = n->prev;
	else
		c->lru_tail = n->prev;
	n->prev = n->next = 0;
	n->in_lru = 0;
}

void lru_remove(struct uebpf_map *map, uint32_t idx1)
{
	struct htab_ctrl *c = htab_ctrl(map);
	struct htab_lru_node *n = node_at(map, idx1);

	shm_lock(&c->lru_lock);
	if (n->in_lru)
		unlink_locked(map, n);
	shm_unlock(&c->lru_lock);
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
		struct htab_lru_node *n;
		struct htab_bucket *b;
		uint32_t prev;

		if (!e)
			break;
		n = htab_lru_node(map, e);
		prev = n->prev;
		if (__atomic_load_n(&n->ref, __ATOMIC_RELAXED)) {
			__atomic_store_n(&n->ref, 0, __ATOMIC_RELAXED);
			unlink_locked(map, n);
			link_at_head(map, idx, n);
			idx = prev ? prev : c->lru_tail;
			continue;
		}
		b = htab_bucket(map, e->hash);
		if (shm_trylock(&b->lock)) {
			if (htab_unlink(map, b, idx)) {
				__atomic_fetch_sub(&c->count, 1, __ATOMIC_RELAXED);
				unlink_locked(map, n);
				victim = idx;
			}
			shm_unlock(&b->lock);
		}
		idx = prev;
	}
	shm_unlock(&c->lru_lock);
	return victim;
}

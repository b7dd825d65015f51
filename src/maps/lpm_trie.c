/* SPDX-License-Identifier: MIT */
/*
 * BPF_MAP_TYPE_LPM_TRIE: longest-prefix match over keys
 * { u32 prefixlen; u8 data[key_size - 4] } (data in network order, most
 * significant bit first), as the kernel's: a binary path-compressed trie
 * whose nodes have strictly growing prefix lengths from the root, with
 * "intermediate" nodes (no value) where two prefixes diverge.
 *
 * Nodes come from a pool of 2 * max_entries (a trie with n entries needs at
 * most n - 1 intermediate nodes); only real entries count against
 * max_entries. One lock guards the trie; lookups take it too (short
 * walks, at most max_prefixlen + 1 nodes).
 */
#include "maps/map_internal.h"
#include "common/error.h"

#include <errno.h>
#include <string.h>

#define LPM_DATA_MAX 256           /* bytes of key data, as the kernel */
#define LPM_VALUE_MAX (1u << 20)
#define LPM_INTERMEDIATE 1u

struct lpm_ctrl {
	struct shm_lock lock;
	uint32_t root;
	uint32_t n_entries;
	uint32_t free_head;        /* chained through child[0] */
	uint32_t next_unused;
};

struct lpm_node {
	uint32_t child[2];
	uint32_t prefixlen;
	uint32_t flags;
	/* data (key_size - 4, rounded up to 8), then the value */
};

struct lpm_key {
	uint32_t prefixlen;
	const uint8_t *data;
};

static struct lpm_ctrl *ctrl(const struct uebpf_map *map)
{
	return map_ctrl(map);
}

static uint32_t data_size(const struct uebpf_map *map)
{
	return map->key_size - 4;
}

static uint32_t max_prefixlen(const struct uebpf_map *map)
{
	return data_size(map) * 8;
}

static uint64_t pool_size(uint32_t max_entries)
{
	return 2ull * max_entries;
}

static struct lpm_node *node_at(const struct uebpf_map *map, uint32_t idx1)
{
	if (idx1 == 0 || idx1 > pool_size(map->max_entries))
		return NULL;
	return (struct lpm_node *)(map->base + map->layout.aux_off +
				   (uint64_t)(idx1 - 1) * map->layout.elem_stride);
}

static uint8_t *node_data(struct lpm_node *n)
{
	return (uint8_t *)n + sizeof(*n);
}

static void *node_value(const struct uebpf_map *map, struct lpm_node *n)
{
	return node_data(n) + round_up8(data_size(map));
}

static struct lpm_key read_key(const void *key)
{
	struct lpm_key k;

	memcpy(&k.prefixlen, key, 4);
	k.data = (const uint8_t *)key + 4;
	return k;
}

static int extract_bit(const uint8_t *data, uint32_t index)
{
	return !!(data[index / 8] & (1u << (7 - index % 8)));
}

/* Leading bits node and key agree on, up to both prefix lengths. */
static uint32_t match_len(const struct uebpf_map *map, struct lpm_node *n, const struct lpm_key *k)
{
	uint32_t limit = n->prefixlen < k->prefixlen ? n->prefixlen : k->prefixlen;
	const uint8_t *d = node_data(n);
	uint32_t bits = 0;

	for (uint32_t i = 0; i < data_size(map) && bits < limit; i++) {
		uint8_t diff = d[i] ^ k->data[i];

		if (diff) {
			bits += (uint32_t)__builtin_clz(diff) - 24;
			break;
		}
		bits += 8;
	}
	return bits < limit ? bits : limit;
}

static int lpm_layout(const struct map_shape *s, struct map_layout *l)
{
	uint64_t stride = sizeof(struct lpm_node) + round_up8(s->key_size - 4) +
			  round_up8(s->value_size);

	l->elem_stride = (uint32_t)stride;
	l->data_off = s->page_size;
	l->aux_off = s->page_size;
	l->aux_len = stride * pool_size(s->max_entries);
	l->file_size = l->aux_off + l->aux_len;
	l->file_size = (l->file_size + s->page_size - 1) / s->page_size * s->page_size;
	return 0;
}

static int lpm_check(const struct uebpf_map_spec *spec, struct uebpf_error *err)
{
	if (!(spec->map_flags & BPF_F_NO_PREALLOC))
		return uebpf_err(err, -EINVAL, "map '%s': lpm_trie needs map_flags BPF_F_NO_PREALLOC "
				 "(as in the kernel)", spec->name);
	if (spec->key_size < 5 || spec->key_size > 4 + LPM_DATA_MAX)
		return uebpf_err(err, -EINVAL, "map '%s': lpm_trie key_size %u out of range 5..%u "
				 "(u32 prefixlen + 1..%u data bytes)", spec->name, spec->key_size,
				 4 + LPM_DATA_MAX, LPM_DATA_MAX);
	if (spec->value_size == 0 || spec->value_size > LPM_VALUE_MAX)
		return uebpf_err(err, -EINVAL, "map '%s': value_size %u out of range 1..%u",
				 spec->name, spec->value_size, LPM_VALUE_MAX);
	if (spec->max_entries == 0 || spec->max_entries > (1u << 30))
		return uebpf_err(err, -EINVAL, "map '%s': max_entries %u out of range 1..%u",
				 spec->name, spec->max_entries, 1u << 30);
	return 0;
}

static uint32_t alloc_node(struct uebpf_map *map)
{
	struct lpm_ctrl *c = ctrl(map);
	struct lpm_node *n;
	uint32_t idx;

	if (c->free_head) {
		idx = c->free_head;
		n = node_at(map, idx);
		if (!n)
			return 0;
		c->free_head = n->child[0];
	} else if (c->next_unused < pool_size(map->max_entries)) {
		idx = ++c->next_unused;
		n = node_at(map, idx);
	} else {
		return 0;
	}
	n->child[0] = n->child[1] = 0;
	n->flags = 0;
	return idx;
}

static void free_node(struct uebpf_map *map, uint32_t idx)
{
	struct lpm_node *n = node_at(map, idx);

	n->child[1] = 0;
	n->flags = 0;
	n->child[0] = ctrl(map)->free_head;
	ctrl(map)->free_head = idx;
}

/* Lock held. */
static struct lpm_node *find_longest(struct uebpf_map *map, const struct lpm_key *k)
{
	struct lpm_node *n = node_at(map, ctrl(map)->root), *found = NULL;
	uint32_t max = max_prefixlen(map);

	while (n) {
		uint32_t m = match_len(map, n, k);

		if (m == max) {
			if (!(n->flags & LPM_INTERMEDIATE))
				found = n;
			break;
		}
		if (m < n->prefixlen)
			break;
		if (!(n->flags & LPM_INTERMEDIATE))
			found = n;
		n = node_at(map, n->child[extract_bit(k->data, n->prefixlen)]);
	}
	return found;
}

static void *lpm_lookup(struct uebpf_map *map, const void *key, int cpu)
{
	struct lpm_key k = read_key(key);
	struct lpm_node *n;

	(void)cpu;
	shm_lock(&ctrl(map)->lock);
	n = find_longest(map, &k);
	shm_unlock(&ctrl(map)->lock);
	return n ? node_value(map, n) : NULL;
}

static int lpm_lookup_copy(struct uebpf_map *map, const void *key, void *value,
			   struct uebpf_error *err)
{
	struct lpm_key k = read_key(key);
	struct lpm_node *n;

	shm_lock(&ctrl(map)->lock);
	n = find_longest(map, &k);
	if (n)
		memcpy(value, node_value(map, n), map->value_size);
	shm_unlock(&ctrl(map)->lock);
	if (!n)
		return uebpf_err(err, -ENOENT, "map '%s': no prefix matches", map->name);
	return 0;
}

static void fill_node(struct uebpf_map *map, struct lpm_node *n, const struct lpm_key *k,
		      const void *value)
{
	n->prefixlen = k->prefixlen;
	memcpy(node_data(n), k->data, data_size(map));
	memcpy(node_value(map, n), value, map->value_size);
}

static int lpm_update_locked(struct uebpf_map *map, const struct lpm_key *k, const void *value,
			     uint64_t flags, struct uebpf_error *err)
{
	struct lpm_ctrl *c = ctrl(map);
	uint32_t *slot = &c->root, max = max_prefixlen(map), m = 0, idx, im_idx;
	struct lpm_node *n, *fresh, *im;

	while ((n = node_at(map, *slot))) {
		m = match_len(map, n, k);
		if (n->prefixlen != m || n->prefixlen == k->prefixlen || n->prefixlen == max)
			break;
		slot = &n->child[extract_bit(k->data, n->prefixlen)];
	}
	if (n && n->prefixlen == k->prefixlen && m == n->prefixlen) {
		bool was_real = !(n->flags & LPM_INTERMEDIATE);

		if (was_real && flags == BPF_NOEXIST)
			return uebpf_err(err, -EEXIST, "map '%s': prefix exists (BPF_NOEXIST)", map->name);
		if (!was_real && flags == BPF_EXIST)
			return uebpf_err(err, -ENOENT, "map '%s': no such prefix (BPF_EXIST)", map->name);
		if (!was_real && c->n_entries >= map->max_entries)
			goto full;
		fill_node(map, n, k, value);
		if (!was_real) {
			n->flags &= ~LPM_INTERMEDIATE;
			c->n_entries++;
		}
		return 0;
	}
	if (flags == BPF_EXIST)
		return uebpf_err(err, -ENOENT, "map '%s': no such prefix (BPF_EXIST)", map->name);
	if (c->n_entries >= map->max_entries)
		goto full;
	idx = alloc_node(map);
	if (!idx)
		goto full;
	fresh = node_at(map, idx);
	fill_node(map, fresh, k, value);
	if (!n) {
		*slot = idx;
	} else if (m == k->prefixlen) {
		/* The new prefix covers the node: it becomes its parent. */
		fresh->child[extract_bit(node_data(n), m)] = *slot;
		*slot = idx;
	} else {
		/* They diverge at bit m: an intermediate node joins them. */
		im_idx = alloc_node(map);
		if (!im_idx) {
			free_node(map, idx);
			goto full;
		}
		im = node_at(map, im_idx);
		im->prefixlen = m;
		im->flags = LPM_INTERMEDIATE;
		memcpy(node_data(im), node_data(n), data_size(map));
		if (extract_bit(k->data, m)) {
			im->child[0] = *slot;
			im->child[1] = idx;
		} else {
			im->child[0] = idx;
			im->child[1] = *slot;
		}
		*slot = im_idx;
	}
	c->n_entries++;
	return 0;
full:
	return uebpf_err(err, -ENOSPC, "map '%s' is full (max_entries %u)", map->name,
			 map->max_entries);
}

static int lpm_update(struct uebpf_map *map, const void *key, const void *value, uint64_t flags,
		      int cpu, struct uebpf_error *err)
{
	struct lpm_key k = read_key(key);
	int ret;

	(void)cpu;
	ret = map_check_update_flags(map, flags, err);
	if (ret)
		return ret;
	if (k.prefixlen > max_prefixlen(map))
		return uebpf_err(err, -EINVAL, "map '%s': prefixlen %u above %u (key data is %u bytes)",
				 map->name, k.prefixlen, max_prefixlen(map), data_size(map));
	shm_lock(&ctrl(map)->lock);
	ret = lpm_update_locked(map, &k, value, flags, err);
	shm_unlock(&ctrl(map)->lock);
	return ret;
}

static int lpm_delete_locked(struct uebpf_map *map, const struct lpm_key *k)
{
	struct lpm_ctrl *c = ctrl(map);
	uint32_t *trim = &c->root, *trim2 = trim, m = 0, idx, parent_idx = 0;
	struct lpm_node *n, *parent = NULL;

	while ((n = node_at(map, *trim))) {
		m = match_len(map, n, k);
		if (n->prefixlen != m || n->prefixlen == k->prefixlen)
			break;
		parent = n;
		parent_idx = *trim;
		trim2 = trim;
		trim = &n->child[extract_bit(k->data, n->prefixlen)];
	}
	if (!n || n->prefixlen != k->prefixlen || n->prefixlen != m ||
	    (n->flags & LPM_INTERMEDIATE))
		return -ENOENT;
	idx = *trim;
	c->n_entries--;
	if (n->child[0] && n->child[1]) {
		n->flags |= LPM_INTERMEDIATE;
		return 0;
	}
	/* A leaf under an intermediate node: the intermediate node is no
	 * longer needed either, its other child takes its place. */
	if (parent && (parent->flags & LPM_INTERMEDIATE) && !n->child[0] && !n->child[1]) {
		*trim2 = parent->child[0] == idx ? parent->child[1] : parent->child[0];
		free_node(map, parent_idx);
		free_node(map, idx);
		return 0;
	}
	*trim = n->child[0] ? n->child[0] : n->child[1];
	free_node(map, idx);
	return 0;
}

static int lpm_delete(struct uebpf_map *map, const void *key, struct uebpf_error *err)
{
	struct lpm_key k = read_key(key);
	int ret;

	if (k.prefixlen > max_prefixlen(map))
		return uebpf_err(err, -EINVAL, "map '%s': prefixlen %u above %u", map->name,
				 k.prefixlen, max_prefixlen(map));
	shm_lock(&ctrl(map)->lock);
	ret = lpm_delete_locked(map, &k);
	shm_unlock(&ctrl(map)->lock);
	if (ret)
		return uebpf_err(err, ret, "map '%s': no such prefix", map->name);
	return 0;
}

#define LPM_DEPTH_MAX (8 * LPM_DATA_MAX + 2)

/* Post-order, as the kernel (more specific prefixes before the ones that
 * cover them). `path` holds the ancestors of the current node. */
static uint32_t descend_first(struct uebpf_map *map, uint32_t idx, uint32_t *path, int *depth)
{
	struct lpm_node *n;

	while ((n = node_at(map, idx)) && *depth < LPM_DEPTH_MAX) {
		uint32_t next = n->child[0] ? n->child[0] : n->child[1];

		if (!node_at(map, next))
			break;
		path[(*depth)++] = idx;
		idx = next;
	}
	return idx;
}

static uint32_t postorder_next(struct uebpf_map *map, uint32_t idx, uint32_t *path, int *depth)
{
	struct lpm_node *parent;

	if (*depth == 0)
		return 0;
	parent = node_at(map, path[*depth - 1]);
	if (parent->child[0] == idx && parent->child[1])
		return descend_first(map, parent->child[1], path, depth);
	return path[--(*depth)];
}

static int lpm_get_next_key(struct uebpf_map *map, const void *key, void *next_key,
			    struct uebpf_error *err)
{
	struct lpm_ctrl *c = ctrl(map);
	uint32_t path[LPM_DEPTH_MAX], idx = 0;
	struct lpm_node *n;
	bool found = false;
	int depth = 0;

	(void)err;
	shm_lock(&c->lock);
	if (key) {
		struct lpm_key k = read_key(key);

		/* The exact node; its ancestors go on the path. */
		idx = c->root;
		while ((n = node_at(map, idx)) && depth < LPM_DEPTH_MAX) {
			if (match_len(map, n, &k) < n->prefixlen || n->prefixlen > k.prefixlen)
				break;
			if (n->prefixlen == k.prefixlen) {
				found = !(n->flags & LPM_INTERMEDIATE);
				break;
			}
			path[depth++] = idx;
			idx = n->child[extract_bit(k.data, n->prefixlen)];
		}
	}
	if (found) {
		idx = postorder_next(map, idx, path, &depth);
	} else {
		/* No key, or one that is not there: start over, as the kernel. */
		depth = 0;
		idx = descend_first(map, c->root, path, &depth);
	}
	while ((n = node_at(map, idx)) && (n->flags & LPM_INTERMEDIATE))
		idx = postorder_next(map, idx, path, &depth);
	if (n) {
		memcpy(next_key, &n->prefixlen, 4);
		memcpy((uint8_t *)next_key + 4, node_data(n), data_size(map));
	}
	shm_unlock(&c->lock);
	return n ? 0 : -ENOENT;
}

static size_t lpm_value_regions(const struct uebpf_map *map, struct uebpf_region *out,
				size_t max)
{
	if (max > 0)
		out[0] = (struct uebpf_region){ .addr = map->base + map->layout.aux_off,
						.len = map->layout.aux_len };
	return 1;
}

const struct map_ops map_lpm_trie_ops = {
	.type = BPF_MAP_TYPE_LPM_TRIE,
	.name = "lpm_trie",
	.allowed_flags = BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY |
			 BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG,
	.check = lpm_check,
	.layout = lpm_layout,
	.lookup = lpm_lookup,
	.lookup_copy = lpm_lookup_copy,
	.update = lpm_update,
	.delete = lpm_delete,
	.get_next_key = lpm_get_next_key,
	.value_regions = lpm_value_regions,
};

/* SPDX-License-Identifier: MIT */
/*
 * Packet helpers: bpf_xdp_adjust_head, bpf_xdp_adjust_tail,
 * bpf_xdp_adjust_meta (on the run's struct pkt_xdp_buff, src/helpers/
 * pkt_ctx.h), bpf_csum_diff, and bpf_redirect / bpf_redirect_map (which
 * record their target in the run's struct pkt_redirect).
 *
 * The XDP helpers act only on the buffer the hook handed to the run: r1 must
 * be the context built from it, otherwise they return -EINVAL. Limits and
 * return values are the kernel's (net/core/filter.c): the head may move
 * within [hard_start + reserved + metadata, data_end - 14], the tail within
 * [data + 14, hard_end] (grown bytes are zeroed), metadata must stay a
 * multiple of 4 of at most 32 bytes (-EACCES) in the headroom (-EINVAL),
 * and drivers without metadata give -ENOTSUPP (524).
 */
#include <errno.h>
#include <string.h>

#include "helpers/helpers_internal.h"
#include "helpers/pkt_ctx.h"
#include "maps/map_internal.h"

#define KERNEL_ENOTSUPP 524        /* the kernel-internal ENOTSUPP */
#define XDP_ACTION_MASK 3ull       /* XDP_ABORTED | XDP_DROP | XDP_PASS | XDP_TX */
#define TC_ACT_SHOT_ 2
#define TC_ACT_REDIRECT_ 7
#define CSUM_DIFF_MAX 512          /* the kernel's scratch buffer, in bytes */

static struct pkt_xdp_buff *xdp_of(struct uebpf_run_ctx *rc, uint64_t ctx)
{
	struct pkt_xdp_buff *x = rc->xdp;

	return x && ctx == (uintptr_t)&x->md ? x : NULL;
}

static uintptr_t metalen_of(const struct pkt_xdp_buff *x)
{
	return x->meta_supported ? (uintptr_t)x->data - (uintptr_t)x->data_meta : 0;
}

/* bpf_xdp_adjust_head(ctx, delta): moves data by delta (negative: grows
 * the packet at the front), carrying the metadata along. */
HELPER_FN(helper_xdp_adjust_head)
{
	struct pkt_xdp_buff *x = xdp_of(rc, r1);
	int32_t delta = (int32_t)r2;
	uintptr_t metalen, data_start, data;

	(void)r3, (void)r4, (void)r5;
	if (!x)
		return (uint64_t)(int64_t)-EINVAL;
	metalen = metalen_of(x);
	data_start = (uintptr_t)x->hard_start + x->reserved + metalen;
	data = (uintptr_t)x->data + (uintptr_t)(intptr_t)delta;
	if (data < data_start || data > (uintptr_t)x->data_end - PKT_ETH_HLEN ||
	    (delta < 0 && data > (uintptr_t)x->data) || (delta > 0 && data < (uintptr_t)x->data))
		return (uint64_t)(int64_t)-EINVAL;
	if (metalen)
		memmove((uint8_t *)(data - metalen), x->data_meta, metalen);
	x->data_meta = (uint8_t *)((uintptr_t)x->data_meta + (uintptr_t)(intptr_t)delta);
	x->data = (uint8_t *)data;
	pkt_xdp_sync_md(x);
	return 0;
}

/* bpf_xdp_adjust_tail(ctx, delta): moves data_end by delta. */
HELPER_FN(helper_xdp_adjust_tail)
{
	struct pkt_xdp_buff *x = xdp_of(rc, r1);
	int32_t delta = (int32_t)r2;
	uintptr_t end;

	(void)r3, (void)r4, (void)r5;
	if (!x)
		return (uint64_t)(int64_t)-EINVAL;
	end = (uintptr_t)x->data_end + (uintptr_t)(intptr_t)delta;
	if ((delta < 0 && end > (uintptr_t)x->data_end) ||
	    (delta > 0 && end < (uintptr_t)x->data_end))
		return (uint64_t)(int64_t)-EINVAL;
	if (end > (uintptr_t)x->hard_end)
		return (uint64_t)(int64_t)-EINVAL;
	if (end < (uintptr_t)x->data + PKT_ETH_HLEN)
		return (uint64_t)(int64_t)-EINVAL;
	if (delta > 0)
		memset(x->data_end, 0, (size_t)delta);
	x->data_end = (uint8_t *)end;
	pkt_xdp_sync_md(x);
	return 0;
}

/* bpf_xdp_adjust_meta(ctx, delta): moves data_meta by delta. */
HELPER_FN(helper_xdp_adjust_meta)
{
	struct pkt_xdp_buff *x = xdp_of(rc, r1);
	int32_t delta = (int32_t)r2;
	uintptr_t meta, metalen;

	(void)r3, (void)r4, (void)r5;
	if (!x)
		return (uint64_t)(int64_t)-EINVAL;
	if (!x->meta_supported)
		return (uint64_t)(int64_t)-KERNEL_ENOTSUPP;
	meta = (uintptr_t)x->data_meta + (uintptr_t)(intptr_t)delta;
	if ((delta < 0 && meta > (uintptr_t)x->data_meta) ||
	    (delta > 0 && meta < (uintptr_t)x->data_meta))
		return (uint64_t)(int64_t)-EINVAL;
	if (meta < (uintptr_t)x->hard_start + x->reserved || meta > (uintptr_t)x->data)
		return (uint64_t)(int64_t)-EINVAL;
	metalen = (uintptr_t)x->data - meta;
	if ((metalen & 3) || metalen > PKT_META_MAX)
		return (uint64_t)(int64_t)-EACCES;
	x->data_meta = (uint8_t *)meta;
	pkt_xdp_sync_md(x);
	return 0;
}

/* bpf_csum_diff(from, from_size, to, to_size, seed): the 32-bit one's
 * complement sum of seed, the complement of every 32-bit word of `from`
 * and every word of `to` (words read in host order, as the kernel's
 * csum_partial on x86). Sizes must be multiples of 4 adding up to at most
 * 512 bytes, else -EINVAL. */
HELPER_FN(helper_csum_diff)
{
	uint32_t from_size = (uint32_t)r2, to_size = (uint32_t)r4, i, w;
	uint64_t sum = (uint32_t)r5;

	if (((from_size | to_size) & 3) || (uint64_t)from_size + to_size > CSUM_DIFF_MAX)
		return (uint64_t)(int64_t)-EINVAL;
	if (!helper_mem_ok(rc, r1, from_size, false) || !helper_mem_ok(rc, r3, to_size, false))
		return (uint64_t)(int64_t)run_ctx_fail(rc, -EFAULT,
			"bpf_csum_diff: from [0x%llx, +%u) or to [0x%llx, +%u) is not memory the "
			"program may read", (unsigned long long)r1, from_size,
			(unsigned long long)r3, to_size);
	for (i = 0; i < from_size; i += 4) {
		memcpy(&w, (const uint8_t *)helper_ptr(r1) + i, 4);
		sum += (uint32_t)~w;
	}
	for (i = 0; i < to_size; i += 4) {
		memcpy(&w, (const uint8_t *)helper_ptr(r3) + i, 4);
		sum += w;
	}
	while (sum >> 32)
		sum = (sum & 0xffffffffu) + (sum >> 32);
	return sum;
}

static struct pkt_redirect *redirect_of(struct uebpf_run_ctx *rc)
{
	if (rc->redirect)
		return rc->redirect;
	return rc->xdp ? &rc->xdp->redirect : NULL;
}

static void record(struct uebpf_run_ctx *rc, uint32_t ifindex, uint64_t flags,
		   const struct uebpf_map *map, uint64_t key)
{
	struct pkt_redirect *r = redirect_of(rc);

	if (!r)
		return;
	r->set = true;
	r->ifindex = ifindex;
	r->flags = flags;
	r->map = map;
	r->key = key;
}

/* XDP's bpf_redirect(ifindex, flags): XDP_REDIRECT, or XDP_ABORTED for
 * any flag. */
HELPER_FN(helper_xdp_redirect)
{
	(void)r3, (void)r4, (void)r5;
	if (r2)
		return XDP_ABORTED;
	record(rc, (uint32_t)r1, 0, NULL, 0);
	return XDP_REDIRECT;
}

/* tc's bpf_redirect(ifindex, flags): TC_ACT_REDIRECT, or TC_ACT_SHOT for
 * flags other than BPF_F_INGRESS. */
HELPER_FN(helper_skb_redirect)
{
	(void)r3, (void)r4, (void)r5;
	if (r2 & ~(uint64_t)BPF_F_INGRESS)
		return TC_ACT_SHOT_;
	record(rc, (uint32_t)r1, r2, NULL, 0);
	return TC_ACT_REDIRECT_;
}

/* bpf_redirect_map(map, key, flags), the kernel's way for devmaps: the
 * key is a u32; when the devmap holds it, the run records the entry's
 * ifindex and the helper returns XDP_REDIRECT; when not, it returns the
 * action in the low two bits of flags (BPF_F_BROADCAST redirects anyway,
 * to no single ifindex). XDP_ABORTED for unknown flags. The verifier
 * admits only devmaps (cpumap and xskmap cannot be created); unverified
 * runs may still pass another map with 4-byte keys whose value starts with
 * an ifindex, which stands in for a devmap as before devmaps existed. */
HELPER_FN(helper_redirect_map)
{
	struct uebpf_map *map = helper_map(rc, r1);
	uint32_t key = (uint32_t)r2, ifindex = 0;
	const void *value = NULL;
	uint32_t type;

	(void)r4, (void)r5;
	if (!map)
		return (uint64_t)(int64_t)run_ctx_fail(rc, -EINVAL,
			"bpf_redirect_map: r1 = 0x%llx is not a map the program references",
			(unsigned long long)r1);
	if (r3 & ~(XDP_ACTION_MASK | BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS))
		return XDP_ABORTED;
	type = uebpf_map_type(map);
	if (type == BPF_MAP_TYPE_DEVMAP || type == BPF_MAP_TYPE_DEVMAP_HASH ||
	    (map->key_size == sizeof(key) && map->value_size >= sizeof(ifindex)))
		value = map_lookup_elem(map, &key);
	if (!value && !(r3 & BPF_F_BROADCAST))
		return r3 & XDP_ACTION_MASK;
	if (value)
		memcpy(&ifindex, value, sizeof(ifindex));
	record(rc, ifindex, r3, map, key);
	return XDP_REDIRECT;
}

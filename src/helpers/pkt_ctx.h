/* SPDX-License-Identifier: MIT */
/*
 * The packet a packet program runs on, as the packet helpers
 * (bpf_xdp_adjust_head/tail/meta, bpf_redirect*) see it: the counterpart of
 * the kernel's struct xdp_buff. A hook (test-run, an XDP attach point) fills
 * one, builds the program's context (struct xdp_md) from it, and passes it
 * to the run in prog_run_extra.xdp; after the run it reads back where data,
 * data_end and data_meta ended up and whether the program redirected.
 *
 * Memory layout of the frame (all in one buffer the hook owns):
 *
 *   hard_start                data_meta  data         data_end       hard_end
 *   |<- reserved ->|  ...      |<- meta ->|<- packet ->|   tailroom    |
 *
 * `reserved` is what the kernel keeps for its struct xdp_frame at the head
 * of the headroom: bpf_xdp_adjust_head/meta never move data below
 * hard_start + reserved. hard_end is what bpf_xdp_adjust_tail may grow to
 * (the kernel keeps room for skb_shared_info after it; the hook decides).
 */
#ifndef UEBPF_HELPERS_PKT_CTX_H
#define UEBPF_HELPERS_PKT_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/bpf.h>

/* The kernel's minimum: a packet keeps at least an Ethernet header. */
#define PKT_ETH_HLEN 14
/* Metadata length rules of the kernel: a multiple of 4, at most 32. */
#define PKT_META_MAX 32
/* sizeof(struct xdp_frame) on x86-64 Linux 6.x: headroom the kernel keeps. */
#define PKT_XDP_FRAME_RESERVED 40

/* Where bpf_redirect / bpf_redirect_map sent the packet (the kernel's
 * per-CPU bpf_redirect_info). The hook zeroes it before the run. */
struct pkt_redirect {
	bool set;                 /* a redirect helper succeeded */
	uint32_t ifindex;         /* bpf_redirect target, or the map value */
	uint64_t flags;
	const struct uebpf_map *map;   /* bpf_redirect_map: the map, else NULL */
	uint64_t key;             /* bpf_redirect_map: the key */
};

struct pkt_xdp_buff {
	/* What the program sees: r1 points here. The hook keeps it in sync
	 * (helpers update data/data_end/data_meta after moving them). The
	 * fields are 32 bits, so the frame must lie below 4 GiB (the hook
	 * maps it with MAP_32BIT) for them to hold the real addresses. */
	struct xdp_md md;
	uint8_t *hard_start;
	uint8_t *hard_end;
	uint32_t reserved;        /* PKT_XDP_FRAME_RESERVED normally */
	uint8_t *data_meta;       /* == data when there is no metadata */
	uint8_t *data;
	uint8_t *data_end;
	/* False for drivers without metadata support: adjust_meta fails. */
	bool meta_supported;
	struct pkt_redirect redirect;
};

/* Copies the pointers into the program-visible struct xdp_md. */
static inline void pkt_xdp_sync_md(struct pkt_xdp_buff *x)
{
	x->md.data = (uint32_t)(uintptr_t)x->data;
	x->md.data_end = (uint32_t)(uintptr_t)x->data_end;
	x->md.data_meta = (uint32_t)(uintptr_t)x->data_meta;
}

#endif

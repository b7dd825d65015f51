/* SPDX-License-Identifier: MIT */
/*
 * Test runs (include/uebpf/test_run.h), split by what the program runs on:
 * testrun.c checks options and times the runs, frame.c maps packet frames
 * below 4 GiB, xdp.c and skb.c build the kernel's packet contexts, mem.c
 * the raw and plain-memory ones.
 */
#ifndef UEBPF_TESTRUN_INTERNAL_H
#define UEBPF_TESTRUN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "prog/prog.h"
#include "progtypes/progtypes.h"
#include "uebpf/test_run.h"

/* The kernel's frame sizes (net/bpf/test_run.c on x86-64). */
#define TR_PAGE_SIZE 4096u
#define TR_XDP_HEADROOM 256u            /* XDP_PACKET_HEADROOM */
#define TR_SKB_HEADROOM 64u             /* NET_SKB_PAD + NET_IP_ALIGN */
#define TR_TAILROOM 320u                /* SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) */
#define TR_ETH_HLEN 14u
#define TR_LOOPBACK_IFINDEX 1u

/* A packet frame the context's 32-bit data fields can point into. */
struct tr_frame {
	uint8_t *base;
	size_t len;
};

int tr_frame_map(struct tr_frame *frame, size_t len, struct uebpf_error *err);
void tr_frame_unmap(struct tr_frame *frame);

/* One test run's program invocation: what every per-type builder hands to
 * tr_run_repeat. */
struct tr_invocation {
	void *ctx;                         /* r1 */
	size_t ctx_len;                    /* r2 (and the checked region of r1) */
	bool ctx_writable;
	struct uebpf_region regions[2];    /* packet frame etc. for checked runs */
	size_t nr_regions;
	struct prog_run_extra extra;
};

/* Runs the program opts->repeat times (at least once) with `inv`, storing
 * r0/retval and the mean duration in `opts`. */
int tr_run_repeat(const struct uebpf_prog *prog, struct uebpf_test_run_opts *opts,
		  const struct tr_invocation *inv, struct uebpf_error *err);

/* Copies `len` bytes of output into opts->data_out (as far as it fits) and
 * sets data_size_out; returns 0 or -ENOSPC. Same for the context. */
int tr_finish_data(struct uebpf_test_run_opts *opts, const void *data, size_t len,
		   struct uebpf_error *err);
int tr_finish_ctx(struct uebpf_test_run_opts *opts, const void *ctx, size_t len,
		  struct uebpf_error *err);

/* Reads ctx_in into `ctx` (zeroed first; `len` bytes): -E2BIG when it is
 * longer and the excess is not zero, as bpf_check_uarg_tail_zero. */
int tr_read_ctx_in(const struct uebpf_test_run_opts *opts, void *ctx, size_t len,
		   const char *ctx_name, struct uebpf_error *err);

/* Per-type runs. */
int tr_run_xdp(const struct uebpf_prog *prog, const struct progtype_desc *desc,
	       struct uebpf_test_run_opts *opts, struct uebpf_error *err);
int tr_run_skb(const struct uebpf_prog *prog, const struct progtype_desc *desc,
	       struct uebpf_test_run_opts *opts, struct uebpf_error *err);
int tr_run_raw(const struct uebpf_prog *prog, struct uebpf_test_run_opts *opts,
	       struct uebpf_error *err);
int tr_run_ctx_mem(const struct uebpf_prog *prog, const struct progtype_desc *desc,
		   struct uebpf_test_run_opts *opts, struct uebpf_error *err);

#endif

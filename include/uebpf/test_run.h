/* SPDX-License-Identifier: MIT */
/*
 * Test runs: a program run on given input the way the kernel's
 * BPF_PROG_TEST_RUN (bpf_prog_test_run_opts in libbpf) runs it, so results
 * can be compared with the kernel's byte for byte. See docs/test-run.md.
 *
 * What the program gets, by program type (the context layout is the one the
 * verifier checks, src/progtypes):
 *
 *  xdp            struct xdp_md over a one-page frame: 256 bytes of headroom
 *                 (metadata, bpf_xdp_adjust_head/meta), the packet, room to
 *                 grow up to 4096 - 320 bytes from the frame start
 *                 (bpf_xdp_adjust_tail). ingress_ifindex 1 (loopback),
 *                 rx_queue_index 0 unless ctx_in says otherwise. data_out is
 *                 data_meta..data_end after the run.
 *  sched_cls,     struct __sk_buff of the packet as an skb received on the
 *  sched_act      loopback device: len, protocol (Ethernet type, network
 *                 order), pkt_type from the destination MAC, ifindex 1,
 *                 data/data_end/data_meta at the Ethernet header; mark,
 *                 priority, cb[], ingress_ifindex, ifindex, tstamp, wire_len,
 *                 gso_segs/gso_size, hwtstamp from ctx_in.
 *  socket_filter  the same skb after the Ethernet header was pulled (as
 *                 eth_type_trans leaves it): len and legacy packet loads
 *                 (ld_abs, bpf_skb_load_bytes) start at the network header;
 *                 data_out has the 14 Ethernet bytes zeroed, as the kernel's.
 *  raw            r1 = a copy of data_in, r2 = its length; data_out is that
 *                 buffer after the run.
 *  others         r1 = ctx_in (or data_in) zero-padded to the type's context
 *                 size (tracepoint record, pt_regs, u64 argument array).
 *
 * Packet frames are mapped below 4 GiB because the context's data fields are
 * 32 bits wide and hold the real addresses.
 */
#ifndef UEBPF_TEST_RUN_H
#define UEBPF_TEST_RUN_H

#include "uebpf/uebpf.h"

#ifdef __cplusplus
extern "C" {
#endif

struct uebpf_test_run_opts {
	size_t sz;
	/* enum bpf_prog_type or UEBPF_PROG_TYPE_RAW (<uebpf/verifier.h>);
	 * 0: the type the verifier accepted the program for, else raw. */
	uint32_t prog_type;
	/* enum bpf_attach_type the program was written for (the object's
	 * uebpf_object_prog_expected_attach_type). As the kernel: XDP programs
	 * for devmap or cpumap entries (BPF_XDP_DEVMAP, BPF_XDP_CPUMAP) have no
	 * test runs. */
	uint32_t expected_attach_type;

	/* Input packet (or raw memory). Packet types need at least 14 bytes
	 * (an Ethernet header) and at most what fits the frame (xdp: 3520
	 * bytes minus metadata, skb: 3712), as the kernel. */
	const void *data_in;
	size_t data_size_in;
	/* Output data: at most data_size_out bytes are copied to data_out
	 * (when not NULL); on return data_size_out holds the full size, and
	 * -ENOSPC says it did not fit (the rest of the results are valid). */
	void *data_out;
	size_t data_size_out;

	/* Context in and out (struct xdp_md, struct __sk_buff, ...), with the
	 * kernel's rules: fields the kernel does not take from ctx_in must be
	 * zero (-EINVAL), bytes past the struct must be zero (-E2BIG). xdp:
	 * data = metadata length (a multiple of 4, at most 32: the first bytes
	 * of data_in are metadata), data_end = data_size_in, data_meta = 0,
	 * egress_ifindex = 0 (also when only ctx_out is given). ctx_out gets
	 * what the kernel writes back; ctx_size_out is its capacity, set to
	 * the struct's size on return (-ENOSPC when it did not fit). */
	const void *ctx_in;
	size_t ctx_size_in;
	void *ctx_out;
	size_t ctx_size_out;

	/* Runs: 0 or 1: once. Later runs see what earlier ones left (packet
	 * moves, context writes), as in the kernel; retval is the last one's. */
	uint32_t repeat;
	enum uebpf_engine engine;
	uint32_t run_flags;          /* enum uebpf_run_flags (UEBPF_RUN_UNCHECKED) */
	uint64_t insn_budget;        /* per run, 0: the library's default */
	/* Trace output (bpf_printk), timers; may be NULL. Borrowed. */
	struct uebpf_env *env;

	/* Results. */
	uint32_t retval;             /* r0 truncated to 32 bits, as the kernel reports it */
	uint64_t r0;                 /* all of r0 */
	uint64_t duration_ns;        /* mean wall time per run */
	/* xdp / tc: the program's last bpf_redirect* call succeeded. */
	bool redirected;
	uint32_t redirect_ifindex;   /* its target (ifindex or map value key) */
};
#define UEBPF_TEST_RUN_OPTS_SZ_LAST offsetof(struct uebpf_test_run_opts, redirect_ifindex)

/* Runs `prog` as BPF_PROG_TEST_RUN would. Returns 0 (or -ENOSPC, see
 * data_out/ctx_out) with the results in `opts`; -EINVAL/-E2BIG for input the
 * kernel refuses, -EOPNOTSUPP for a program type without test runs, or the
 * run's error (a fault in a checked run, named by instruction). */
int uebpf_prog_test_run(const struct uebpf_prog *prog, struct uebpf_test_run_opts *opts,
			struct uebpf_error *err);

#ifdef __cplusplus
}
#endif
#endif /* UEBPF_TEST_RUN_H */

/* SPDX-License-Identifier: MIT */
/*
 * uebpf_prog_test_run: the contexts each program type sees (values the
 * kernel's BPF_PROG_TEST_RUN gives, see tests/kparity for the comparison
 * with a real kernel), output data and context, packet helpers, repeats,
 * and the inputs the kernel refuses.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/bpf.h>

#include "uebpf/asm.h"
#include "uebpf/helpers.h"
#include "uebpf/test_run.h"
#include "uebpf/verifier.h"

#define XDP(f) ((int)offsetof(struct xdp_md, f))
#define SKB(f) ((int)offsetof(struct __sk_buff, f))

/* Ethernet (to 00:..:00, the loopback address) + IPv4/UDP to port 53. */
static const uint8_t udp4[] = {
	0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
	0x45, 0, 0, 28, 0, 1, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
	0x9c, 0x40, 0, 53, 0, 8, 0, 0,
};

struct loaded {
	struct uebpf_prog *prog;
	struct uebpf_helper_set *helpers;
};

/* Assembles `fmt` (printf-style, to insert offsets) and loads it with the
 * Linux helpers of `type`. */
static struct loaded load(uint32_t type, const char *fmt, ...)
{
	struct uebpf_prog_opts opts = { .sz = sizeof(opts), .name = "t" };
	struct uebpf_error err = { 0 };
	struct loaded l = { 0 };
	struct bpf_insn *insns;
	char text[2048];
	size_t cnt;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (uebpf_asm(text, &insns, &cnt, &err))
		fail_msg("assembly: %s\n%s", err.msg, text);
	if (uebpf_helper_set_create_linux(type, &l.helpers, &err))
		fail_msg("helper set: %s", err.msg);
	opts.helpers = l.helpers;
	if (uebpf_prog_load(insns, cnt, &opts, &l.prog, &err))
		fail_msg("load: %s", err.msg);
	free(insns);
	return l;
}

static void unload(struct loaded *l)
{
	uebpf_prog_destroy(l->prog);
	uebpf_helper_set_destroy(l->helpers);
}

static struct uebpf_test_run_opts packet_opts(uint32_t type, const void *data, size_t len,
					      void *out, size_t out_cap)
{
	struct uebpf_test_run_opts o = { .sz = sizeof(o), .prog_type = type };

	o.data_in = data;
	o.data_size_in = len;
	o.data_out = out;
	o.data_size_out = out_cap;
	return o;
}

/* ------------------------------------------------------------------- xdp */

/* r0 = len | ingress_ifindex << 16 | rx_queue_index << 24 | metadata len << 32 */
static const char xdp_fields_asm[] =
	"ldxw %%r2, [%%r1+%d]\n ldxw %%r3, [%%r1+%d]\n ldxw %%r4, [%%r1+%d]\n"
	"mov %%r0, %%r3\n sub %%r0, %%r2\n"
	"ldxw %%r5, [%%r1+%d]\n lsh %%r5, 16\n or %%r0, %%r5\n"
	"ldxw %%r6, [%%r1+%d]\n lsh %%r6, 24\n or %%r0, %%r6\n"
	"mov %%r7, %%r2\n sub %%r7, %%r4\n lsh %%r7, 32\n or %%r0, %%r7\n exit\n";

static void xdp_context_default(void **state)
{
	struct loaded l = load(BPF_PROG_TYPE_XDP, xdp_fields_asm, XDP(data), XDP(data_end),
			       XDP(data_meta), XDP(ingress_ifindex), XDP(rx_queue_index));
	uint8_t out[256];
	struct uebpf_test_run_opts o = packet_opts(BPF_PROG_TYPE_XDP, udp4, sizeof(udp4), out,
						   sizeof(out));
	struct uebpf_error err = { 0 };

	(void)state;
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), 0);
	/* The loopback device's queue 0, no metadata. */
	assert_int_equal(o.r0, sizeof(udp4) | 1u << 16);
	assert_int_equal(o.retval, (uint32_t)o.r0);
	assert_int_equal(o.data_size_out, sizeof(udp4));
	assert_memory_equal(out, udp4, sizeof(udp4));
	unload(&l);
}

static void xdp_context_in_and_out(void **state)
{
	struct loaded l = load(BPF_PROG_TYPE_XDP, xdp_fields_asm, XDP(data), XDP(data_end),
			       XDP(data_meta), XDP(ingress_ifindex), XDP(rx_queue_index));
	struct xdp_md in = { .data = 8, .data_end = sizeof(udp4), .ingress_ifindex = 5,
			     .rx_queue_index = 2 }, out_md;
	uint8_t out[256];
	struct uebpf_test_run_opts o = packet_opts(BPF_PROG_TYPE_XDP, udp4, sizeof(udp4), out,
						   sizeof(out));
	struct uebpf_error err = { 0 };

	(void)state;
	o.ctx_in = &in;
	o.ctx_size_in = sizeof(in);
	o.ctx_out = &out_md;
	o.ctx_size_out = sizeof(out_md);
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), 0);
	/* The first 8 bytes of the input are metadata. */
	assert_int_equal(o.r0, (sizeof(udp4) - 8) | 5u << 16 | 2u << 24 | 8ull << 32);
	assert_int_equal(o.data_size_out, sizeof(udp4));
	assert_int_equal(o.ctx_size_out, sizeof(out_md));
	assert_int_equal(out_md.data, 8);
	assert_int_equal(out_md.data_end, sizeof(udp4));
	assert_int_equal(out_md.ingress_ifindex, 5);
	unload(&l);
}

static void xdp_refused_contexts(void **state)
{
	struct loaded l = load(BPF_PROG_TYPE_XDP, "mov %%r0, 2\n exit\n");
	struct uebpf_error err = { 0 };
	struct xdp_md md, out_md;
	uint8_t big[4000] = { 0 }, out[64];
	struct uebpf_test_run_opts o;

	(void)state;
	/* data_meta must be 0, data_end the input size, metadata 4-aligned <= 32. */
	const struct xdp_md bad[] = {
		{ .data_meta = 4, .data_end = sizeof(udp4) },
		{ .data_end = 10 },
		{ .data = 6, .data_end = sizeof(udp4) },
		{ .data = 36, .data_end = sizeof(udp4) },
		{ .data_end = sizeof(udp4), .egress_ifindex = 1 },
		{ .data_end = sizeof(udp4), .rx_queue_index = 1 },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		md = bad[i];
		o = packet_opts(BPF_PROG_TYPE_XDP, udp4, sizeof(udp4), out, sizeof(out));
		o.ctx_in = &md;
		o.ctx_size_in = sizeof(md);
		assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), -EINVAL);
	}
	/* ctx_out alone means a zeroed ctx_in, whose data_end is wrong. */
	o = packet_opts(BPF_PROG_TYPE_XDP, udp4, sizeof(udp4), out, sizeof(out));
	o.ctx_out = &out_md;
	o.ctx_size_out = sizeof(out_md);
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "data_end"));
	/* Shorter than an Ethernet header, longer than a frame. */
	o = packet_opts(BPF_PROG_TYPE_XDP, udp4, 13, out, sizeof(out));
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), -EINVAL);
	o = packet_opts(BPF_PROG_TYPE_XDP, big, sizeof(big), NULL, 0);
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), -EOPNOTSUPP);
	/* Devmap programs have no test runs. */
	o = packet_opts(BPF_PROG_TYPE_XDP, udp4, sizeof(udp4), out, sizeof(out));
	o.expected_attach_type = BPF_XDP_DEVMAP;
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), -EINVAL);
	/* Bytes past the struct must be zero. */
	{
		uint8_t longer[sizeof(struct xdp_md) + 4] = { 0 };
		struct xdp_md *m = (struct xdp_md *)longer;

		m->data_end = sizeof(udp4);
		longer[sizeof(struct xdp_md) + 1] = 1;
		o = packet_opts(BPF_PROG_TYPE_XDP, udp4, sizeof(udp4), out, sizeof(out));
		o.ctx_in = longer;
		o.ctx_size_in = sizeof(longer);
		assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), -E2BIG);
	}
	unload(&l);
}

static void xdp_writes_and_helpers(void **state)
{
	struct loaded w = load(BPF_PROG_TYPE_XDP,
			       "ldxw %%r2, [%%r1+%d]\n mov %%r3, 0xaa\n stxb [%%r2+0], %%r3\n"
			       "mov %%r0, 2\n exit\n", XDP(data));
	/* bpf_xdp_adjust_head(ctx, 14), bpf_xdp_adjust_tail(ctx, -4),
	 * bpf_xdp_adjust_meta(ctx, -8) */
	struct loaded h = load(BPF_PROG_TYPE_XDP,
			       "mov %%r6, %%r1\n mov %%r2, 14\n call %d\n jne %%r0, 0, +8\n"
			       "mov %%r1, %%r6\n mov %%r2, -4\n call %d\n jne %%r0, 0, +4\n"
			       "mov %%r1, %%r6\n mov %%r2, -8\n call %d\n ja +1\n"
			       "mov %%r0, 99\n exit\n", BPF_FUNC_xdp_adjust_head,
			       BPF_FUNC_xdp_adjust_tail, BPF_FUNC_xdp_adjust_meta);
	uint8_t out[256];
	struct uebpf_test_run_opts o = packet_opts(BPF_PROG_TYPE_XDP, udp4, sizeof(udp4), out,
						   sizeof(out));
	struct uebpf_error err = { 0 };
	size_t len = sizeof(udp4) - 14 - 4;

	(void)state;
	assert_int_equal(uebpf_prog_test_run(w.prog, &o, &err), 0);
	assert_int_equal(o.retval, XDP_PASS);
	assert_int_equal(out[0], 0xaa);
	assert_memory_equal(out + 1, udp4 + 1, sizeof(udp4) - 1);

	o = packet_opts(BPF_PROG_TYPE_XDP, udp4, sizeof(udp4), out, sizeof(out));
	if (uebpf_prog_test_run(h.prog, &o, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(o.retval, 0);
	/* data_out starts at the metadata: 8 bytes of headroom, then the
	 * packet without its Ethernet header and last 4 bytes. */
	assert_int_equal(o.data_size_out, 8 + len);
	assert_memory_equal(out + 8, udp4 + 14, len);
	unload(&w);
	unload(&h);
}

static void data_out_too_small(void **state)
{
	struct loaded l = load(BPF_PROG_TYPE_XDP, "mov %%r0, 2\n exit\n");
	uint8_t out[16];
	struct uebpf_test_run_opts o = packet_opts(BPF_PROG_TYPE_XDP, udp4, sizeof(udp4), out,
						   sizeof(out));
	struct uebpf_error err = { 0 };

	(void)state;
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), -ENOSPC);
	assert_int_equal(o.data_size_out, sizeof(udp4));
	assert_int_equal(o.retval, XDP_PASS);
	assert_memory_equal(out, udp4, sizeof(out));
	unload(&l);
}

static void checked_run_fault(void **state)
{
	struct loaded l = load(BPF_PROG_TYPE_XDP,
			       "ldxw %%r2, [%%r1+%d]\n ldxb %%r0, [%%r2+8000]\n exit\n", XDP(data));
	struct uebpf_test_run_opts o = packet_opts(BPF_PROG_TYPE_XDP, udp4, sizeof(udp4), NULL, 0);
	struct uebpf_error err = { 0 };

	(void)state;
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), -EFAULT);
	assert_non_null(strstr(err.msg, "insn 1"));
	unload(&l);
}

/* ------------------------------------------------------------------- skb */

/* r0 = len | protocol << 32 | pkt_type << 48 | ifindex << 56; mark = 42 */
static const char skb_fields_asm[] =
	"ldxw %%r0, [%%r1+%d]\n ldxw %%r2, [%%r1+%d]\n lsh %%r2, 32\n or %%r0, %%r2\n"
	"ldxw %%r3, [%%r1+%d]\n lsh %%r3, 48\n or %%r0, %%r3\n"
	"ldxw %%r4, [%%r1+%d]\n lsh %%r4, 56\n or %%r0, %%r4\n"
	"mov %%r5, 42\n stxw [%%r1+%d], %%r5\n exit\n";

static void tc_context(void **state)
{
	struct loaded l = load(BPF_PROG_TYPE_SCHED_CLS, skb_fields_asm, SKB(len), SKB(protocol),
			       SKB(pkt_type), SKB(ifindex), SKB(mark));
	struct __sk_buff in = { .mark = 7, .priority = 3, .cb = { 1, 2, 3, 4, 5 } }, out_skb;
	uint8_t out[256], pkt[sizeof(udp4)];
	struct uebpf_test_run_opts o;
	struct uebpf_error err = { 0 };

	(void)state;
	o = packet_opts(BPF_PROG_TYPE_SCHED_CLS, udp4, sizeof(udp4), out, sizeof(out));
	o.ctx_in = &in;
	o.ctx_size_in = sizeof(in);
	o.ctx_out = &out_skb;
	o.ctx_size_out = sizeof(out_skb);
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), 0);
	/* tc sees the whole frame; protocol in network order; PACKET_HOST. */
	assert_int_equal(o.r0, sizeof(udp4) | 0x0008ull << 32 | 0ull << 48 | 1ull << 56);
	assert_int_equal(o.data_size_out, sizeof(udp4));
	assert_memory_equal(out, udp4, sizeof(udp4));
	assert_int_equal(out_skb.mark, 42);
	assert_int_equal(out_skb.priority, 3);
	assert_int_equal(out_skb.cb[4], 5);
	assert_int_equal(out_skb.ifindex, 1);
	assert_int_equal(out_skb.wire_len, sizeof(udp4));
	assert_int_equal(out_skb.len, 0);      /* not written back by the kernel */

	/* Broadcast and other hosts' addresses. */
	memcpy(pkt, udp4, sizeof(pkt));
	memset(pkt, 0xff, 6);
	o = packet_opts(BPF_PROG_TYPE_SCHED_CLS, pkt, sizeof(pkt), NULL, 0);
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), 0);
	assert_int_equal((o.r0 >> 48) & 0xff, 1);   /* PACKET_BROADCAST */
	pkt[0] = 0x02;
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), 0);
	assert_int_equal((o.r0 >> 48) & 0xff, 3);   /* PACKET_OTHERHOST */
	unload(&l);
}

static void socket_filter_sees_l3(void **state)
{
	/* r0 = first byte at ld_abs offset 0 | len << 8 */
	struct loaded l = load(BPF_PROG_TYPE_SOCKET_FILTER,
			       "mov %%r6, %%r1\n ldabsb 0\n ldxw %%r2, [%%r6+%d]\n lsh %%r2, 8\n"
			       "or %%r0, %%r2\n exit\n", SKB(len));
	uint8_t out[256];
	struct uebpf_test_run_opts o = packet_opts(BPF_PROG_TYPE_SOCKET_FILTER, udp4, sizeof(udp4),
						   out, sizeof(out));
	struct uebpf_error err = { 0 };
	static const uint8_t zero[14];

	(void)state;
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), 0);
	assert_int_equal(o.retval, 0x45 | (sizeof(udp4) - 14) << 8);
	/* The Ethernet header comes back zeroed. */
	assert_int_equal(o.data_size_out, sizeof(udp4));
	assert_memory_equal(out, zero, 14);
	assert_memory_equal(out + 14, udp4 + 14, sizeof(udp4) - 14);
	unload(&l);
}

static void skb_refused_inputs(void **state)
{
	struct loaded l = load(BPF_PROG_TYPE_SCHED_CLS, "mov %%r0, 0\n exit\n");
	struct uebpf_error err = { 0 };
	struct __sk_buff in;
	struct uebpf_test_run_opts o;

	(void)state;
	/* len is not settable. */
	memset(&in, 0, sizeof(in));
	in.len = 5;
	o = packet_opts(BPF_PROG_TYPE_SCHED_CLS, udp4, sizeof(udp4), NULL, 0);
	o.ctx_in = &in;
	o.ctx_size_in = sizeof(in);
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "len"));
	/* wire_len below the packet length. */
	memset(&in, 0, sizeof(in));
	in.wire_len = 10;
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), -EINVAL);
	/* IPv4 by type, but no room for the IPv4 header. */
	o = packet_opts(BPF_PROG_TYPE_SCHED_CLS, udp4, 14 + 19, NULL, 0);
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "IPv4"));
	o.data_size_in = 14 + 20;
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), 0);
	unload(&l);
}

/* ----------------------------------------------------- raw and tracing */

static void raw_repeat_sees_previous_runs(void **state)
{
	struct loaded l = load(UEBPF_PROG_TYPE_RAW,
			       "ldxb %%r2, [%%r1+0]\n add %%r2, 1\n stxb [%%r1+0], %%r2\n"
			       "mov %%r0, %%r2\n exit\n");
	uint8_t in[4] = { 10, 1, 2, 3 }, out[4];
	struct uebpf_test_run_opts o = packet_opts(UEBPF_PROG_TYPE_RAW, in, sizeof(in), out,
						   sizeof(out));
	struct uebpf_error err = { 0 };

	(void)state;
	o.repeat = 5;
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), 0);
	assert_int_equal(o.retval, 15);
	assert_int_equal(out[0], 15);
	assert_int_equal(in[0], 10);           /* the input is copied */
	/* Raw programs have no context. */
	o.ctx_in = in;
	o.ctx_size_in = 4;
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), -EINVAL);
	unload(&l);
}

static void tracepoint_record(void **state)
{
	struct loaded l = load(BPF_PROG_TYPE_TRACEPOINT, "ldxdw %%r0, [%%r1+8]\n exit\n");
	uint64_t rec[2] = { 0, 0x1122334455667788ull };
	struct uebpf_test_run_opts o = { .sz = sizeof(o), .prog_type = BPF_PROG_TYPE_TRACEPOINT };
	struct uebpf_error err = { 0 };

	(void)state;
	o.ctx_in = rec;
	o.ctx_size_in = sizeof(rec);
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), 0);
	assert_int_equal(o.r0, 0x1122334455667788ull);
	/* The same as data_in; not both. */
	o.ctx_in = NULL;
	o.ctx_size_in = 0;
	o.data_in = rec;
	o.data_size_in = sizeof(rec);
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), 0);
	assert_int_equal(o.r0, 0x1122334455667788ull);
	o.ctx_in = rec;
	o.ctx_size_in = sizeof(rec);
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), -EINVAL);
	unload(&l);
}

static void bad_options(void **state)
{
	struct loaded l = load(BPF_PROG_TYPE_XDP, "mov %%r0, 2\n exit\n");
	struct uebpf_test_run_opts o = packet_opts(BPF_PROG_TYPE_XDP, udp4, sizeof(udp4), NULL, 0);
	struct uebpf_error err = { 0 };

	(void)state;
	assert_int_equal(uebpf_prog_test_run(NULL, &o, &err), -EINVAL);
	assert_int_equal(uebpf_prog_test_run(l.prog, NULL, &err), -EINVAL);
	o.sz = 8;
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), -EINVAL);
	o.sz = sizeof(o);
	o.prog_type = 9999;
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), -EOPNOTSUPP);
	/* Unchecked runs need a verified program. */
	o.prog_type = BPF_PROG_TYPE_XDP;
	o.run_flags = UEBPF_RUN_UNCHECKED;
	assert_int_equal(uebpf_prog_test_run(l.prog, &o, &err), -EPERM);
	unload(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(xdp_context_default),
		cmocka_unit_test(xdp_context_in_and_out),
		cmocka_unit_test(xdp_refused_contexts),
		cmocka_unit_test(xdp_writes_and_helpers),
		cmocka_unit_test(data_out_too_small),
		cmocka_unit_test(checked_run_fault),
		cmocka_unit_test(tc_context),
		cmocka_unit_test(socket_filter_sees_l3),
		cmocka_unit_test(skb_refused_inputs),
		cmocka_unit_test(raw_repeat_sees_previous_runs),
		cmocka_unit_test(tracepoint_record),
		cmocka_unit_test(bad_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

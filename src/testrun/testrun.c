/* SPDX-License-Identifier: MIT */
/*
 * uebpf_prog_test_run: option checks, dispatch by program type, the timed
 * repeat loop and the copy-out rules shared by every type (the kernel's
 * bpf_test_finish / bpf_ctx_finish).
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <linux/bpf.h>

#include "common/error.h"
#include "testrun/testrun_internal.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int tr_run_repeat(const struct uebpf_prog *prog, struct uebpf_test_run_opts *opts,
		  const struct tr_invocation *inv, struct uebpf_error *err)
{
	struct uebpf_run_opts run = {
		.sz = sizeof(run),
		.mem = inv->ctx,
		.mem_len = inv->ctx_len,
		.mem_readonly = !inv->ctx_writable,
		.regions = inv->nr_regions ? inv->regions : NULL,
		.nr_regions = inv->nr_regions,
		.insn_budget = opts->insn_budget,
		.engine = opts->engine,
		.flags = opts->run_flags,
		.env = opts->env,
	};
	uint32_t repeat = opts->repeat ? opts->repeat : 1;
	uint64_t start, r0 = 0;
	int ret;

	ret = prog_prepare_engine(prog, opts->engine, !(opts->run_flags & UEBPF_RUN_UNCHECKED), err);
	if (ret)
		return ret;
	start = now_ns();
	for (uint32_t i = 0; i < repeat; i++) {
		ret = prog_run_ex(prog, &run, &inv->extra, &r0, err);
		if (ret) {
			if (repeat > 1)
				uebpf_err_prefix(err, "test run %u of %u", i + 1, repeat);
			return ret;
		}
	}
	opts->duration_ns = (now_ns() - start) / repeat;
	opts->r0 = r0;
	opts->retval = (uint32_t)r0;
	return 0;
}

int tr_finish_data(struct uebpf_test_run_opts *opts, const void *data, size_t len,
		   struct uebpf_error *err)
{
	size_t cap = opts->data_size_out;

	opts->data_size_out = len;
	if (!opts->data_out || len == 0)
		return 0;
	if (len > cap) {
		memcpy(opts->data_out, data, cap);
		return uebpf_err(err, -ENOSPC,
				 "test run: the output data is %zu bytes but data_out holds only %zu; "
				 "the first %zu were copied (give a bigger buffer)", len, cap, cap);
	}
	memcpy(opts->data_out, data, len);
	return 0;
}

int tr_finish_ctx(struct uebpf_test_run_opts *opts, const void *ctx, size_t len,
		  struct uebpf_error *err)
{
	size_t cap = opts->ctx_size_out;

	if (!opts->ctx_out)
		return 0;
	opts->ctx_size_out = len;
	if (len > cap) {
		memcpy(opts->ctx_out, ctx, cap);
		return uebpf_err(err, -ENOSPC,
				 "test run: the context is %zu bytes but ctx_out holds only %zu", len, cap);
	}
	memcpy(opts->ctx_out, ctx, len);
	return 0;
}

int tr_read_ctx_in(const struct uebpf_test_run_opts *opts, void *ctx, size_t len,
		   const char *ctx_name, struct uebpf_error *err)
{
	const uint8_t *in = opts->ctx_in;

	memset(ctx, 0, len);
	if (!in)
		return 0;
	for (size_t i = len; i < opts->ctx_size_in; i++)
		if (in[i])
			return uebpf_err(err, -E2BIG,
					 "test run: ctx_in is %zu bytes and byte %zu is not zero, but %s "
					 "has only %zu; trim ctx_in or zero its tail",
					 opts->ctx_size_in, i, ctx_name, len);
	memcpy(ctx, in, opts->ctx_size_in < len ? opts->ctx_size_in : len);
	return 0;
}

static int check_opts(const struct uebpf_test_run_opts *opts, struct uebpf_error *err)
{
	const unsigned char *bytes = (const unsigned char *)opts;

	if (!opts)
		return uebpf_err(err, -EINVAL, "uebpf_prog_test_run: opts is NULL");
	if (opts->sz < sizeof(*opts))
		return uebpf_err(err, -EINVAL,
				 "uebpf_prog_test_run: opts->sz is %zu; set it to "
				 "sizeof(struct uebpf_test_run_opts) (%zu)", opts->sz, sizeof(*opts));
	for (size_t i = sizeof(*opts); i < opts->sz; i++)
		if (bytes[i])
			return uebpf_err(err, -EINVAL,
					 "uebpf_prog_test_run: opts has non-zero fields this library "
					 "does not know (byte %zu of %zu); upgrade the library", i, opts->sz);
	if (!opts->data_in && opts->data_size_in)
		return uebpf_err(err, -EINVAL, "uebpf_prog_test_run: data_in is NULL but data_size_in is %zu",
				 opts->data_size_in);
	if (!opts->ctx_in && opts->ctx_size_in)
		return uebpf_err(err, -EINVAL, "uebpf_prog_test_run: ctx_in is NULL but ctx_size_in is %zu",
				 opts->ctx_size_in);
	return 0;
}

static uint32_t effective_type(const struct uebpf_prog *prog,
			       const struct uebpf_test_run_opts *opts)
{
	if (opts->prog_type)
		return opts->prog_type;
	if (prog->verified && prog->verified_prog_type)
		return prog->verified_prog_type;
	return UEBPF_PROG_TYPE_RAW;
}

int uebpf_prog_test_run(const struct uebpf_prog *prog, struct uebpf_test_run_opts *opts,
			struct uebpf_error *err)
{
	const struct progtype_desc *desc;
	uint32_t type;
	int ret;

	if (!prog)
		return uebpf_err(err, -EINVAL, "uebpf_prog_test_run: prog is NULL");
	ret = check_opts(opts, err);
	if (ret)
		return ret;
	type = effective_type(prog, opts);
	desc = progtype_find(type);
	if (!desc)
		return uebpf_err(err, -EOPNOTSUPP,
				 "program '%s': program type %u has no test runs in uebpf; "
				 "test-run supports xdp, sched_cls, sched_act, socket_filter, raw "
				 "and the tracing types", prog->name ? prog->name : "", type);
	/* An unchecked run relies on the verifier's proof, which holds for the
	 * type it was given only. */
	if ((opts->run_flags & UEBPF_RUN_UNCHECKED) && prog->verified &&
	    prog->verified_prog_type && prog->verified_prog_type != type)
		return uebpf_err(err, -EPERM,
				 "program '%s' was verified as %s, not %s: an unchecked run needs the "
				 "type it was verified for (or drop UEBPF_RUN_UNCHECKED)",
				 prog->name ? prog->name : "",
				 progtype_find(prog->verified_prog_type) ?
				 progtype_find(prog->verified_prog_type)->name : "?", desc->name);
	opts->retval = 0;
	opts->r0 = 0;
	opts->duration_ns = 0;
	opts->redirected = false;
	opts->redirect_ifindex = 0;

	switch (type) {
	case BPF_PROG_TYPE_XDP:
		ret = tr_run_xdp(prog, desc, opts, err);
		break;
	case BPF_PROG_TYPE_SCHED_CLS:
	case BPF_PROG_TYPE_SCHED_ACT:
	case BPF_PROG_TYPE_SOCKET_FILTER:
		ret = tr_run_skb(prog, desc, opts, err);
		break;
	case UEBPF_PROG_TYPE_RAW:
		ret = tr_run_raw(prog, opts, err);
		break;
	default:
		ret = tr_run_ctx_mem(prog, desc, opts, err);
		break;
	}
	return ret;
}

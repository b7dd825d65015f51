/* SPDX-License-Identifier: MIT */
/*
 * Test runs on plain memory: raw programs (r1 = a copy of data_in, r2 = its
 * length) and the types whose context is a read-only block of scalars
 * (tracepoint records, pt_regs, raw tracepoint and fentry arguments,
 * perf_event data), given as ctx_in or data_in.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "testrun/testrun_internal.h"

int tr_run_raw(const struct uebpf_prog *prog, struct uebpf_test_run_opts *opts,
	       struct uebpf_error *err)
{
	struct tr_invocation inv;
	uint8_t *mem = NULL;
	int ret;

	if (opts->ctx_in || opts->ctx_out)
		return uebpf_err(err, -EINVAL,
				 "test run: raw programs have no context; give their input as data_in");
	if (opts->data_size_in) {
		mem = malloc(opts->data_size_in);
		if (!mem)
			return uebpf_err(err, -ENOMEM, "test run: out of memory for %zu bytes of input",
					 opts->data_size_in);
		memcpy(mem, opts->data_in, opts->data_size_in);
	}
	memset(&inv, 0, sizeof(inv));
	inv.ctx = mem;
	inv.ctx_len = opts->data_size_in;
	inv.ctx_writable = true;
	ret = tr_run_repeat(prog, opts, &inv, err);
	if (!ret)
		ret = tr_finish_data(opts, mem, opts->data_size_in, err);
	free(mem);
	return ret;
}

int tr_run_ctx_mem(const struct uebpf_prog *prog, const struct progtype_desc *desc,
		   struct uebpf_test_run_opts *opts, struct uebpf_error *err)
{
	struct uebpf_test_run_opts in = *opts;
	struct tr_invocation inv;
	uint8_t *ctx;
	int ret;

	if (opts->data_in && opts->ctx_in)
		return uebpf_err(err, -EINVAL,
				 "test run: %s programs take one input, %s: give ctx_in or data_in, "
				 "not both", desc->name, desc->ctx_name);
	if (opts->data_in) {
		in.ctx_in = opts->data_in;
		in.ctx_size_in = opts->data_size_in;
	}
	ctx = calloc(1, desc->ctx_size ? desc->ctx_size : 1);
	if (!ctx)
		return uebpf_err(err, -ENOMEM, "test run: out of memory for %s", desc->ctx_name);
	ret = tr_read_ctx_in(&in, ctx, desc->ctx_size, desc->ctx_name, err);
	if (ret)
		goto out;
	memset(&inv, 0, sizeof(inv));
	inv.ctx = ctx;
	inv.ctx_len = desc->ctx_size;
	inv.ctx_writable = false;
	ret = tr_run_repeat(prog, opts, &inv, err);
	if (ret)
		goto out;
	ret = tr_finish_data(opts, NULL, 0, err);
	if (!ret)
		ret = tr_finish_ctx(opts, ctx, desc->ctx_size, err);
out:
	free(ctx);
	return ret;
}

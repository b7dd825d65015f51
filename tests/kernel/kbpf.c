/* SPDX-License-Identifier: MIT */
#include "kbpf.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int kbpf_prog_load(enum bpf_prog_type type, const struct bpf_insn *insns,
		   size_t cnt, char *log, size_t log_len)
{
	/* With log_level 0, libbpf loads without a log first and retries
	 * with one only when the verifier refuses: the common path stays fast. */
	LIBBPF_OPTS(bpf_prog_load_opts, opts,
		    .log_buf = log_len ? log : NULL,
		    .log_size = log_len ? (__u32)log_len : 0,
		    .log_level = 0);
	int fd;

	if (log_len)
		log[0] = '\0';
	fd = bpf_prog_load(type, "uebpf_kdiff", "GPL", insns, cnt, &opts);
	return fd < 0 ? -errno : fd;
}

int kbpf_test_run(int prog_fd, struct kbpf_run *run)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		    .data_in = run->data_in,
		    .data_size_in = (__u32)run->data_in_len,
		    .data_out = run->data_out,
		    .data_size_out = (__u32)run->data_out_cap,
		    .repeat = 1);

	if (bpf_prog_test_run_opts(prog_fd, &opts) < 0)
		return -errno;
	run->data_out_len = opts.data_size_out;
	run->retval = opts.retval;
	return 0;
}

void kbpf_close(int prog_fd)
{
	if (prog_fd >= 0)
		close(prog_fd);
}

int kbpf_probe_xdp(char *why, size_t why_len)
{
	/* r0 = XDP_PASS; exit */
	static const struct bpf_insn pass[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	unsigned char pkt[64] = { 0 }, out[64];
	struct kbpf_run run = {
		.data_in = pkt, .data_in_len = sizeof(pkt),
		.data_out = out, .data_out_cap = sizeof(out),
	};
	char log[256];
	int fd, ret;

	if (geteuid() != 0) {
		snprintf(why, why_len, "not root: loading XDP programs needs CAP_BPF and CAP_NET_ADMIN");
		return -EPERM;
	}
	fd = kbpf_prog_load(BPF_PROG_TYPE_XDP, pass, 2, log, sizeof(log));
	if (fd < 0) {
		snprintf(why, why_len, "bpf(BPF_PROG_LOAD) of a trivial XDP program failed: %s%s%s",
			 strerror(-fd), log[0] ? "; verifier: " : "", log);
		return fd;
	}
	ret = kbpf_test_run(fd, &run);
	kbpf_close(fd);
	if (ret < 0) {
		snprintf(why, why_len, "bpf(BPF_PROG_TEST_RUN) of an XDP program failed: %s",
			 strerror(-ret));
		return ret;
	}
	if (run.retval != XDP_PASS) {
		snprintf(why, why_len, "test run of `r0 = XDP_PASS; exit` returned %u", run.retval);
		return -EIO;
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * A thin layer over the kernel's bpf(2) syscall (through libbpf's low-level
 * API) for the differential tests: load a program, run it once with
 * BPF_PROG_TEST_RUN, close it. Test code only; not part of the library.
 */
#ifndef UEBPF_TESTS_KBPF_H
#define UEBPF_TESTS_KBPF_H

#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>

/* Checks that this process may load and test-run XDP programs.
 * Returns 0, or a negative errno with the reason in `why`
 * (-EPERM: not privileged, -ENOSYS: no bpf(2), other: kernel refused). */
int kbpf_probe_xdp(char *why, size_t why_len);

/* Loads `cnt` instructions as a program of `type` (GPL licence, so every
 * helper is allowed). Returns a program fd, or a negative errno with the
 * verifier's log (when it gave one) in `log`. */
int kbpf_prog_load(enum bpf_prog_type type, const struct bpf_insn *insns,
		   size_t cnt, char *log, size_t log_len);

struct kbpf_run {
	const void *data_in;
	size_t data_in_len;
	void *data_out;           /* may be NULL */
	size_t data_out_cap;
	size_t data_out_len;      /* out */
	uint32_t retval;          /* out: the program's r0, truncated to 32 bits */
};

/* Runs the program once over `run->data_in` (BPF_PROG_TEST_RUN).
 * Returns 0 or a negative errno. */
int kbpf_test_run(int prog_fd, struct kbpf_run *run);

/* Closes a program fd; ignores negative fds so callers need no checks. */
void kbpf_close(int prog_fd);

#endif

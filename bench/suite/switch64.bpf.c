// SPDX-License-Identifier: MIT
/* A 64-case switch on each of 256 packet bytes, every case a different
 * computation (so no compiler can turn it into a table): native code gets a
 * jump table, eBPF (no indirect jumps in clang-19's output) a tree of
 * compares. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define SWITCH_BYTES 256

#define CASE_MUL(k) case k: acc = acc * (2 * (k) + 3) + (k); break;
#define CASE_XOR(k) case k: acc = (acc ^ (0x9e3779b9u * (k))) + (acc >> 7); break;
#define CASE_ROT(k) case k: acc = (acc << ((k) % 13 + 1)) | (acc >> (31 - (k) % 13)); break;
#define CASE_SUB(k) case k: acc = (acc - (k) * 0x01000193u) ^ (acc >> 3); break;
#define FOUR(k) CASE_MUL(k) CASE_XOR(k + 1) CASE_ROT(k + 2) CASE_SUB(k + 3)

SEC("xdp")
int switch64(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;
	__u32 acc = 1;

	if (data + SWITCH_BYTES > data_end)
		return 0;
	for (int i = 0; i < SWITCH_BYTES; i++) {
		switch (data[i] & 63) {
		FOUR(0) FOUR(4) FOUR(8) FOUR(12) FOUR(16) FOUR(20) FOUR(24) FOUR(28)
		FOUR(32) FOUR(36) FOUR(40) FOUR(44) FOUR(48) FOUR(52) FOUR(56) FOUR(60)
		}
	}
	return acc;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";

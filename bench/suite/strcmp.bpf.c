// SPDX-License-Identifier: MIT
/* strcmp of two NUL-terminated strings of up to 256 bytes each, one after
 * the other in the packet: a byte loop with two exits per iteration. The
 * suite runs it on equal strings (full match) and on strings that differ
 * half-way (mismatch). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define STR_MAX 256

struct two_strings {
	unsigned char a[STR_MAX];
	unsigned char b[STR_MAX];
};

SEC("xdp")
int strcmp_prog(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct two_strings *s = data;

	if ((void *)(s + 1) > data_end)
		return -1;
	for (int i = 0; i < STR_MAX; i++) {
		int ca = s->a[i], cb = s->b[i];

		if (ca != cb)
			return ca - cb;
		if (ca == 0)
			return 0;
	}
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";

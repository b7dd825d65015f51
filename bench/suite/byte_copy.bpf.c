// SPDX-License-Identifier: MIT
/* Copies the first 1024 bytes of the packet over the next 1024, byte by
 * byte, after one bounds check: a long loop of loads and stores. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define COPY_BYTES 1024

SEC("xdp")
int byte_copy(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	unsigned char *data_end = (void *)(long)ctx->data_end;

	if (data + 2 * COPY_BYTES > data_end)
		return 0;
	for (int i = 0; i < COPY_BYTES; i++)
		data[COPY_BYTES + i] = data[i];
	return data[2 * COPY_BYTES - 1] + data[COPY_BYTES];
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";

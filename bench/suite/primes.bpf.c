// SPDX-License-Identifier: MIT
/* Counts the primes below a limit read from the packet (at most
 * PRIMES_MAX) by trial division: nested loops, compares and 32-bit modulo. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define PRIMES_MAX 2000

SEC("xdp")
int primes(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 *limit_p = data;
	__u32 limit, count = 0;

	if ((void *)(limit_p + 1) > data_end)
		return 0;
	limit = *limit_p;
	if (limit > PRIMES_MAX)
		limit = PRIMES_MAX;
	for (__u32 n = 2; n < PRIMES_MAX; n++) {
		__u32 is_prime = 1;

		if (n >= limit)
			break;
		for (__u32 d = 2; d < PRIMES_MAX; d++) {
			if (d * d > n)
				break;
			if (n % d == 0) {
				is_prime = 0;
				break;
			}
		}
		count += is_prime;
	}
	return count;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";

// SPDX-License-Identifier: MIT
/* String helpers: a tiny UDP control protocol. The payload is a command of at
 * most 16 bytes, "PORT <decimal>" or "ADJ <signed decimal>": bpf_strncmp
 * picks the command, bpf_strtoul/bpf_strtol parse the number, and
 * bpf_snprintf formats a log line into a global buffer. Passes everything. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define CMD_LEN 16

struct control_state {
	__u64 port;       /* last PORT value */
	__s64 adjust;     /* sum of ADJ values */
	__s64 last_parse; /* what bpf_strtol/strtoul returned last (chars or -errno) */
	__u64 commands;   /* commands understood */
	__u64 rejected;   /* commands not understood or not parsed */
};

struct control_state state = {};
char log_line[64] = {};
long log_len = 0; /* bpf_snprintf: the size the whole line needs, with the NUL */

static const char port_cmd[] = "PORT ";
static const char adj_cmd[] = "ADJ ";

SEC("xdp")
int xdp_control(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	char cmd[CMD_LEN];
	/* Zeroed: the kernel's verifier counts the result argument of
	 * bpf_strto*() as written, the uebpf verifier does not yet. */
	unsigned long port = 0;
	long adjust = 0;
	__u64 args[2];
	long n;

	if ((void *)(udp + 1) + CMD_LEN > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5 || ip->protocol != IPPROTO_UDP)
		return XDP_PASS;
	__builtin_memcpy(cmd, udp + 1, CMD_LEN);

	if (bpf_strncmp(cmd, sizeof(port_cmd) - 1, port_cmd) == 0) {
		n = bpf_strtoul(cmd + 5, CMD_LEN - 5, 10, &port);
		state.last_parse = n;
		if (n <= 0 || port > 65535) {
			state.rejected++;
			return XDP_PASS;
		}
		state.port = port;
		args[0] = port;
		args[1] = bpf_ntohl(ip->saddr);
		log_len = bpf_snprintf(log_line, sizeof(log_line), "port %lu from %x", args,
				       sizeof(args));
	} else if (bpf_strncmp(cmd, sizeof(adj_cmd) - 1, adj_cmd) == 0) {
		n = bpf_strtol(cmd + 4, CMD_LEN - 4, 0, &adjust);
		state.last_parse = n;
		if (n <= 0) {
			state.rejected++;
			return XDP_PASS;
		}
		state.adjust += adjust;
		args[0] = adjust;
		log_len = bpf_snprintf(log_line, sizeof(log_line), "adjust %ld", args, 8);
	} else {
		state.rejected++;
		return XDP_PASS;
	}
	state.commands++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";

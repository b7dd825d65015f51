/* SPDX-License-Identifier: MIT */
#include "progtypes/sec_names.h"

#include <linux/bpf.h>
#include <string.h>

#define T SEC_DEF_TARGET
#define S SEC_DEF_SLEEPABLE

/* Mirrors libbpf 1.x's section_defs. Attach types newer than Debian 12's
 * <linux/bpf.h> are spelled as numbers with the kernel's name beside. Order
 * matters only where one kind is a prefix of another with '/' ("xdp/devmap"
 * before "xdp"), since plain kinds match exactly. */
static const struct sec_def defs[] = {
	{ "socket", BPF_PROG_TYPE_SOCKET_FILTER, 0, 0 },
	{ "sk_reuseport/migrate", BPF_PROG_TYPE_SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT_OR_MIGRATE, 0 },
	{ "sk_reuseport", BPF_PROG_TYPE_SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT, 0 },
	{ "kprobe", BPF_PROG_TYPE_KPROBE, 0, T },
	{ "uprobe", BPF_PROG_TYPE_KPROBE, 0, T },
	{ "uprobe.s", BPF_PROG_TYPE_KPROBE, 0, T | S },
	{ "kretprobe", BPF_PROG_TYPE_KPROBE, 0, T },
	{ "uretprobe", BPF_PROG_TYPE_KPROBE, 0, T },
	{ "uretprobe.s", BPF_PROG_TYPE_KPROBE, 0, T | S },
	{ "kprobe.multi", BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, T },
	{ "kretprobe.multi", BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI, T },
	{ "uprobe.multi", BPF_PROG_TYPE_KPROBE, 48 /* BPF_TRACE_UPROBE_MULTI */, T },
	{ "uretprobe.multi", BPF_PROG_TYPE_KPROBE, 48 /* BPF_TRACE_UPROBE_MULTI */, T },
	{ "uprobe.multi.s", BPF_PROG_TYPE_KPROBE, 48 /* BPF_TRACE_UPROBE_MULTI */, T | S },
	{ "uretprobe.multi.s", BPF_PROG_TYPE_KPROBE, 48 /* BPF_TRACE_UPROBE_MULTI */, T | S },
	{ "ksyscall", BPF_PROG_TYPE_KPROBE, 0, T },
	{ "kretsyscall", BPF_PROG_TYPE_KPROBE, 0, T },
	{ "usdt", BPF_PROG_TYPE_KPROBE, 0, T },
	{ "usdt.s", BPF_PROG_TYPE_KPROBE, 0, T | S },
	{ "tc/ingress", BPF_PROG_TYPE_SCHED_CLS, 46 /* BPF_TCX_INGRESS */, 0 },
	{ "tc/egress", BPF_PROG_TYPE_SCHED_CLS, 47 /* BPF_TCX_EGRESS */, 0 },
	{ "tcx/ingress", BPF_PROG_TYPE_SCHED_CLS, 46 /* BPF_TCX_INGRESS */, 0 },
	{ "tcx/egress", BPF_PROG_TYPE_SCHED_CLS, 47 /* BPF_TCX_EGRESS */, 0 },
	{ "tc", BPF_PROG_TYPE_SCHED_CLS, 0, 0 },
	{ "classifier", BPF_PROG_TYPE_SCHED_CLS, 0, 0 },
	{ "action", BPF_PROG_TYPE_SCHED_ACT, 0, 0 },
	{ "netkit/primary", BPF_PROG_TYPE_SCHED_CLS, 54 /* BPF_NETKIT_PRIMARY */, 0 },
	{ "netkit/peer", BPF_PROG_TYPE_SCHED_CLS, 55 /* BPF_NETKIT_PEER */, 0 },
	{ "tracepoint", BPF_PROG_TYPE_TRACEPOINT, 0, T },
	{ "tp", BPF_PROG_TYPE_TRACEPOINT, 0, T },
	{ "raw_tracepoint", BPF_PROG_TYPE_RAW_TRACEPOINT, 0, T },
	{ "raw_tp", BPF_PROG_TYPE_RAW_TRACEPOINT, 0, T },
	{ "raw_tracepoint.w", BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, 0, T },
	{ "raw_tp.w", BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, 0, T },
	{ "tp_btf", BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, T },
	{ "fentry", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, T },
	{ "fmod_ret", BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN, T },
	{ "fexit", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, T },
	{ "fentry.s", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, T | S },
	{ "fmod_ret.s", BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN, T | S },
	{ "fexit.s", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, T | S },
	{ "freplace", BPF_PROG_TYPE_EXT, 0, T },
	{ "lsm", BPF_PROG_TYPE_LSM, BPF_LSM_MAC, T },
	{ "lsm.s", BPF_PROG_TYPE_LSM, BPF_LSM_MAC, T | S },
	{ "lsm_cgroup", BPF_PROG_TYPE_LSM, BPF_LSM_CGROUP, T },
	{ "iter", BPF_PROG_TYPE_TRACING, BPF_TRACE_ITER, T },
	{ "iter.s", BPF_PROG_TYPE_TRACING, BPF_TRACE_ITER, T | S },
	{ "syscall", BPF_PROG_TYPE_SYSCALL, 0, S },
	{ "xdp.frags/devmap", BPF_PROG_TYPE_XDP, BPF_XDP_DEVMAP, 0 },
	{ "xdp/devmap", BPF_PROG_TYPE_XDP, BPF_XDP_DEVMAP, 0 },
	{ "xdp.frags/cpumap", BPF_PROG_TYPE_XDP, BPF_XDP_CPUMAP, 0 },
	{ "xdp/cpumap", BPF_PROG_TYPE_XDP, BPF_XDP_CPUMAP, 0 },
	{ "xdp.frags", BPF_PROG_TYPE_XDP, BPF_XDP, 0 },
	{ "xdp", BPF_PROG_TYPE_XDP, BPF_XDP, 0 },
	{ "perf_event", BPF_PROG_TYPE_PERF_EVENT, 0, 0 },
	{ "lwt_in", BPF_PROG_TYPE_LWT_IN, 0, 0 },
	{ "lwt_out", BPF_PROG_TYPE_LWT_OUT, 0, 0 },
	{ "lwt_xmit", BPF_PROG_TYPE_LWT_XMIT, 0, 0 },
	{ "lwt_seg6local", BPF_PROG_TYPE_LWT_SEG6LOCAL, 0, 0 },
	{ "sockops", BPF_PROG_TYPE_SOCK_OPS, BPF_CGROUP_SOCK_OPS, 0 },
	{ "sk_skb/stream_parser", BPF_PROG_TYPE_SK_SKB, BPF_SK_SKB_STREAM_PARSER, 0 },
	{ "sk_skb/stream_verdict", BPF_PROG_TYPE_SK_SKB, BPF_SK_SKB_STREAM_VERDICT, 0 },
	{ "sk_skb", BPF_PROG_TYPE_SK_SKB, 0, 0 },
	{ "sk_msg", BPF_PROG_TYPE_SK_MSG, BPF_SK_MSG_VERDICT, 0 },
	{ "lirc_mode2", BPF_PROG_TYPE_LIRC_MODE2, BPF_LIRC_MODE2, 0 },
	{ "flow_dissector", BPF_PROG_TYPE_FLOW_DISSECTOR, BPF_FLOW_DISSECTOR, 0 },
	{ "cgroup_skb/ingress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_INGRESS, 0 },
	{ "cgroup_skb/egress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_EGRESS, 0 },
	{ "cgroup/skb", BPF_PROG_TYPE_CGROUP_SKB, 0, 0 },
	{ "cgroup/sock_create", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, 0 },
	{ "cgroup/sock_release", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_RELEASE, 0 },
	{ "cgroup/sock", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, 0 },
	{ "cgroup/post_bind4", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET4_POST_BIND, 0 },
	{ "cgroup/post_bind6", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET6_POST_BIND, 0 },
	{ "cgroup/bind4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_BIND, 0 },
	{ "cgroup/bind6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_BIND, 0 },
	{ "cgroup/connect4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT, 0 },
	{ "cgroup/connect6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT, 0 },
	{ "cgroup/connect_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, 49 /* BPF_CGROUP_UNIX_CONNECT */, 0 },
	{ "cgroup/sendmsg4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG, 0 },
	{ "cgroup/sendmsg6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG, 0 },
	{ "cgroup/recvmsg4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_RECVMSG, 0 },
	{ "cgroup/recvmsg6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_RECVMSG, 0 },
	{ "cgroup/getpeername4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETPEERNAME, 0 },
	{ "cgroup/getpeername6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETPEERNAME, 0 },
	{ "cgroup/getsockname4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETSOCKNAME, 0 },
	{ "cgroup/getsockname6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETSOCKNAME, 0 },
	{ "cgroup/sysctl", BPF_PROG_TYPE_CGROUP_SYSCTL, BPF_CGROUP_SYSCTL, 0 },
	{ "cgroup/getsockopt", BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_GETSOCKOPT, 0 },
	{ "cgroup/setsockopt", BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_SETSOCKOPT, 0 },
	{ "cgroup/dev", BPF_PROG_TYPE_CGROUP_DEVICE, BPF_CGROUP_DEVICE, 0 },
	{ "struct_ops", BPF_PROG_TYPE_STRUCT_OPS, 0, T },
	{ "struct_ops.s", BPF_PROG_TYPE_STRUCT_OPS, 0, T | S },
	{ "sk_lookup", BPF_PROG_TYPE_SK_LOOKUP, BPF_SK_LOOKUP, 0 },
	{ "netfilter", 32 /* BPF_PROG_TYPE_NETFILTER */, 45 /* BPF_NETFILTER */, 0 },
};

#undef T
#undef S

const struct sec_def *sec_defs(size_t *nr)
{
	*nr = sizeof(defs) / sizeof(defs[0]);
	return defs;
}

/* libbpf: a kind with a target matches "kind" and "kind/anything"; the
 * others match exactly. */
static bool sec_def_matches(const struct sec_def *def, const char *name,
			    const char **target)
{
	size_t len = strlen(def->kind);

	if (!(def->flags & SEC_DEF_TARGET)) {
		*target = "";
		return strcmp(name, def->kind) == 0;
	}
	if (strncmp(name, def->kind, len) != 0)
		return false;
	if (name[len] == '\0') {
		*target = "";
		return true;
	}
	if (name[len] != '/')
		return false;
	*target = name + len + 1;
	return true;
}

bool uebpf_sec_name_parse(const char *sec_name, struct uebpf_sec_info *info)
{
	size_t i;

	memset(info, 0, sizeof(*info));
	info->kind = "";
	info->attach_target = "";
	if (!sec_name)
		return false;
	for (i = 0; i < sizeof(defs) / sizeof(defs[0]); i++) {
		const char *target;

		if (!sec_def_matches(&defs[i], sec_name, &target))
			continue;
		info->prog_type = defs[i].prog_type;
		info->expected_attach_type = defs[i].expected_attach_type;
		info->kind = defs[i].kind;
		info->attach_target = target;
		info->sleepable = defs[i].flags & SEC_DEF_SLEEPABLE;
		info->known = true;
		return true;
	}
	return false;
}

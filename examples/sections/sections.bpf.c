// SPDX-License-Identifier: MIT
/* One trivial program per SEC() convention, so the loader's section-name
 * table is checked against what clang/libbpf users write. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define PROG(sec, name) SEC(sec) int name(void *ctx) { return 0; }

PROG("kprobe/do_unlinkat", kp_unlinkat)
PROG("kretprobe/do_unlinkat", krp_unlinkat)
PROG("uprobe//usr/bin/true:main", up_main)
PROG("uretprobe/libc.so.6:malloc", urp_malloc)
PROG("uprobe.s/libc.so.6:free", ups_free)
PROG("usdt/libc.so.6:libc:setjmp", usdt_setjmp)
PROG("perf_event", on_perf_event)
PROG("fentry/do_unlinkat", fentry_unlinkat)
PROG("fexit/do_unlinkat", fexit_unlinkat)
PROG("lsm/file_open", lsm_file_open)
PROG("lsm.s/bprm_check_security", lsm_s_bprm)
PROG("tp_btf/sched_switch", btf_sched_switch)
PROG("tp/sched/sched_process_exec", tp_exec)
PROG("raw_tp/sys_enter", raw_sys_enter)
PROG("cgroup_skb/ingress", cg_ingress)
PROG("cgroup_skb/egress", cg_egress)
PROG("cgroup/connect4", cg_connect4)
PROG("cgroup/sock_create", cg_sock_create)
PROG("cgroup/sysctl", cg_sysctl)
PROG("sockops", on_sockops)
PROG("sk_msg", on_sk_msg)
PROG("sk_skb/stream_verdict", on_stream_verdict)
PROG("flow_dissector", on_flow_dissector)
PROG("xdp.frags", xdp_frags)
PROG("xdp/devmap", xdp_devmap)
PROG("sk_lookup", on_sk_lookup)
PROG("iter/task", iter_task)
PROG("syscall", on_syscall)
PROG("my_custom_section", custom)

char LICENSE[] SEC("license") = "GPL";

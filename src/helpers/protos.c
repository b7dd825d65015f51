/* SPDX-License-Identifier: MIT */
#include "helpers/protos.h"

#include <linux/bpf.h>
#include <stddef.h>

#define A_ANY UEBPF_ARG_ANYTHING
#define A_MAP UEBPF_ARG_CONST_MAP_PTR
#define A_KEY UEBPF_ARG_PTR_TO_MAP_KEY
#define A_VAL UEBPF_ARG_PTR_TO_MAP_VALUE
#define A_MEM UEBPF_ARG_PTR_TO_MEM
#define A_UMEM UEBPF_ARG_PTR_TO_UNINIT_MEM
#define A_SZ UEBPF_ARG_CONST_SIZE
#define A_SZ0 UEBPF_ARG_CONST_SIZE_OR_ZERO
#define A_CTX UEBPF_ARG_PTR_TO_CTX
#define A_FUNC UEBPF_ARG_PTR_TO_FUNC
#define A_STR UEBPF_ARG_PTR_TO_CONST_STR
#define A_RBMEM UEBPF_ARG_PTR_TO_RINGBUF_MEM
#define A_LOCK UEBPF_ARG_PTR_TO_SPIN_LOCK
#define A_ALLOC UEBPF_ARG_CONST_ALLOC_SIZE_OR_ZERO
#define A_TIMER UEBPF_ARG_PTR_TO_TIMER
#define A_LONG UEBPF_ARG_PTR_TO_LONG

#define R_INT UEBPF_RET_INTEGER
#define R_VOID UEBPF_RET_VOID
#define R_VAL UEBPF_RET_PTR_TO_MAP_VALUE_OR_NULL
#define R_MEM UEBPF_RET_PTR_TO_MEM_OR_NULL

#define PKT HELPER_CHANGES_PKT_DATA

#define P(fn, ret, flags_, ...) \
	[BPF_FUNC_##fn] = { { BPF_FUNC_##fn, "bpf_" #fn, NULL, ret, { __VA_ARGS__ } }, flags_ }

/* Kinds after the kernel's bpf_func_proto definitions. */
static const struct helper_linux_proto protos[] = {
	P(map_lookup_elem, R_VAL, 0, A_MAP, A_KEY),
	P(map_update_elem, R_INT, 0, A_MAP, A_KEY, A_VAL, A_ANY),
	P(map_delete_elem, R_INT, 0, A_MAP, A_KEY),
	P(probe_read, R_INT, 0, A_UMEM, A_SZ0, A_ANY),
	P(ktime_get_ns, R_INT, 0),
	/* r3-r5 are read raw, as many as the format needs: not checked */
	P(trace_printk, R_INT, 0, A_MEM, A_SZ),
	P(get_prandom_u32, R_INT, 0),
	P(get_smp_processor_id, R_INT, 0),
	P(skb_store_bytes, R_INT, PKT, A_CTX, A_ANY, A_MEM, A_SZ, A_ANY),
	P(l3_csum_replace, R_INT, PKT, A_CTX, A_ANY, A_ANY, A_ANY, A_ANY),
	P(l4_csum_replace, R_INT, PKT, A_CTX, A_ANY, A_ANY, A_ANY, A_ANY),
	P(tail_call, R_VOID, 0, A_CTX, A_MAP, A_ANY),
	P(clone_redirect, R_INT, PKT, A_CTX, A_ANY, A_ANY),
	P(get_current_pid_tgid, R_INT, 0),
	P(get_current_uid_gid, R_INT, 0),
	P(get_current_comm, R_INT, 0, A_UMEM, A_SZ),
	P(get_cgroup_classid, R_INT, 0, A_CTX),
	P(skb_vlan_push, R_INT, PKT, A_CTX, A_ANY, A_ANY),
	P(skb_vlan_pop, R_INT, PKT, A_CTX),
	P(skb_get_tunnel_key, R_INT, 0, A_CTX, A_UMEM, A_SZ, A_ANY),
	P(skb_set_tunnel_key, R_INT, 0, A_CTX, A_MEM, A_SZ, A_ANY),
	P(perf_event_read, R_INT, 0, A_MAP, A_ANY),
	P(redirect, R_INT, 0, A_ANY, A_ANY),
	P(get_route_realm, R_INT, 0, A_CTX),
	P(perf_event_output, R_INT, 0, A_CTX, A_MAP, A_ANY, A_MEM, A_SZ0),
	P(skb_load_bytes, R_INT, 0, A_CTX, A_ANY, A_UMEM, A_SZ),
	P(get_stackid, R_INT, 0, A_CTX, A_MAP, A_ANY),
	P(csum_diff, R_INT, HELPER_MEM_MAYBE_NULL, A_MEM, A_SZ0, A_MEM, A_SZ0, A_ANY),
	P(skb_change_proto, R_INT, PKT, A_CTX, A_ANY, A_ANY),
	P(skb_change_type, R_INT, 0, A_CTX, A_ANY),
	P(get_hash_recalc, R_INT, 0, A_CTX),
	P(get_current_task, R_INT, 0),
	P(skb_change_tail, R_INT, PKT, A_CTX, A_ANY, A_ANY),
	P(skb_pull_data, R_INT, PKT, A_CTX, A_ANY),
	P(csum_update, R_INT, 0, A_CTX, A_ANY),
	P(set_hash_invalid, R_VOID, 0, A_CTX),
	P(get_numa_node_id, R_INT, 0),
	P(skb_change_head, R_INT, PKT, A_CTX, A_ANY, A_ANY),
	P(xdp_adjust_head, R_INT, PKT, A_CTX, A_ANY),
	P(probe_read_str, R_INT, 0, A_UMEM, A_SZ0, A_ANY),
	P(get_socket_cookie, R_INT, 0, A_CTX),
	P(get_socket_uid, R_INT, 0, A_CTX),
	P(set_hash, R_INT, 0, A_CTX, A_ANY),
	/* res: 8 bytes the helper writes (the kernel's fixed-size memory);
	 * the helpers check it at run time in every run. */
	P(strtol, R_INT, 0, A_MEM, A_SZ, A_ANY, A_LONG),
	P(strtoul, R_INT, 0, A_MEM, A_SZ, A_ANY, A_LONG),
	P(skb_adjust_room, R_INT, PKT, A_CTX, A_ANY, A_ANY, A_ANY),
	P(redirect_map, R_INT, 0, A_MAP, A_ANY, A_ANY),
	P(xdp_adjust_meta, R_INT, PKT, A_CTX, A_ANY),
	P(perf_event_read_value, R_INT, 0, A_MAP, A_ANY, A_UMEM, A_SZ),
	P(perf_prog_read_value, R_INT, 0, A_CTX, A_UMEM, A_SZ),
	P(xdp_adjust_tail, R_INT, PKT, A_CTX, A_ANY),
	P(get_stack, R_INT, 0, A_CTX, A_UMEM, A_SZ0, A_ANY),
	P(skb_load_bytes_relative, R_INT, 0, A_CTX, A_ANY, A_UMEM, A_SZ, A_ANY),
	P(fib_lookup, R_INT, 0, A_CTX, A_MEM, A_SZ, A_ANY),
	P(get_current_cgroup_id, R_INT, 0),
	P(map_push_elem, R_INT, 0, A_MAP, A_VAL, A_ANY),
	P(map_pop_elem, R_INT, HELPER_VALUE_IS_OUTPUT, A_MAP, A_VAL),
	P(map_peek_elem, R_INT, HELPER_VALUE_IS_OUTPUT, A_MAP, A_VAL),
	P(spin_lock, R_VOID, 0, A_LOCK),
	P(spin_unlock, R_VOID, 0, A_LOCK),
	P(send_signal, R_INT, 0, A_ANY),
	P(probe_read_user, R_INT, 0, A_UMEM, A_SZ0, A_ANY),
	P(probe_read_kernel, R_INT, 0, A_UMEM, A_SZ0, A_ANY),
	P(probe_read_user_str, R_INT, 0, A_UMEM, A_SZ0, A_ANY),
	P(probe_read_kernel_str, R_INT, 0, A_UMEM, A_SZ0, A_ANY),
	P(jiffies64, R_INT, 0),
	P(ktime_get_boot_ns, R_INT, 0),
	P(ringbuf_output, R_INT, 0, A_MAP, A_MEM, A_SZ0, A_ANY),
	P(ringbuf_reserve, R_MEM, 0, A_MAP, A_ALLOC, A_ANY),
	P(ringbuf_submit, R_VOID, 0, A_RBMEM, A_ANY),
	P(ringbuf_discard, R_VOID, 0, A_RBMEM, A_ANY),
	P(ringbuf_query, R_INT, 0, A_MAP, A_ANY),
	P(ktime_get_coarse_ns, R_INT, 0),
	P(for_each_map_elem, R_INT, HELPER_TAKES_CALLBACK, A_MAP, A_FUNC, A_ANY, A_ANY),
	P(snprintf, R_INT, HELPER_MEM_MAYBE_NULL, A_UMEM, A_SZ0, A_STR, A_MEM, A_SZ0),
	P(timer_init, R_INT, 0, A_TIMER, A_MAP, A_ANY),
	P(timer_set_callback, R_INT, HELPER_TAKES_CALLBACK, A_TIMER, A_FUNC),
	P(timer_start, R_INT, 0, A_TIMER, A_ANY, A_ANY),
	P(timer_cancel, R_INT, 0, A_TIMER),
	P(get_func_ip, R_INT, 0, A_CTX),
	P(get_attach_cookie, R_INT, 0, A_CTX),
	P(trace_vprintk, R_INT, HELPER_MEM_MAYBE_NULL, A_MEM, A_SZ, A_MEM, A_SZ0),
	P(loop, R_INT, HELPER_TAKES_CALLBACK, A_ANY, A_FUNC, A_ANY, A_ANY),
	P(strncmp, R_INT, 0, A_MEM, A_SZ, A_STR),
	P(map_lookup_percpu_elem, R_VAL, 0, A_MAP, A_KEY, A_ANY),
};

const struct helper_linux_proto *helper_linux_proto(uint32_t id)
{
	if (id >= sizeof(protos) / sizeof(protos[0]) || !protos[id].proto.name)
		return NULL;
	return &protos[id];
}

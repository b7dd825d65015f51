/* SPDX-License-Identifier: MIT */
/*
 * uebpf_helper_set_create_linux: every Linux helper uebpf implements that
 * the program type's descriptor (src/progtypes) allows, with the
 * prototype from src/helpers/protos.c and the function from the h_*.c
 * files. Nothing here decides what a type may call: the descriptor does.
 */
#include <errno.h>

#include "common/error.h"
#include "helpers/helpers_internal.h"
#include "helpers/protos.h"
#include "progtypes/progtypes.h"

/* Highest helper id looked at: enum bpf_func_id ends below this. */
#define LINUX_HELPER_ID_LIMIT 512u

uebpf_helper_fn helper_linux_fn(uint32_t id, uint32_t prog_type)
{
	switch (id) {
	case BPF_FUNC_map_lookup_elem: return helper_map_lookup_elem;
	case BPF_FUNC_map_update_elem: return helper_map_update_elem;
	case BPF_FUNC_map_delete_elem: return helper_map_delete_elem;
	case BPF_FUNC_map_push_elem: return helper_map_push_elem;
	case BPF_FUNC_map_pop_elem: return helper_map_pop_elem;
	case BPF_FUNC_map_peek_elem: return helper_map_peek_elem;
	case BPF_FUNC_map_lookup_percpu_elem: return helper_map_lookup_percpu_elem;
	case BPF_FUNC_for_each_map_elem: return helper_for_each_map_elem;
	case BPF_FUNC_ktime_get_ns: return helper_ktime_get_ns;
	case BPF_FUNC_ktime_get_boot_ns: return helper_ktime_get_boot_ns;
	case BPF_FUNC_ktime_get_coarse_ns: return helper_ktime_get_coarse_ns;
	case BPF_FUNC_jiffies64: return helper_jiffies64;
	case BPF_FUNC_get_prandom_u32: return helper_get_prandom_u32;
	case BPF_FUNC_get_smp_processor_id: return helper_get_smp_processor_id;
	case BPF_FUNC_get_numa_node_id: return helper_get_numa_node_id;
	case BPF_FUNC_get_func_ip: return helper_get_func_ip;
	case BPF_FUNC_get_attach_cookie: return helper_get_attach_cookie;
	case BPF_FUNC_trace_printk: return helper_trace_printk;
	case BPF_FUNC_trace_vprintk: return helper_trace_vprintk;
	case BPF_FUNC_snprintf: return helper_snprintf;
	case BPF_FUNC_strncmp: return helper_strncmp;
	case BPF_FUNC_strtol: return helper_strtol;
	case BPF_FUNC_strtoul: return helper_strtoul;
	case BPF_FUNC_get_current_pid_tgid: return helper_get_current_pid_tgid;
	case BPF_FUNC_get_current_uid_gid: return helper_get_current_uid_gid;
	case BPF_FUNC_get_current_comm: return helper_get_current_comm;
	case BPF_FUNC_probe_read:
	case BPF_FUNC_probe_read_user:
	case BPF_FUNC_probe_read_kernel:
		return helper_probe_read;
	case BPF_FUNC_probe_read_str:
	case BPF_FUNC_probe_read_user_str:
	case BPF_FUNC_probe_read_kernel_str:
		return helper_probe_read_str;
	case BPF_FUNC_ringbuf_output: return helper_ringbuf_output;
	case BPF_FUNC_ringbuf_reserve: return helper_ringbuf_reserve;
	case BPF_FUNC_ringbuf_submit: return helper_ringbuf_submit;
	case BPF_FUNC_ringbuf_discard: return helper_ringbuf_discard;
	case BPF_FUNC_ringbuf_query: return helper_ringbuf_query;
	case BPF_FUNC_perf_event_output: return helper_perf_event_output;
	case BPF_FUNC_spin_lock: return helper_spin_lock;
	case BPF_FUNC_spin_unlock: return helper_spin_unlock;
	case BPF_FUNC_timer_init: return helper_timer_init;
	case BPF_FUNC_timer_set_callback: return helper_timer_set_callback;
	case BPF_FUNC_timer_start: return helper_timer_start;
	case BPF_FUNC_timer_cancel: return helper_timer_cancel;
	case BPF_FUNC_loop: return helper_loop;
	case BPF_FUNC_xdp_adjust_head: return helper_xdp_adjust_head;
	case BPF_FUNC_xdp_adjust_tail: return helper_xdp_adjust_tail;
	case BPF_FUNC_xdp_adjust_meta: return helper_xdp_adjust_meta;
	case BPF_FUNC_csum_diff: return helper_csum_diff;
	case BPF_FUNC_skb_load_bytes: return helper_skb_load_bytes;
	case BPF_FUNC_redirect:
		/* Same id, two helpers in the kernel: the XDP one returns XDP
		 * actions, the skb one tc actions. */
		return prog_type == BPF_PROG_TYPE_XDP ? helper_xdp_redirect : helper_skb_redirect;
	case BPF_FUNC_redirect_map: return helper_redirect_map;
	case BPF_FUNC_tail_call: return helper_tail_call;
	default: return NULL;
	}
}

int uebpf_helper_set_create_linux(uint32_t prog_type, struct uebpf_helper_set **out,
				  struct uebpf_error *err)
{
	const struct progtype_desc *desc = progtype_find(prog_type);
	struct uebpf_helper_set *set;
	uint32_t id;
	int ret;

	if (!out)
		return uebpf_err(err, -EINVAL, "uebpf_helper_set_create_linux: out is NULL");
	*out = NULL;
	if (!desc)
		return uebpf_err(err, -EINVAL,
				 "uebpf_helper_set_create_linux: program type %u is not supported; "
				 "use a type uebpf describes (e.g. BPF_PROG_TYPE_XDP, UEBPF_PROG_TYPE_RAW)",
				 prog_type);
	ret = uebpf_helper_set_create(&set, err);
	if (ret)
		return ret;
	for (id = 1; id < LINUX_HELPER_ID_LIMIT; id++) {
		const struct helper_linux_proto *lp = helper_linux_proto(id);
		struct uebpf_helper_proto proto;

		if (!lp || !progtype_helper_allowed(desc, id))
			continue;
		proto = lp->proto;
		proto.fn = helper_linux_fn(id, prog_type);
		if (!proto.fn)
			continue;
		ret = uebpf_helper_set_add(set, &proto, err);
		if (ret) {
			uebpf_helper_set_destroy(set);
			return ret;
		}
	}
	*out = set;
	return 0;
}

void helpers_run_end(struct uebpf_run_ctx *rc)
{
	helper_ringbuf_run_end(rc);
	helper_lock_run_end(rc);
}

/* SPDX-License-Identifier: MIT */
#include "progtypes/progtypes.h"

#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <stdio.h>
#include <string.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ contexts */

#define SKB_OFF(f) ((uint16_t)offsetof(struct __sk_buff, f))
#define SKB_SZ(f) ((uint16_t)sizeof(((struct __sk_buff *)0)->f))
#define SKB_RO(f) { #f, SKB_OFF(f), SKB_SZ(f), CTX_FIELD_SCALAR, true, false, true }
#define SKB_RW(f) { #f, SKB_OFF(f), SKB_SZ(f), CTX_FIELD_SCALAR, true, true, true }
#define SKB_PTR(f, k) { #f, SKB_OFF(f), SKB_SZ(f), k, true, false, false }

/* Socket filters see the packet through ld_abs or skb_load_bytes only and
 * may write nothing but the scratch area cb[] (sk_filter_is_valid_access). */
static const struct progtype_ctx_field socket_filter_fields[] = {
	SKB_RO(len), SKB_RO(pkt_type), SKB_RO(mark), SKB_RO(queue_mapping),
	SKB_RO(protocol), SKB_RO(vlan_present), SKB_RO(vlan_tci), SKB_RO(vlan_proto),
	SKB_RO(priority), SKB_RO(ingress_ifindex), SKB_RO(ifindex), SKB_RO(tc_index),
	SKB_RW(cb), SKB_RO(hash), SKB_RO(napi_id), SKB_RO(gso_segs), SKB_RO(gso_size),
};

/* tc (cls_bpf / act_bpf): direct packet access, more writable fields
 * (tc_cls_act_is_valid_access). */
static const struct progtype_ctx_field tc_fields[] = {
	SKB_RO(len), SKB_RO(pkt_type), SKB_RW(mark), SKB_RW(queue_mapping),
	SKB_RO(protocol), SKB_RO(vlan_present), SKB_RO(vlan_tci), SKB_RO(vlan_proto),
	SKB_RW(priority), SKB_RO(ingress_ifindex), SKB_RO(ifindex), SKB_RW(tc_index),
	SKB_RW(cb), SKB_RO(hash), SKB_RW(tc_classid),
	SKB_PTR(data, CTX_FIELD_PKT_DATA), SKB_PTR(data_end, CTX_FIELD_PKT_END),
	SKB_RO(napi_id), SKB_PTR(data_meta, CTX_FIELD_PKT_META),
	SKB_RW(tstamp), SKB_RO(wire_len), SKB_RO(gso_segs), SKB_RO(gso_size),
	SKB_RO(tstamp_type), SKB_RO(hwtstamp),
};

#define XDP_OFF(f) ((uint16_t)offsetof(struct xdp_md, f))
#define XDP_RO(f) { #f, XDP_OFF(f), 4, CTX_FIELD_SCALAR, true, false, true }
#define XDP_PTR(f, k) { #f, XDP_OFF(f), 4, k, true, false, false }

static const struct progtype_ctx_field xdp_fields[] = {
	XDP_PTR(data, CTX_FIELD_PKT_DATA), XDP_PTR(data_end, CTX_FIELD_PKT_END),
	XDP_PTR(data_meta, CTX_FIELD_PKT_META), XDP_RO(ingress_ifindex),
	XDP_RO(rx_queue_index), XDP_RO(egress_ifindex),
};

#define PE_OFF(f) ((uint16_t)offsetof(struct bpf_perf_event_data, f))
static const struct progtype_ctx_field perf_event_fields[] = {
	{ "regs", PE_OFF(regs), sizeof(bpf_user_pt_regs_t), CTX_FIELD_SCALAR, true, false, true },
	{ "sample_period", PE_OFF(sample_period), 8, CTX_FIELD_SCALAR, true, false, true },
	{ "addr", PE_OFF(addr), 8, CTX_FIELD_SCALAR, true, false, true },
};

/* x86-64 struct pt_regs: 21 saved registers of 8 bytes. */
#define PT_REGS_SIZE (21 * 8)
/* The kernel's PERF_MAX_TRACE_SIZE: the largest tracepoint record. */
#define TRACEPOINT_CTX_SIZE 2048
/* MAX_BPF_FUNC_ARGS u64 arguments. */
#define RAW_TP_CTX_SIZE (12 * 8)

/* ------------------------------------------------------------- helpers */

/* Sorted ascending; each list repeats the base ones so a lookup is one
 * binary search. */
#define BASE_HELPERS                                                        \
	BPF_FUNC_map_lookup_elem, BPF_FUNC_map_update_elem,                 \
	BPF_FUNC_map_delete_elem

#define BASE_HELPERS_TAIL                                                   \
	BPF_FUNC_map_push_elem, BPF_FUNC_map_pop_elem, BPF_FUNC_map_peek_elem, \
	BPF_FUNC_spin_lock, BPF_FUNC_spin_unlock, BPF_FUNC_strtol,          \
	BPF_FUNC_strtoul, BPF_FUNC_jiffies64,                               \
	BPF_FUNC_ktime_get_boot_ns, BPF_FUNC_ringbuf_output,                \
	BPF_FUNC_ringbuf_reserve, BPF_FUNC_ringbuf_submit,                  \
	BPF_FUNC_ringbuf_discard, BPF_FUNC_ringbuf_query,                   \
	BPF_FUNC_ktime_get_coarse_ns, BPF_FUNC_for_each_map_elem,          \
	BPF_FUNC_snprintf, BPF_FUNC_timer_init, BPF_FUNC_timer_set_callback, \
	BPF_FUNC_timer_start, BPF_FUNC_timer_cancel,                        \
	BPF_FUNC_trace_vprintk, BPF_FUNC_loop,                              \
	BPF_FUNC_strncmp,                                                   \
	BPF_FUNC_map_lookup_percpu_elem

static const uint32_t raw_helpers[] = {
	BASE_HELPERS, BPF_FUNC_ktime_get_ns, BPF_FUNC_trace_printk,
	BPF_FUNC_get_prandom_u32, BPF_FUNC_get_smp_processor_id,
	BPF_FUNC_tail_call, BPF_FUNC_get_numa_node_id, BASE_HELPERS_TAIL,
};

static const uint32_t socket_filter_helpers[] = {
	BASE_HELPERS, BPF_FUNC_ktime_get_ns, BPF_FUNC_trace_printk,
	BPF_FUNC_get_prandom_u32, BPF_FUNC_get_smp_processor_id,
	BPF_FUNC_tail_call, BPF_FUNC_perf_event_output, BPF_FUNC_skb_load_bytes,
	BPF_FUNC_get_numa_node_id, BPF_FUNC_get_socket_cookie,
	BPF_FUNC_get_socket_uid, BPF_FUNC_skb_load_bytes_relative,
	BASE_HELPERS_TAIL,
};

static const uint32_t tc_helpers[] = {
	BASE_HELPERS, BPF_FUNC_ktime_get_ns, BPF_FUNC_trace_printk,
	BPF_FUNC_get_prandom_u32, BPF_FUNC_get_smp_processor_id,
	BPF_FUNC_skb_store_bytes, BPF_FUNC_l3_csum_replace,
	BPF_FUNC_l4_csum_replace, BPF_FUNC_tail_call, BPF_FUNC_clone_redirect,
	BPF_FUNC_get_cgroup_classid, BPF_FUNC_skb_vlan_push,
	BPF_FUNC_skb_vlan_pop, BPF_FUNC_skb_get_tunnel_key,
	BPF_FUNC_skb_set_tunnel_key, BPF_FUNC_redirect,
	BPF_FUNC_get_route_realm, BPF_FUNC_perf_event_output,
	BPF_FUNC_skb_load_bytes, BPF_FUNC_csum_diff, BPF_FUNC_skb_change_proto,
	BPF_FUNC_skb_change_type, BPF_FUNC_get_hash_recalc,
	BPF_FUNC_skb_change_tail, BPF_FUNC_skb_pull_data, BPF_FUNC_csum_update,
	BPF_FUNC_set_hash_invalid, BPF_FUNC_get_numa_node_id,
	BPF_FUNC_skb_change_head, BPF_FUNC_get_socket_cookie,
	BPF_FUNC_get_socket_uid, BPF_FUNC_set_hash, BPF_FUNC_skb_adjust_room,
	BPF_FUNC_skb_load_bytes_relative, BPF_FUNC_fib_lookup,
	BASE_HELPERS_TAIL,
};

static const uint32_t xdp_helpers[] = {
	BASE_HELPERS, BPF_FUNC_ktime_get_ns, BPF_FUNC_trace_printk,
	BPF_FUNC_get_prandom_u32, BPF_FUNC_get_smp_processor_id,
	BPF_FUNC_tail_call, BPF_FUNC_redirect, BPF_FUNC_perf_event_output,
	BPF_FUNC_csum_diff, BPF_FUNC_get_numa_node_id, BPF_FUNC_xdp_adjust_head,
	BPF_FUNC_redirect_map, BPF_FUNC_xdp_adjust_meta,
	BPF_FUNC_xdp_adjust_tail, BPF_FUNC_fib_lookup, BASE_HELPERS_TAIL,
};

#define TRACING_HELPERS                                                     \
	BASE_HELPERS, BPF_FUNC_probe_read, BPF_FUNC_ktime_get_ns,           \
	BPF_FUNC_trace_printk, BPF_FUNC_get_prandom_u32,                    \
	BPF_FUNC_get_smp_processor_id, BPF_FUNC_tail_call,                  \
	BPF_FUNC_get_current_pid_tgid, BPF_FUNC_get_current_uid_gid,        \
	BPF_FUNC_get_current_comm, BPF_FUNC_perf_event_read,                \
	BPF_FUNC_perf_event_output, BPF_FUNC_get_stackid,                   \
	BPF_FUNC_get_current_task, BPF_FUNC_get_numa_node_id,               \
	BPF_FUNC_probe_read_str, BPF_FUNC_perf_event_read_value

#define TRACING_HELPERS_TAIL                                                \
	BPF_FUNC_get_stack, BPF_FUNC_get_current_cgroup_id,                 \
	BPF_FUNC_map_push_elem, BPF_FUNC_map_pop_elem, BPF_FUNC_map_peek_elem, \
	BPF_FUNC_spin_lock, BPF_FUNC_spin_unlock, BPF_FUNC_strtol,          \
	BPF_FUNC_strtoul, BPF_FUNC_send_signal,                             \
	BPF_FUNC_probe_read_user, BPF_FUNC_probe_read_kernel,               \
	BPF_FUNC_probe_read_user_str, BPF_FUNC_probe_read_kernel_str,       \
	BPF_FUNC_jiffies64, BPF_FUNC_ktime_get_boot_ns,                     \
	BPF_FUNC_ringbuf_output, BPF_FUNC_ringbuf_reserve,                  \
	BPF_FUNC_ringbuf_submit, BPF_FUNC_ringbuf_discard,                  \
	BPF_FUNC_ringbuf_query, BPF_FUNC_ktime_get_coarse_ns,               \
	BPF_FUNC_for_each_map_elem, BPF_FUNC_snprintf, BPF_FUNC_timer_init, \
	BPF_FUNC_timer_set_callback, BPF_FUNC_timer_start,                  \
	BPF_FUNC_timer_cancel, BPF_FUNC_get_func_ip,                        \
	BPF_FUNC_get_attach_cookie, BPF_FUNC_trace_vprintk, BPF_FUNC_loop,  \
	BPF_FUNC_strncmp,                                                   \
	BPF_FUNC_map_lookup_percpu_elem

static const uint32_t tracing_helpers[] = { TRACING_HELPERS, TRACING_HELPERS_TAIL };
static const uint32_t perf_event_helpers[] = {
	TRACING_HELPERS, BPF_FUNC_perf_prog_read_value, TRACING_HELPERS_TAIL,
};

/* --------------------------------------------------------- descriptors */

#define FIELDS(a) .fields = a, .nr_fields = ARRAY_LEN(a)
#define HELPERS(a) .helpers = a, .nr_helpers = ARRAY_LEN(a)
#define SIZES_ALL 0x0f  /* 1, 2, 4, 8 */
#define SIZE_8 0x08

static const struct progtype_desc descs[] = {
	{ .type = UEBPF_PROG_TYPE_RAW, .name = "raw", .ctx_name = "the input buffer",
	  .ctx_model = CTX_MODEL_RAW_MEM, HELPERS(raw_helpers),
	  .legacy_packet_loads = true },
	{ .type = BPF_PROG_TYPE_SOCKET_FILTER, .name = "socket_filter",
	  .ctx_name = "struct __sk_buff", .ctx_model = CTX_MODEL_FIELDS,
	  .ctx_size = sizeof(struct __sk_buff), FIELDS(socket_filter_fields),
	  HELPERS(socket_filter_helpers), .legacy_packet_loads = true,
	  .ret_hint = "the number of bytes of the packet to keep (0 drops it)" },
	{ .type = BPF_PROG_TYPE_SCHED_CLS, .name = "sched_cls",
	  .ctx_name = "struct __sk_buff", .ctx_model = CTX_MODEL_FIELDS,
	  .ctx_size = sizeof(struct __sk_buff), FIELDS(tc_fields),
	  HELPERS(tc_helpers), .direct_packet_access = true,
	  .legacy_packet_loads = true, .ret_hint = "a TC_ACT_* verdict" },
	{ .type = BPF_PROG_TYPE_SCHED_ACT, .name = "sched_act",
	  .ctx_name = "struct __sk_buff", .ctx_model = CTX_MODEL_FIELDS,
	  .ctx_size = sizeof(struct __sk_buff), FIELDS(tc_fields),
	  HELPERS(tc_helpers), .direct_packet_access = true,
	  .legacy_packet_loads = true, .ret_hint = "a TC_ACT_* verdict" },
	{ .type = BPF_PROG_TYPE_XDP, .name = "xdp", .ctx_name = "struct xdp_md",
	  .ctx_model = CTX_MODEL_FIELDS, .ctx_size = sizeof(struct xdp_md),
	  FIELDS(xdp_fields), HELPERS(xdp_helpers), .direct_packet_access = true,
	  .ret_hint = "an XDP action (XDP_ABORTED 0 .. XDP_REDIRECT 4)" },
	{ .type = BPF_PROG_TYPE_KPROBE, .name = "kprobe", .ctx_name = "struct pt_regs",
	  .ctx_model = CTX_MODEL_ARRAY, .ctx_size = PT_REGS_SIZE,
	  .array_sizes = SIZES_ALL, HELPERS(tracing_helpers) },
	{ .type = BPF_PROG_TYPE_TRACEPOINT, .name = "tracepoint",
	  .ctx_name = "the tracepoint record", .ctx_model = CTX_MODEL_ARRAY,
	  .ctx_size = TRACEPOINT_CTX_SIZE, .array_lo = 8, .array_sizes = SIZES_ALL,
	  HELPERS(tracing_helpers) },
	{ .type = BPF_PROG_TYPE_RAW_TRACEPOINT, .name = "raw_tracepoint",
	  .ctx_name = "the u64 argument array", .ctx_model = CTX_MODEL_ARRAY,
	  .ctx_size = RAW_TP_CTX_SIZE, .array_sizes = SIZE_8,
	  HELPERS(tracing_helpers) },
	{ .type = BPF_PROG_TYPE_PERF_EVENT, .name = "perf_event",
	  .ctx_name = "struct bpf_perf_event_data", .ctx_model = CTX_MODEL_FIELDS,
	  .ctx_size = sizeof(struct bpf_perf_event_data), FIELDS(perf_event_fields),
	  HELPERS(perf_event_helpers) },
	/* fentry/fexit must return 0 (the verifier applies this range unless
	 * the attach type is BPF_TRACE_RAW_TP or BPF_MODIFY_RETURN). */
	{ .type = BPF_PROG_TYPE_TRACING, .name = "tracing",
	  .ctx_name = "the u64 argument array", .ctx_model = CTX_MODEL_ARRAY,
	  .ctx_size = RAW_TP_CTX_SIZE, .array_sizes = SIZE_8,
	  HELPERS(tracing_helpers), .has_ret_range = true, .ret_min = 0, .ret_max = 0,
	  .ret_hint = "0 (fentry/fexit programs cannot change the result)" },
};

const struct progtype_desc *progtype_find(uint32_t type)
{
	for (size_t i = 0; i < ARRAY_LEN(descs); i++)
		if (descs[i].type == type)
			return &descs[i];
	return NULL;
}

const struct progtype_desc *progtype_find_name(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < ARRAY_LEN(descs); i++)
		if (!strcmp(descs[i].name, name))
			return &descs[i];
	/* Usual aliases. */
	if (!strcmp(name, "tc") || !strcmp(name, "classifier"))
		return progtype_find(BPF_PROG_TYPE_SCHED_CLS);
	if (!strcmp(name, "socket") || !strcmp(name, "socket_filter"))
		return progtype_find(BPF_PROG_TYPE_SOCKET_FILTER);
	if (!strcmp(name, "uprobe"))
		return progtype_find(BPF_PROG_TYPE_KPROBE);
	if (!strcmp(name, "raw_tp"))
		return progtype_find(BPF_PROG_TYPE_RAW_TRACEPOINT);
	if (!strcmp(name, "fentry") || !strcmp(name, "fexit"))
		return progtype_find(BPF_PROG_TYPE_TRACING);
	return NULL;
}

const struct progtype_desc *progtype_all(size_t *nr)
{
	*nr = ARRAY_LEN(descs);
	return descs;
}

bool progtype_helper_allowed(const struct progtype_desc *desc, uint32_t helper_id)
{
	size_t lo = 0, hi = desc->nr_helpers;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (desc->helpers[mid] == helper_id)
			return true;
		if (desc->helpers[mid] < helper_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

const struct progtype_ctx_field *progtype_ctx_field(const struct progtype_desc *desc,
						    uint32_t off)
{
	for (size_t i = 0; i < desc->nr_fields; i++) {
		const struct progtype_ctx_field *f = &desc->fields[i];

		if (off >= f->off && off < (uint32_t)f->off + f->size)
			return f;
	}
	return NULL;
}

bool progtype_ctx_access_ok(const struct progtype_desc *desc, uint32_t off,
			    uint32_t size, bool write, enum progtype_field_kind *kind,
			    char *why, size_t why_len)
{
	const struct progtype_ctx_field *f;

	*kind = CTX_FIELD_SCALAR;
	if (off >= desc->ctx_size || size > desc->ctx_size - off) {
		snprintf(why, why_len, "%u bytes at offset %u are outside %s (%u bytes)",
			 size, off, desc->ctx_name, desc->ctx_size);
		return false;
	}
	if (desc->ctx_model == CTX_MODEL_ARRAY) {
		if (write) {
			snprintf(why, why_len, "%s is read-only", desc->ctx_name);
			return false;
		}
		if (off < desc->array_lo) {
			snprintf(why, why_len, "the first %u bytes of %s are not accessible",
				 desc->array_lo, desc->ctx_name);
			return false;
		}
		if (!(desc->array_sizes & size) || off % size) {
			snprintf(why, why_len, "%s allows only naturally aligned %s loads",
				 desc->ctx_name, desc->array_sizes == SIZE_8 ? "8-byte" : "1/2/4/8-byte");
			return false;
		}
		return true;
	}
	f = progtype_ctx_field(desc, off);
	if (!f) {
		snprintf(why, why_len, "offset %u of %s is not a field this program type may access",
			 off, desc->ctx_name);
		return false;
	}
	if (off + size > (uint32_t)f->off + f->size) {
		snprintf(why, why_len, "%u bytes at offset %u run past field %s (offset %u, %u bytes)",
			 size, off, f->name, f->off, f->size);
		return false;
	}
	if (write ? !f->writable : !f->readable) {
		snprintf(why, why_len, "field %s of %s is %s", f->name, desc->ctx_name,
			 write ? "read-only for this program type" : "not readable for this program type");
		return false;
	}
	/* Fields are arrays of 4- or 8-byte elements (cb[5], regs): a full
	 * access is one element. */
	{
		/* Wide fields are arrays: cb[5] of u32, pt_regs of u64. */
		uint32_t elem = f->size <= 8 ? f->size : (strcmp(f->name, "regs") == 0 ? 8 : 4);
		bool full = size == elem && (off - f->off) % elem == 0;
		bool narrow = !write && f->narrow_read && size < elem && off % size == 0;

		/* tstamp-like u64 fields and cb[] words take only full writes. */
		if (!full && !narrow) {
			snprintf(why, why_len, "field %s must be accessed as %u-byte %s at offset %u%s",
				 f->name, elem, write ? "stores" : "loads", f->off,
				 f->narrow_read && !write ? " (or narrower aligned loads)" : "");
			return false;
		}
	}
	*kind = (enum progtype_field_kind)f->kind;
	return true;
}

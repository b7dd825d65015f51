/* SPDX-License-Identifier: MIT */
/*
 * The ELF object loader against the example objects (examples/, built with
 * clang-19) and against objects it must refuse (tests/loader/bad/ and
 * mutated copies of a valid object). Object folders come from
 * tests/loader/suite.cmake; without them (no clang-19) the test skips.
 */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/bpf.h>

#include "uebpf/object.h"

#ifndef UEBPF_EXAMPLES_DIR
#define UEBPF_EXAMPLES_DIR ""
#endif
#ifndef UEBPF_LOADER_BAD_DIR
#define UEBPF_LOADER_BAD_DIR ""
#endif
#ifndef BPF_PSEUDO_MAP_IDX
#define BPF_PSEUDO_MAP_IDX 5
#endif
#ifndef BPF_PSEUDO_MAP_IDX_VALUE
#define BPF_PSEUDO_MAP_IDX_VALUE 6
#endif

static char path_buf[1024];

static const char *example(const char *rel)
{
	snprintf(path_buf, sizeof(path_buf), "%s/%s", UEBPF_EXAMPLES_DIR, rel);
	return path_buf;
}

static const char *bad(const char *name)
{
	snprintf(path_buf, sizeof(path_buf), "%s/%s", UEBPF_LOADER_BAD_DIR, name);
	return path_buf;
}

static struct uebpf_object *open_ok(const char *path)
{
	struct uebpf_object *obj = NULL;
	struct uebpf_error err = { 0 };
	int ret = uebpf_object_open_file(path, NULL, &obj, &err);

	if (ret)
		fail_msg("open %s: %d %s", path, ret, err.msg);
	assert_non_null(obj);
	return obj;
}

static void *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	void *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* ------------------------------------------------------------ examples */

static void test_xdp_parser(void **state)
{
	struct uebpf_object *obj = open_ok(example("xdp_parser/xdp_parser.bpf.o"));
	struct uebpf_object_prog *p;
	struct uebpf_object_map *m;
	struct uebpf_map_spec spec;
	const struct bpf_insn *insns;
	const struct uebpf_line_info *li;
	const struct uebpf_func_info *fi;
	size_t n, i, nl, map_refs = 0;

	(void)state;
	assert_string_equal(uebpf_object_name(obj), "xdp_parser");
	assert_string_equal(uebpf_object_license(obj), "Dual MIT/GPL");
	assert_non_null(uebpf_object_btf(obj));
	assert_int_equal(uebpf_object_prog_cnt(obj), 1);
	p = uebpf_object_find_prog(obj, "xdp_count_udp");
	assert_non_null(p);
	assert_ptr_equal(p, uebpf_object_prog_at(obj, 0));
	assert_null(uebpf_object_prog_at(obj, 1));
	assert_string_equal(uebpf_object_prog_section(p), "xdp");
	assert_int_equal(uebpf_object_prog_type(p), BPF_PROG_TYPE_XDP);
	assert_int_equal(uebpf_object_prog_expected_attach_type(p), BPF_XDP);
	assert_null(uebpf_object_prog_get(p));

	assert_int_equal(uebpf_object_map_cnt(obj), 2);
	m = uebpf_object_find_map(obj, "udp_port_counts");
	assert_non_null(m);
	uebpf_object_map_spec(m, &spec);
	assert_string_equal(spec.name, "udp_port_counts");
	assert_int_equal(spec.type, BPF_MAP_TYPE_HASH);
	assert_int_equal(spec.key_size, 2);
	assert_int_equal(spec.value_size, 8);
	assert_int_equal(spec.max_entries, 1024);
	assert_null(spec.pin_dir);
	assert_int_equal(uebpf_object_map_origin(m), UEBPF_MAP_ORIGIN_BTF);
	assert_true(uebpf_object_map_btf_key_type_id(m) > 0);
	assert_null(uebpf_object_map_initial_value(m, &n));
	m = uebpf_object_find_map(obj, "proto_totals");
	assert_non_null(m);
	uebpf_object_map_spec(m, &spec);
	assert_int_equal(spec.type, BPF_MAP_TYPE_ARRAY);
	assert_int_equal(spec.value_size, 16);
	assert_int_equal(spec.max_entries, 256);

	/* Every map reference became lddw src=5 with a valid map index. */
	insns = uebpf_object_prog_insns(p, &n);
	assert_true(n > 20);
	for (i = 0; i < n; i++) {
		if (insns[i].code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if (insns[i].src_reg) {
			assert_int_equal(insns[i].src_reg, BPF_PSEUDO_MAP_IDX);
			assert_true(insns[i].imm >= 0 && insns[i].imm < 2);
			assert_int_equal(insns[i + 1].imm, 0);
			map_refs++;
		}
		i++;
	}
	assert_true(map_refs >= 3); /* proto_totals, udp_port_counts twice */

	/* Debug info: one function, lines pointing into the source. */
	assert_int_equal(uebpf_object_prog_func_info(p, &fi), 1);
	assert_string_equal(fi[0].name, "xdp_count_udp");
	assert_int_equal(fi[0].insn_idx, 0);
	nl = uebpf_object_prog_line_info(p, &li);
	assert_true(nl > 5);
	assert_true(ends_with(li[0].file, "xdp_parser.bpf.c"));
	assert_true(li[0].line > 0);
	for (i = 1; i < nl; i++)
		assert_true(li[i].insn_idx >= li[i - 1].insn_idx);
	assert_ptr_equal(uebpf_object_prog_line_at(p, n - 1), &li[nl - 1]);
	assert_ptr_equal(uebpf_object_prog_line_at(p, li[1].insn_idx), &li[1]);
	assert_ptr_equal(uebpf_object_prog_func_at(p, n - 1), &fi[0]);
	for (i = 0; i < nl && !strstr(li[i].source, "bpf_map_lookup_elem(&proto_totals"); i++)
		;
	assert_true(i < nl);
	uebpf_object_destroy(obj);
}

static void test_open_mem_and_opts(void **state)
{
	struct uebpf_object_opts opts = { .sz = sizeof(opts), .name = "custom",
					  .pin_dir = "/tmp/uebpf-test-pins",
					  .pin_mode = UEBPF_PIN_ALL };
	struct uebpf_object *obj = NULL;
	struct uebpf_error err = { 0 };
	struct uebpf_map_spec spec;
	size_t len;
	void *buf = read_all(example("maps/hash.bpf.o"), &len);
	unsigned char big[sizeof(opts) + 8] = { 0 };

	(void)state;
	assert_int_equal(uebpf_object_open_mem(buf, len, &opts, &obj, &err), 0);
	assert_string_equal(uebpf_object_name(obj), "custom");
	uebpf_object_map_spec(uebpf_object_find_map(obj, "hash_map"), &spec);
	assert_string_equal(spec.pin_dir, "/tmp/uebpf-test-pins");
	assert_int_equal(uebpf_object_map_pinning(uebpf_object_find_map(obj, "hash_map")), 1);
	uebpf_object_destroy(obj);

	/* Unknown non-zero option bytes from a newer caller are refused. */
	memcpy(big, &opts, sizeof(opts));
	((struct uebpf_object_opts *)big)->sz = sizeof(big);
	big[sizeof(big) - 1] = 1;
	assert_int_equal(uebpf_object_open_mem(buf, len, (void *)big, &obj, &err), -EINVAL);
	assert_null(obj);
	assert_int_equal(uebpf_object_open_mem(buf, 0, NULL, &obj, &err), -EINVAL);
	assert_true(uebpf_object_open_file("/nonexistent/x.o", NULL, &obj, &err) < 0);
	assert_non_null(strstr(err.msg, "/nonexistent/x.o"));
	free(buf);
}

struct sec_expect {
	const char *prog, *kind, *target;
	uint32_t type, attach;
	bool sleepable;
};

static void test_sections(void **state)
{
	static const struct sec_expect want[] = {
		{ "kp_unlinkat", "kprobe", "do_unlinkat", BPF_PROG_TYPE_KPROBE, 0, false },
		{ "krp_unlinkat", "kretprobe", "do_unlinkat", BPF_PROG_TYPE_KPROBE, 0, false },
		{ "up_main", "uprobe", "/usr/bin/true:main", BPF_PROG_TYPE_KPROBE, 0, false },
		{ "urp_malloc", "uretprobe", "libc.so.6:malloc", BPF_PROG_TYPE_KPROBE, 0, false },
		{ "ups_free", "uprobe.s", "libc.so.6:free", BPF_PROG_TYPE_KPROBE, 0, true },
		{ "usdt_setjmp", "usdt", "libc.so.6:libc:setjmp", BPF_PROG_TYPE_KPROBE, 0, false },
		{ "on_perf_event", "perf_event", "", BPF_PROG_TYPE_PERF_EVENT, 0, false },
		{ "fentry_unlinkat", "fentry", "do_unlinkat", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, false },
		{ "fexit_unlinkat", "fexit", "do_unlinkat", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, false },
		{ "lsm_file_open", "lsm", "file_open", BPF_PROG_TYPE_LSM, BPF_LSM_MAC, false },
		{ "lsm_s_bprm", "lsm.s", "bprm_check_security", BPF_PROG_TYPE_LSM, BPF_LSM_MAC, true },
		{ "btf_sched_switch", "tp_btf", "sched_switch", BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, false },
		{ "tp_exec", "tp", "sched/sched_process_exec", BPF_PROG_TYPE_TRACEPOINT, 0, false },
		{ "raw_sys_enter", "raw_tp", "sys_enter", BPF_PROG_TYPE_RAW_TRACEPOINT, 0, false },
		{ "cg_ingress", "cgroup_skb/ingress", "", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_INGRESS, false },
		{ "cg_egress", "cgroup_skb/egress", "", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_EGRESS, false },
		{ "cg_connect4", "cgroup/connect4", "", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT, false },
		{ "cg_sock_create", "cgroup/sock_create", "", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, false },
		{ "cg_sysctl", "cgroup/sysctl", "", BPF_PROG_TYPE_CGROUP_SYSCTL, BPF_CGROUP_SYSCTL, false },
		{ "on_sockops", "sockops", "", BPF_PROG_TYPE_SOCK_OPS, BPF_CGROUP_SOCK_OPS, false },
		{ "on_sk_msg", "sk_msg", "", BPF_PROG_TYPE_SK_MSG, BPF_SK_MSG_VERDICT, false },
		{ "on_stream_verdict", "sk_skb/stream_verdict", "", BPF_PROG_TYPE_SK_SKB, BPF_SK_SKB_STREAM_VERDICT, false },
		{ "on_flow_dissector", "flow_dissector", "", BPF_PROG_TYPE_FLOW_DISSECTOR, BPF_FLOW_DISSECTOR, false },
		{ "xdp_frags", "xdp.frags", "", BPF_PROG_TYPE_XDP, BPF_XDP, false },
		{ "xdp_devmap", "xdp/devmap", "", BPF_PROG_TYPE_XDP, BPF_XDP_DEVMAP, false },
		{ "on_sk_lookup", "sk_lookup", "", BPF_PROG_TYPE_SK_LOOKUP, BPF_SK_LOOKUP, false },
		{ "iter_task", "iter", "task", BPF_PROG_TYPE_TRACING, BPF_TRACE_ITER, false },
		{ "on_syscall", "syscall", "", BPF_PROG_TYPE_SYSCALL, 0, true },
		{ "custom", "", "", BPF_PROG_TYPE_UNSPEC, 0, false },
	};
	struct uebpf_object *obj = open_ok(example("sections/sections.bpf.o"));
	size_t i;

	(void)state;
	assert_int_equal(uebpf_object_prog_cnt(obj), sizeof(want) / sizeof(want[0]));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct uebpf_object_prog *p = uebpf_object_find_prog(obj, want[i].prog);

		if (!p)
			fail_msg("no program %s", want[i].prog);
		assert_string_equal(uebpf_object_prog_sec_kind(p), want[i].kind);
		assert_string_equal(uebpf_object_prog_attach_target(p), want[i].target);
		assert_int_equal(uebpf_object_prog_type(p), want[i].type);
		assert_int_equal(uebpf_object_prog_expected_attach_type(p), want[i].attach);
		assert_int_equal(uebpf_object_prog_sleepable(p), want[i].sleepable);
	}
	uebpf_object_destroy(obj);
}

static void test_sec_name_parse(void **state)
{
	struct uebpf_sec_info info;

	(void)state;
	assert_true(uebpf_sec_name_parse("tracepoint/syscalls/sys_enter_write", &info));
	assert_int_equal(info.prog_type, BPF_PROG_TYPE_TRACEPOINT);
	assert_string_equal(info.attach_target, "syscalls/sys_enter_write");
	assert_true(uebpf_sec_name_parse("kprobe", &info)); /* target given at attach */
	assert_string_equal(info.attach_target, "");
	assert_true(uebpf_sec_name_parse("tc", &info));
	assert_int_equal(info.prog_type, BPF_PROG_TYPE_SCHED_CLS);
	assert_true(uebpf_sec_name_parse("socket", &info));
	assert_int_equal(info.prog_type, BPF_PROG_TYPE_SOCKET_FILTER);
	/* libbpf 1.x matches plain kinds exactly and "kind+" only before '/'. */
	assert_false(uebpf_sec_name_parse("xdp_foo", &info));
	assert_false(uebpf_sec_name_parse("socket1", &info));
	assert_false(uebpf_sec_name_parse("kprobex/foo", &info));
	assert_false(info.known);
	assert_int_equal(info.prog_type, 0);
	assert_false(uebpf_sec_name_parse(NULL, &info));
}

static const struct uebpf_func_info *func_named(const struct uebpf_object_prog *p,
						const char *name, size_t *count)
{
	const struct uebpf_func_info *fi, *hit = NULL;
	size_t n = uebpf_object_prog_func_info(p, &fi), i;

	*count = 0;
	for (i = 0; i < n; i++)
		if (strcmp(fi[i].name, name) == 0) {
			hit = &fi[i];
			(*count)++;
		}
	return hit;
}

/* Each local call must land on the first instruction of an appended
 * function. */
static void check_calls_land_on_funcs(const struct uebpf_object_prog *p)
{
	size_t n, i;
	const struct bpf_insn *insns = uebpf_object_prog_insns(p, &n);

	for (i = 0; i < n; i++) {
		const struct uebpf_func_info *f;
		int64_t t;

		if (insns[i].code == (BPF_JMP | BPF_CALL) && insns[i].src_reg == BPF_PSEUDO_CALL) {
			t = (int64_t)i + 1 + insns[i].imm;
		} else if (insns[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
			   insns[i].src_reg == BPF_PSEUDO_FUNC) {
			t = (int64_t)i + 1 + insns[i].imm;
		} else {
			continue;
		}
		assert_true(t >= 0 && t < (int64_t)n);
		f = uebpf_object_prog_func_at(p, (size_t)t);
		assert_non_null(f);
		assert_int_equal(f->insn_idx, (size_t)t);
	}
}

static void test_bpf2bpf(void **state)
{
	struct uebpf_object *obj = open_ok(example("bpf2bpf/bpf2bpf.bpf.o"));
	struct uebpf_object_prog *xdp = uebpf_object_find_prog(obj, "bpf2bpf_xdp");
	struct uebpf_object_prog *sock = uebpf_object_find_prog(obj, "bpf2bpf_socket");
	const struct uebpf_func_info *f;
	size_t count, calls = 0, n, i;
	const struct bpf_insn *insns;

	(void)state;
	assert_int_equal(uebpf_object_prog_cnt(obj), 2); /* .text functions are not programs */
	assert_non_null(xdp);
	assert_non_null(sock);
	assert_null(uebpf_object_find_prog(obj, "square"));
	/* Each called function appended once, after the program itself. */
	assert_int_equal(func_named(xdp, "bpf2bpf_xdp", &count)->insn_idx, 0);
	assert_int_equal(count, 1);
	for (i = 0; i < 3; i++) {
		static const char *const subs[] = { "bump", "sum_of_squares", "square" };

		f = func_named(xdp, subs[i], &count);
		assert_non_null(f);
		assert_int_equal(count, 1);
		assert_true(f->insn_idx > 0);
	}
	/* The socket program only pulls in what it calls. */
	assert_non_null(func_named(sock, "square", &count));
	assert_null(func_named(sock, "bump", &count));
	check_calls_land_on_funcs(xdp);
	check_calls_land_on_funcs(sock);
	insns = uebpf_object_prog_insns(xdp, &n);
	for (i = 0; i < n; i++)
		calls += insns[i].code == (BPF_JMP | BPF_CALL) && insns[i].src_reg == BPF_PSEUDO_CALL;
	assert_true(calls >= 4);
	/* Line info follows the appended code. */
	f = func_named(xdp, "square", &count);
	{
		const struct uebpf_line_info *li;
		size_t nl = uebpf_object_prog_line_info(xdp, &li);
		bool found = false;

		for (i = 0; i < nl; i++)
			if (li[i].insn_idx >= f->insn_idx && strstr(li[i].source, "x * x"))
				found = true;
		assert_true(found);
		assert_true(ends_with(uebpf_object_prog_line_at(xdp, f->insn_idx)->file,
				      "bpf2bpf.bpf.c"));
	}
	uebpf_object_destroy(obj);
}

static void test_callbacks(void **state)
{
	struct uebpf_object *obj = open_ok(example("callbacks/callbacks.bpf.o"));
	struct uebpf_object_prog *p = uebpf_object_find_prog(obj, "loop_sum");
	const struct bpf_insn *insns;
	size_t n, i, count, code_refs = 0;
	const struct uebpf_func_info *add, *sum;

	(void)state;
	assert_non_null(p);
	add = func_named(p, "add_index", &count);
	assert_non_null(add);
	sum = func_named(p, "sum_value", &count);
	assert_non_null(sum);
	insns = uebpf_object_prog_insns(p, &n);
	for (i = 0; i < n; i++) {
		if (insns[i].code == (BPF_LD | BPF_IMM | BPF_DW) &&
		    insns[i].src_reg == BPF_PSEUDO_FUNC) {
			size_t t = i + 1 + (size_t)(int64_t)insns[i].imm;

			assert_true(t == add->insn_idx || t == sum->insn_idx);
			assert_int_equal(insns[i + 1].imm, 0);
			code_refs++;
		}
	}
	assert_int_equal(code_refs, 2);
	check_calls_land_on_funcs(p);
	uebpf_object_destroy(obj);
}

static struct uebpf_object_map *var(struct uebpf_object *obj, const char *name,
				    uint32_t *off, uint32_t *size)
{
	struct uebpf_object_map *m = NULL;

	assert_int_equal(uebpf_object_find_var(obj, name, &m, off, size), 0);
	assert_non_null(m);
	return m;
}

static void test_globals(void **state)
{
	struct uebpf_object *obj = open_ok(example("globals/globals.bpf.o"));
	struct uebpf_object_map *m;
	struct uebpf_map_spec spec;
	struct uebpf_error err;
	struct uebpf_object_prog *p = uebpf_object_find_prog(obj, "globals_xdp");
	const struct bpf_insn *insns;
	uint32_t off, size, v32;
	uint64_t v64;
	size_t len, n, i;
	uint8_t *data;
	bool saw_hits = false, saw_named = false;
	int rodata_idx = -1, data_idx = -1, named_idx = -1;

	(void)state;
	for (i = 0; i < uebpf_object_map_cnt(obj); i++) {
		const char *name = uebpf_object_map_name(uebpf_object_map_at(obj, i));

		if (!strcmp(name, ".rodata"))
			rodata_idx = (int)i;
		if (!strcmp(name, ".data"))
			data_idx = (int)i;
		if (!strcmp(name, ".data.counters"))
			named_idx = (int)i;
	}
	assert_true(rodata_idx >= 0 && data_idx >= 0 && named_idx >= 0);
	assert_non_null(uebpf_object_find_map(obj, ".bss"));
	assert_non_null(uebpf_object_find_map(obj, ".rodata.str1.1"));

	/* .rodata: read-only for programs, host-settable before load. */
	m = var(obj, "threshold", &off, &size);
	assert_string_equal(uebpf_object_map_name(m), ".rodata");
	assert_int_equal(uebpf_object_map_origin(m), UEBPF_MAP_ORIGIN_GLOBAL_DATA);
	uebpf_object_map_spec(m, &spec);
	assert_int_equal(spec.type, BPF_MAP_TYPE_ARRAY);
	assert_int_equal(spec.key_size, 4);
	assert_int_equal(spec.max_entries, 1);
	assert_int_equal(spec.map_flags, BPF_F_RDONLY_PROG);
	assert_int_equal(size, 4);
	data = uebpf_object_map_initial_value(m, &len);
	assert_non_null(data);
	assert_int_equal(len, spec.value_size);
	memcpy(&v32, data + off, 4);
	assert_int_equal(v32, 100);
	v32 = 5;
	memcpy(data + off, &v32, 4);
	var(obj, "scale", &off, &size);
	memcpy(&v64, data + off, 8);
	assert_int_equal(v64, 3);

	m = var(obj, "hits", &off, &size);
	assert_string_equal(uebpf_object_map_name(m), ".data");
	memcpy(&v64, (uint8_t *)uebpf_object_map_initial_value(m, &len) + off, 8);
	assert_int_equal(v64, 7);
	m = var(obj, "named_counter", &off, &size);
	assert_string_equal(uebpf_object_map_name(m), ".data.counters");
	memcpy(&v64, (uint8_t *)uebpf_object_map_initial_value(m, &len) + off, 8);
	assert_int_equal(v64, 42);
	m = var(obj, "misses", &off, &size);
	assert_string_equal(uebpf_object_map_name(m), ".bss");
	data = uebpf_object_map_initial_value(m, &len);
	for (i = 0; i < len; i++)
		assert_int_equal(data[i], 0);
	assert_int_equal(uebpf_object_find_var(obj, "no_such_var", NULL, NULL, NULL), -ENOENT);

	/* Whole-value replacement checks the size. */
	assert_int_equal(uebpf_object_map_set_initial_value(m, data, len + 1, &err), -EINVAL);
	assert_int_equal(uebpf_object_map_set_initial_value(m, data, len, &err), 0);
	assert_int_equal(uebpf_object_map_set_initial_value(uebpf_object_find_map(obj, ".data"),
							    NULL, 0, &err), -EINVAL);

	/* Global accesses became lddw src=6 map index + offset. */
	var(obj, "hits", &off, &size);
	insns = uebpf_object_prog_insns(p, &n);
	for (i = 0; i + 1 < n; i++) {
		if (insns[i].code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		assert_int_equal(insns[i].src_reg, BPF_PSEUDO_MAP_IDX_VALUE);
		assert_true(insns[i].imm >= 0 && (size_t)insns[i].imm < uebpf_object_map_cnt(obj));
		if (insns[i].imm == data_idx && (uint32_t)insns[i + 1].imm == off)
			saw_hits = true;
		if (insns[i].imm == named_idx)
			saw_named = true;
		i++;
	}
	assert_true(saw_hits);
	assert_true(saw_named);
	uebpf_object_destroy(obj);
}

static void test_legacy_maps(void **state)
{
	struct uebpf_object *obj = open_ok(example("legacy_maps/legacy_maps.bpf.o"));
	struct uebpf_object_map *m = uebpf_object_find_map(obj, "legacy_counts");
	struct uebpf_map_spec spec;

	(void)state;
	assert_int_equal(uebpf_object_kern_version(obj), 0x060100);
	assert_int_equal(uebpf_object_map_cnt(obj), 2);
	assert_non_null(m);
	assert_int_equal(uebpf_object_map_origin(m), UEBPF_MAP_ORIGIN_LEGACY);
	uebpf_object_map_spec(m, &spec);
	assert_int_equal(spec.type, BPF_MAP_TYPE_HASH);
	assert_int_equal(spec.key_size, 4);
	assert_int_equal(spec.value_size, 8);
	assert_int_equal(spec.max_entries, 64);
	uebpf_object_map_spec(uebpf_object_find_map(obj, "legacy_array"), &spec);
	assert_int_equal(spec.type, BPF_MAP_TYPE_ARRAY);
	assert_int_equal(spec.value_size, 4);
	assert_int_equal(spec.max_entries, 16);
	uebpf_object_destroy(obj);
}

struct map_expect {
	const char *file, *map;
	uint32_t type, key, value, max, flags;
};

static void test_map_types(void **state)
{
	static const struct map_expect want[] = {
		{ "array", "array_map", BPF_MAP_TYPE_ARRAY, 4, 16, 8, 0 },
		{ "percpu_array", "percpu_array_map", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 16, 8, 0 },
		{ "hash", "hash_map", BPF_MAP_TYPE_HASH, 8, 16, 8, 0 },
		{ "percpu_hash", "percpu_hash_map", BPF_MAP_TYPE_PERCPU_HASH, 8, 16, 8, BPF_F_NO_PREALLOC },
		{ "lru_hash", "lru_hash_map", BPF_MAP_TYPE_LRU_HASH, 8, 16, 8, 0 },
		{ "lru_percpu_hash", "lru_percpu_hash_map", BPF_MAP_TYPE_LRU_PERCPU_HASH, 8, 16, 8, 0 },
		{ "lpm_trie", "routes", BPF_MAP_TYPE_LPM_TRIE, 8, 4, 256, BPF_F_NO_PREALLOC },
		{ "ringbuf", "events", BPF_MAP_TYPE_RINGBUF, 0, 0, 64 * 1024, 0 },
		{ "queue", "queue_lens", BPF_MAP_TYPE_QUEUE, 0, 4, 32, 0 },
		{ "stack", "stack_lens", BPF_MAP_TYPE_STACK, 0, 4, 32, 0 },
		{ "bloom_filter", "deny", BPF_MAP_TYPE_BLOOM_FILTER, 0, 4, 1000, 0 },
		{ "prog_array", "dispatch", BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 256, 0 },
		{ "array_of_maps", "array_of_maps_outer", BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 8, 0 },
		{ "hash_of_maps", "hash_of_maps_outer", BPF_MAP_TYPE_HASH_OF_MAPS, 4, 4, 8, 0 },
		{ "perf_event_array", "samples", BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4, 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		char rel[128];
		struct uebpf_object *obj;
		struct uebpf_object_map *m;
		struct uebpf_map_spec spec;

		snprintf(rel, sizeof(rel), "maps/%s.bpf.o", want[i].file);
		obj = open_ok(example(rel));
		m = uebpf_object_find_map(obj, want[i].map);
		if (!m)
			fail_msg("%s: no map %s", rel, want[i].map);
		uebpf_object_map_spec(m, &spec);
		assert_int_equal(spec.type, want[i].type);
		assert_int_equal(spec.key_size, want[i].key);
		assert_int_equal(spec.value_size, want[i].value);
		/* perf event arrays without max_entries get one slot per CPU. */
		assert_int_equal(spec.max_entries,
				 want[i].max ? want[i].max : uebpf_map_nr_cpus());
		assert_int_equal(spec.map_flags, want[i].flags);
		assert_true(uebpf_object_prog_cnt(obj) >= 1);
		uebpf_object_destroy(obj);
	}
}

static void test_map_extras(void **state)
{
	struct uebpf_object *obj;
	const struct uebpf_object_map *inner;
	struct uebpf_map_spec spec;
	struct uebpf_object_map *m;

	(void)state;
	obj = open_ok(example("maps/bloom_filter.bpf.o"));
	assert_int_equal(uebpf_object_map_extra(uebpf_object_find_map(obj, "deny")), 3);
	uebpf_object_destroy(obj);

	obj = open_ok(example("maps/array_of_maps.bpf.o"));
	m = uebpf_object_find_map(obj, "array_of_maps_outer");
	inner = uebpf_object_map_inner(m);
	assert_non_null(inner);
	uebpf_object_map_spec(inner, &spec);
	assert_int_equal(spec.type, BPF_MAP_TYPE_ARRAY);
	assert_int_equal(spec.key_size, 4);
	assert_int_equal(spec.value_size, 8);
	assert_int_equal(spec.max_entries, 4);
	assert_null(uebpf_object_map_inner(uebpf_object_find_map(obj, "array_of_maps_inner_a")));
	/* Shape changes before load. */
	assert_int_equal(uebpf_object_map_set_max_entries(m, 16), 0);
	uebpf_object_map_spec(m, &spec);
	assert_int_equal(spec.max_entries, 16);
	uebpf_object_destroy(obj);

	obj = open_ok(example("maps/prog_array.bpf.o"));
	assert_int_equal(uebpf_object_prog_cnt(obj), 3);
	assert_non_null(uebpf_object_find_prog(obj, "dispatcher"));
	assert_non_null(uebpf_object_find_prog(obj, "handle_udp"));
	uebpf_object_destroy(obj);
}

/* ------------------------------------------------------------- loading */

static uint64_t helper_stub(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			    struct uebpf_run_ctx *rc)
{
	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5, (void)rc;
	return 0;
}

/* Every helper id a stub, so loading checks the loader, not helper sets. */
static struct uebpf_helper_set *all_helpers(void)
{
	struct uebpf_helper_set *set;
	struct uebpf_error err;
	uint32_t id;

	assert_int_equal(uebpf_helper_set_create(&set, &err), 0);
	for (id = 1; id < 212; id++) {
		struct uebpf_helper_proto proto = { .id = id, .name = "stub", .fn = helper_stub };

		assert_int_equal(uebpf_helper_set_add(set, &proto, &err), 0);
	}
	return set;
}

/* uebpf_prog_load learns about uebpf_prog_opts.maps in src/prog; until it
 * does, loading objects with map references cannot work. */
static bool prog_load_lacks_maps(int ret, const struct uebpf_error *err)
{
	return ret && (strstr(err->msg, "resolved by the object loader") ||
		       strstr(err->msg, "must be resolved by the object loader"));
}

static struct uebpf_object *open_and_load(const char *path,
					  const struct uebpf_helper_set *helpers)
{
	struct uebpf_object_opts opts = { .sz = sizeof(opts), .helpers = helpers };
	struct uebpf_object *obj = NULL;
	struct uebpf_error err = { 0 };
	int ret;

	ret = uebpf_object_open_file(path, &opts, &obj, &err);
	if (ret)
		fail_msg("open %s: %d %s", path, ret, err.msg);
	ret = uebpf_object_load(obj, &err);
	if (prog_load_lacks_maps(ret, &err)) {
		uebpf_object_destroy(obj);
		return NULL;
	}
	if (ret)
		fail_msg("load %s: %d %s", path, ret, err.msg);
	return obj;
}

static void test_load_all_examples(void **state)
{
	static const char *const rel[] = {
		"xdp_parser/xdp_parser.bpf.o", "tc_classifier/tc_classifier.bpf.o",
		"socket_filter/socket_filter.bpf.o", "tracepoint/tracepoint.bpf.o",
		"sections/sections.bpf.o", "globals/globals.bpf.o", "bpf2bpf/bpf2bpf.bpf.o",
		"callbacks/callbacks.bpf.o", "legacy_maps/legacy_maps.bpf.o",
		"maps/array.bpf.o", "maps/percpu_array.bpf.o", "maps/hash.bpf.o",
		"maps/percpu_hash.bpf.o", "maps/lru_hash.bpf.o", "maps/lru_percpu_hash.bpf.o",
		"maps/lpm_trie.bpf.o", "maps/ringbuf.bpf.o", "maps/perf_event_array.bpf.o",
		"maps/queue.bpf.o", "maps/stack.bpf.o", "maps/bloom_filter.bpf.o",
		"maps/prog_array.bpf.o", "maps/array_of_maps.bpf.o", "maps/hash_of_maps.bpf.o",
	};
	struct uebpf_helper_set *helpers = all_helpers();
	size_t i, k, pending = 0;

	(void)state;
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		struct uebpf_object *obj = open_and_load(example(rel[i]), helpers);

		if (!obj) {
			pending++;
			continue;
		}
		for (k = 0; k < uebpf_object_prog_cnt(obj); k++)
			assert_non_null(uebpf_object_prog_get(uebpf_object_prog_at(obj, k)));
		for (k = 0; k < uebpf_object_map_cnt(obj); k++)
			assert_non_null(uebpf_object_map_get(uebpf_object_map_at(obj, k)));
		uebpf_object_destroy(obj);
	}
	uebpf_helper_set_destroy(helpers);
	if (pending == sizeof(rel) / sizeof(rel[0]) - 1) /* all but sections */
		skip();
	assert_int_equal(pending, 0);
}

static void test_load_values_initialisers(void **state)
{
	struct uebpf_helper_set *helpers = all_helpers();
	struct uebpf_object *obj;
	struct uebpf_error err;
	uint32_t key, id;

	(void)state;
	obj = open_and_load(example("maps/array_of_maps.bpf.o"), helpers);
	if (!obj) {
		uebpf_helper_set_destroy(helpers);
		skip();
	}
	key = 0;
	assert_int_equal(uebpf_map_lookup(uebpf_object_map_get(uebpf_object_find_map(
				 obj, "array_of_maps_outer")), &key, &id, &err), 0);
	assert_int_equal(id, uebpf_map_id(uebpf_object_map_get(
				     uebpf_object_find_map(obj, "array_of_maps_inner_a"))));
	key = 3;
	assert_int_equal(uebpf_map_lookup(uebpf_object_map_get(uebpf_object_find_map(
				 obj, "array_of_maps_outer")), &key, &id, &err), 0);
	assert_int_equal(id, uebpf_map_id(uebpf_object_map_get(
				     uebpf_object_find_map(obj, "array_of_maps_inner_b"))));
	uebpf_object_destroy(obj);

	obj = open_and_load(example("maps/prog_array.bpf.o"), helpers);
	assert_non_null(obj);
	key = 6; /* IPPROTO_TCP */
	assert_int_equal(uebpf_map_lookup(uebpf_object_map_get(uebpf_object_find_map(
				 obj, "dispatch")), &key, &id, &err), 0);
	assert_ptr_equal(uebpf_prog_registry_get(id),
			 uebpf_object_prog_get(uebpf_object_find_prog(obj, "handle_tcp")));
	uebpf_object_destroy(obj);
	/* The object gave its registry ids back. */
	assert_null(uebpf_prog_registry_get(id));
	uebpf_helper_set_destroy(helpers);
}

/* Maps only (every program's autoload off): needs no program support. */
static struct uebpf_object *load_maps_only(const char *path, const struct uebpf_object_opts *opts)
{
	struct uebpf_object *obj = NULL;
	struct uebpf_error err = { 0 };
	size_t k;
	int ret;

	ret = uebpf_object_open_file(path, opts, &obj, &err);
	if (ret)
		fail_msg("open %s: %d %s", path, ret, err.msg);
	for (k = 0; k < uebpf_object_prog_cnt(obj); k++)
		assert_int_equal(uebpf_object_prog_set_autoload(uebpf_object_prog_at(obj, k), false), 0);
	ret = uebpf_object_load(obj, &err);
	if (ret)
		fail_msg("load %s: %d %s", path, ret, err.msg);
	return obj;
}

static void test_load_maps_only(void **state)
{
	static const char *const rel[] = {
		"xdp_parser/xdp_parser.bpf.o", "tc_classifier/tc_classifier.bpf.o",
		"globals/globals.bpf.o", "callbacks/callbacks.bpf.o",
		"legacy_maps/legacy_maps.bpf.o", "maps/array.bpf.o", "maps/percpu_array.bpf.o",
		"maps/hash.bpf.o", "maps/percpu_hash.bpf.o", "maps/lru_hash.bpf.o",
		"maps/lru_percpu_hash.bpf.o", "maps/lpm_trie.bpf.o", "maps/ringbuf.bpf.o",
		"maps/perf_event_array.bpf.o", "maps/queue.bpf.o", "maps/stack.bpf.o",
		"maps/bloom_filter.bpf.o", "maps/array_of_maps.bpf.o", "maps/hash_of_maps.bpf.o",
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		struct uebpf_object *obj = load_maps_only(example(rel[i]), NULL);

		for (k = 0; k < uebpf_object_map_cnt(obj); k++) {
			struct uebpf_object_map *m = uebpf_object_map_at(obj, k);
			struct uebpf_map *map = uebpf_object_map_get(m);
			struct uebpf_map_spec spec;

			assert_non_null(map);
			uebpf_object_map_spec(m, &spec);
			assert_string_equal(uebpf_map_name(map), spec.name);
			assert_int_equal(uebpf_map_type(map), spec.type);
			assert_int_equal(uebpf_map_max_entries(map), spec.max_entries);
		}
		assert_null(uebpf_object_prog_get(uebpf_object_prog_at(obj, 0)));
		uebpf_object_destroy(obj);
	}
}

static void test_load_global_values(void **state)
{
	struct uebpf_object *obj;
	struct uebpf_error err = { 0 };
	uint32_t off, size, zero = 0, key;
	uint8_t value[64];
	uint64_t v64;

	(void)state;
	obj = load_maps_only(example("globals/globals.bpf.o"), NULL);
	/* The section's bytes are the map's first contents. */
	var(obj, "hits", &off, &size);
	assert_int_equal(uebpf_map_lookup(uebpf_object_map_get(uebpf_object_find_map(obj, ".data")),
					  &zero, value, &err), 0);
	memcpy(&v64, value + off, 8);
	assert_int_equal(v64, 7);
	assert_null(uebpf_object_map_initial_value(uebpf_object_find_map(obj, ".data"), NULL));
	assert_int_equal(uebpf_object_map_set_initial_value(uebpf_object_find_map(obj, ".data"),
							    value, 8, &err), -EBUSY);
	assert_int_equal(uebpf_object_map_set_max_entries(uebpf_object_find_map(obj, ".data"), 2),
			 -EBUSY);
	uebpf_object_destroy(obj);

	/* Map-in-map `values` point at the inner maps. */
	obj = load_maps_only(example("maps/hash_of_maps.bpf.o"), NULL);
	key = 3;
	assert_int_equal(uebpf_map_lookup(uebpf_object_map_get(uebpf_object_find_map(
				 obj, "hash_of_maps_outer")), &key, &zero, &err), 0);
	assert_int_equal(zero, uebpf_map_id(uebpf_object_map_get(
				       uebpf_object_find_map(obj, "hash_of_maps_inner_b"))));
	key = 1;
	assert_int_equal(uebpf_map_lookup(uebpf_object_map_get(uebpf_object_find_map(
				 obj, "hash_of_maps_outer")), &key, &zero, &err), -ENOENT);
	uebpf_object_destroy(obj);
}

static void test_pinned_reuse(void **state)
{
	char dir[] = "/tmp/uebpf-loader-test-XXXXXX";
	struct uebpf_object_opts opts = { .sz = sizeof(opts) };
	struct uebpf_object *a, *b;
	struct uebpf_error err = { 0 };
	uint64_t key = 0x1234, got[2 * 64], val[2] = { 9, 10 };
	char path[128];

	(void)state;
	assert_non_null(mkdtemp(dir));
	opts.pin_dir = dir;
	/* hash_map is declared LIBBPF_PIN_BY_NAME: a second object reuses it. */
	a = load_maps_only(example("maps/hash.bpf.o"), &opts);
	b = load_maps_only(example("maps/hash.bpf.o"), &opts);
	assert_int_equal(uebpf_map_update(uebpf_object_map_get(uebpf_object_find_map(a, "hash_map")),
					  &key, val, BPF_ANY, &err), 0);
	assert_int_equal(uebpf_map_lookup(uebpf_object_map_get(uebpf_object_find_map(b, "hash_map")),
					  &key, got, &err), 0);
	assert_int_equal(got[1], 10);
	uebpf_object_destroy(b);
	uebpf_object_destroy(a);
	snprintf(path, sizeof(path), "%s/hash_map", dir);
	unlink(path);
	rmdir(dir);
}

static void test_load_no_maps(void **state)
{
	struct uebpf_object *obj = open_ok(example("sections/sections.bpf.o"));
	struct uebpf_object_prog *custom = uebpf_object_find_prog(obj, "custom");
	struct uebpf_object_prog *kp = uebpf_object_find_prog(obj, "kp_unlinkat");
	struct uebpf_error err = { 0 };
	int ret;

	(void)state;
	assert_int_equal(uebpf_object_prog_set_autoload(custom, false), 0);
	assert_int_equal(uebpf_object_prog_set_type(custom, BPF_PROG_TYPE_XDP, BPF_XDP), 0);
	assert_int_equal(uebpf_object_prog_type(custom), BPF_PROG_TYPE_XDP);
	ret = uebpf_object_load(obj, &err);
	if (ret)
		fail_msg("load: %d %s", ret, err.msg);
	assert_true(uebpf_object_is_loaded(obj));
	assert_non_null(uebpf_object_prog_get(kp));
	assert_string_equal(uebpf_prog_name(uebpf_object_prog_get(kp)), "kp_unlinkat");
	assert_null(uebpf_object_prog_get(custom));
	assert_int_equal(uebpf_object_load(obj, &err), -EALREADY);
	assert_int_equal(uebpf_object_prog_set_autoload(custom, true), -EBUSY);
	uebpf_object_destroy(obj);
}

static void test_load_globals(void **state)
{
	static const uint32_t ids[] = { 6 /* trace_printk */ };
	struct uebpf_helper_set *helpers;
	struct uebpf_object_opts opts = { .sz = sizeof(opts) };
	struct uebpf_object *obj = NULL;
	struct uebpf_object_map *rodata;
	struct uebpf_error err = { 0 };
	uint32_t off, size, zero = 0;
	uint8_t value[256];
	size_t i;
	int ret;

	(void)state;
	assert_int_equal(uebpf_helper_set_create(&helpers, &err), 0);
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct uebpf_helper_proto proto = { .id = ids[i], .name = "stub", .fn = helper_stub };

		assert_int_equal(uebpf_helper_set_add(helpers, &proto, &err), 0);
	}
	opts.helpers = helpers;
	assert_int_equal(uebpf_object_open_file(example("globals/globals.bpf.o"), &opts, &obj,
						&err), 0);
	rodata = var(obj, "threshold", &off, &size);
	((uint8_t *)uebpf_object_map_initial_value(rodata, NULL))[off] = 55;
	ret = uebpf_object_load(obj, &err);
	if (prog_load_lacks_maps(ret, &err)) {
		uebpf_object_destroy(obj);
		uebpf_helper_set_destroy(helpers);
		skip(); /* uebpf_prog_load does not take uebpf_prog_opts.maps yet */
	}
	if (ret)
		fail_msg("load: %d %s", ret, err.msg);
	assert_non_null(uebpf_object_map_get(rodata));
	assert_null(uebpf_object_map_initial_value(rodata, NULL));
	assert_int_equal(uebpf_object_map_set_initial_value(rodata, value, 1, &err), -EBUSY);
	assert_int_equal(uebpf_map_lookup(uebpf_object_map_get(rodata), &zero, value, &err), 0);
	assert_int_equal(value[off], 55); /* the host's setting reached the map */
	assert_non_null(uebpf_object_prog_get(uebpf_object_find_prog(obj, "globals_xdp")));
	uebpf_object_destroy(obj);
	uebpf_helper_set_destroy(helpers);
}

/* ------------------------------------------------------ refused objects */

static void expect_open_error(const char *path, int code, const char *needle)
{
	struct uebpf_object *obj = (void *)1;
	struct uebpf_error err = { 0 };
	int ret = uebpf_object_open_file(path, NULL, &obj, &err);

	if (ret != code || !strstr(err.msg, needle))
		fail_msg("%s: got %d '%s', want %d with '%s'", path, ret, err.msg, code, needle);
	assert_null(obj);
}

static void test_refused_objects(void **state)
{
	(void)state;
	expect_open_error(bad("kfunc.bpf.o"), -EOPNOTSUPP, "kfunc");
	expect_open_error(bad("kfunc.bpf.o"), -EOPNOTSUPP, "section 'xdp' insn 0");
	expect_open_error(bad("kconfig.bpf.o"), -EOPNOTSUPP, "LINUX_KERNEL_VERSION");
	expect_open_error(bad("core.bpf.o"), -EOPNOTSUPP, "CO-RE relocation field_byte_offset");
	expect_open_error(bad("static_prog.bpf.o"), -EOPNOTSUPP, "static");
}

/* ------------------------------------------------------ malformed input */

struct image {
	uint8_t *buf;
	size_t len;
};

static struct image valid_image(void)
{
	struct image im;

	im.buf = read_all(example("xdp_parser/xdp_parser.bpf.o"), &im.len);
	return im;
}

static int open_image(const uint8_t *buf, size_t len, struct uebpf_error *err)
{
	struct uebpf_object *obj = NULL;
	int ret = uebpf_object_open_mem(buf, len, NULL, &obj, err);

	if (ret == 0) {
		assert_non_null(obj);
		uebpf_object_destroy(obj);
	} else {
		assert_null(obj);
		assert_true(err->msg[0] != '\0');
	}
	return ret;
}

static Elf64_Shdr *shdr(const struct image *im, size_t idx)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)im->buf;

	return (Elf64_Shdr *)(im->buf + eh->e_shoff + idx * eh->e_shentsize);
}

static const char *shname(const struct image *im, size_t idx)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)im->buf;

	return (const char *)im->buf + shdr(im, eh->e_shstrndx)->sh_offset + shdr(im, idx)->sh_name;
}

static size_t find_section(const struct image *im, const char *name)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)im->buf;
	size_t i;

	for (i = 1; i < eh->e_shnum; i++)
		if (strcmp(shname(im, i), name) == 0)
			return i;
	fail_msg("no section %s", name);
	return 0;
}

static void expect_image_error(const struct image *im, const char *needle)
{
	struct uebpf_error err = { 0 };
	int ret = open_image(im->buf, im->len, &err);

	if (ret >= 0 || !strstr(err.msg, needle))
		fail_msg("got %d '%s', want an error with '%s'", ret, err.msg, needle);
}

static void test_malformed_header(void **state)
{
	struct image im = valid_image();
	Elf64_Ehdr *eh = (Elf64_Ehdr *)im.buf;
	struct uebpf_error err;

	(void)state;
	assert_int_equal(open_image(im.buf, im.len, &err), 0);
	eh->e_machine = EM_X86_64;
	expect_image_error(&im, "EM_BPF");
	eh->e_machine = EM_BPF;
	eh->e_type = ET_EXEC;
	expect_image_error(&im, "relocatable");
	eh->e_type = ET_REL;
	eh->e_ident[EI_DATA] = ELFDATA2MSB;
	expect_image_error(&im, "big-endian");
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_CLASS] = ELFCLASS32;
	expect_image_error(&im, "32-bit");
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	memcpy(eh->e_ident, "\x7f" "ELG", 4);
	expect_image_error(&im, "ELF");
	free(im.buf);
}

static void test_malformed_truncated(void **state)
{
	struct image im = valid_image();
	struct uebpf_error err;
	size_t len;

	(void)state;
	/* Section headers sit at the end: every cut loses some. */
	for (len = 0; len < im.len; len += len < 128 ? 1 : 61) {
		uint8_t *copy = malloc(len ? len : 1);

		memcpy(copy, im.buf, len);
		assert_true(open_image(copy, len, &err) < 0);
		free(copy);
	}
	free(im.buf);
}

static void test_malformed_sections(void **state)
{
	struct image im = valid_image();
	size_t xdp = find_section(&im, "xdp");
	size_t rel = find_section(&im, ".relxdp");
	size_t btf = find_section(&im, ".BTF");
	size_t ext = find_section(&im, ".BTF.ext");
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)im.buf;
	Elf64_Shdr saved;
	Elf64_Rel *rels;
	struct uebpf_error err;
	size_t i;

	(void)state;
	/* A code section whose size lies beyond the file. */
	saved = *shdr(&im, xdp);
	shdr(&im, xdp)->sh_size = 1ull << 40;
	expect_image_error(&im, "xdp");
	/* ... or is not whole instructions. */
	shdr(&im, xdp)->sh_size = saved.sh_size - 4;
	expect_image_error(&im, "multiple of the 8-byte");
	shdr(&im, xdp)->sh_offset = im.len - 8;
	shdr(&im, xdp)->sh_size = saved.sh_size;
	expect_image_error(&im, "xdp");
	*shdr(&im, xdp) = saved;

	/* Relocations pointing outside their section or at no symbol. */
	rels = (Elf64_Rel *)(im.buf + shdr(&im, rel)->sh_offset);
	{
		Elf64_Rel r0 = rels[0];

		rels[0].r_offset = saved.sh_size + 8;
		expect_image_error(&im, "outside the section");
		rels[0].r_offset = r0.r_offset + 3;
		expect_image_error(&im, "instruction");
		rels[0] = r0;
		rels[0].r_info = ELF64_R_INFO(100000, ELF64_R_TYPE(r0.r_info));
		expect_image_error(&im, "symbol table has");
		rels[0].r_info = ELF64_R_INFO(ELF64_R_SYM(r0.r_info), 7);
		expect_image_error(&im, "relocation type 7");
		rels[0].r_info = ELF64_R_INFO(0, ELF64_R_TYPE(r0.r_info));
		expect_image_error(&im, "extern");
		/* Onto an instruction that is not a lddw or call. */
		rels[0] = r0;
		rels[0].r_offset = 0;
		if (r0.r_offset != 0)
			expect_image_error(&im, "neither a call nor a lddw");
		rels[0] = r0;
	}
	/* A helper call turned into a kfunc call. */
	{
		struct bpf_insn *insns = (struct bpf_insn *)(im.buf + saved.sh_offset);
		size_t n = saved.sh_size / 8;

		for (i = 0; i < n; i++)
			if (insns[i].code == (BPF_JMP | BPF_CALL) && insns[i].src_reg == 0)
				break;
		assert_true(i < n);
		insns[i].src_reg = BPF_PSEUDO_KFUNC_CALL;
		expect_image_error(&im, "kfunc");
		insns[i].src_reg = 0;
	}
	/* Corrupt BTF and .BTF.ext: a clear error. */
	{
		uint8_t *b = im.buf + shdr(&im, btf)->sh_offset;
		uint8_t keep[32];

		memcpy(keep, b, sizeof(keep));
		memset(b + 8, 0xff, 16); /* type/string offsets and lengths */
		expect_image_error(&im, "BTF");
		memcpy(b, keep, sizeof(keep));
		b = im.buf + shdr(&im, ext)->sh_offset;
		memcpy(keep, b, sizeof(keep));
		memset(b + 8, 0x7f, 8); /* func info offset and length */
		expect_image_error(&im, ".BTF.ext");
		memcpy(b, keep, sizeof(keep));
	}
	/* Every section size inflated in turn: never a crash. */
	for (i = 1; i < eh->e_shnum; i++) {
		uint64_t size = shdr(&im, i)->sh_size;

		shdr(&im, i)->sh_size = size * 2 + 24;
		open_image(im.buf, im.len, &err);
		shdr(&im, i)->sh_size = size;
	}
	assert_int_equal(open_image(im.buf, im.len, &err), 0);
	free(im.buf);
}

/* BTF types pointing at themselves must not loop. */
static void test_malformed_btf_loop(void **state)
{
	struct image im = valid_image();
	size_t btf = find_section(&im, ".BTF");
	uint8_t *b = im.buf + shdr(&im, btf)->sh_offset;
	uint32_t hdr_len, type_off, type_len, pos, id = 1, nr = 0;
	struct uebpf_error err;

	(void)state;
	memcpy(&hdr_len, b + 4, 4);
	memcpy(&type_off, b + 8, 4);
	memcpy(&type_len, b + 12, 4);
	/* Turn every typedef/const/volatile into a self-reference. */
	for (pos = 0; pos + 12 <= type_len; id++) {
		uint8_t *t = b + hdr_len + type_off + pos;
		uint32_t info, kind, vlen, extra = 0;

		memcpy(&info, t + 4, 4);
		kind = (info >> 24) & 0x1f;
		vlen = info & 0xffff;
		if (kind == 8 || kind == 9 || kind == 10 || kind == 2) { /* typedef volatile const ptr */
			memcpy(t + 8, &id, 4);
			nr++;
		}
		switch (kind) {
		case 1: extra = 4; break;                   /* int */
		case 3: extra = 12; break;                  /* array */
		case 4: case 5: extra = 12 * vlen; break;   /* struct, union */
		case 6: extra = 8 * vlen; break;            /* enum */
		case 13: extra = 8 * vlen; break;           /* func_proto */
		case 14: extra = 4; break;                  /* var */
		case 15: extra = 12 * vlen; break;          /* datasec */
		case 17: extra = 4; break;                  /* decl_tag */
		case 19: extra = 12 * vlen; break;          /* enum64 */
		default: break;
		}
		pos += 12 + extra;
	}
	assert_true(nr > 0);
	assert_true(open_image(im.buf, im.len, &err) < 0);
	free(im.buf);
}

static void test_malformed_random(void **state)
{
	struct image im = valid_image();
	uint8_t *copy = malloc(im.len);
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	struct uebpf_error err;
	int round, k;

	(void)state;
	/* Deterministic byte flips: whatever happens, no crash (ASan/UBSan
	 * builds check the reads). */
	for (round = 0; round < 1500; round++) {
		memcpy(copy, im.buf, im.len);
		for (k = 0; k < 1 + round % 8; k++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			copy[(seed >> 33) % im.len] ^= (uint8_t)(1u << ((seed >> 20) & 7));
		}
		open_image(copy, im.len, &err);
	}
	free(copy);
	free(im.buf);
}

static int have_objects(void **state)
{
	struct stat st;

	(void)state;
	if (!UEBPF_EXAMPLES_DIR[0] || stat(example("xdp_parser/xdp_parser.bpf.o"), &st) ||
	    !UEBPF_LOADER_BAD_DIR[0] || stat(bad("kfunc.bpf.o"), &st)) {
		printf("skip: example objects not built (needs clang-19; see examples/*.cmake)\n");
		exit(77);
	}
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xdp_parser),
		cmocka_unit_test(test_open_mem_and_opts),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_sec_name_parse),
		cmocka_unit_test(test_bpf2bpf),
		cmocka_unit_test(test_callbacks),
		cmocka_unit_test(test_globals),
		cmocka_unit_test(test_legacy_maps),
		cmocka_unit_test(test_map_types),
		cmocka_unit_test(test_map_extras),
		cmocka_unit_test(test_load_no_maps),
		cmocka_unit_test(test_load_globals),
		cmocka_unit_test(test_load_maps_only),
		cmocka_unit_test(test_load_global_values),
		cmocka_unit_test(test_pinned_reuse),
		cmocka_unit_test(test_load_all_examples),
		cmocka_unit_test(test_load_values_initialisers),
		cmocka_unit_test(test_refused_objects),
		cmocka_unit_test(test_malformed_header),
		cmocka_unit_test(test_malformed_truncated),
		cmocka_unit_test(test_malformed_sections),
		cmocka_unit_test(test_malformed_btf_loop),
		cmocka_unit_test(test_malformed_random),
	};

	return cmocka_run_group_tests(tests, have_objects, NULL);
}

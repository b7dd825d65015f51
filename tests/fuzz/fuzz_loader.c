/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary bytes -> uebpf_object_open_mem -> every
 * accessor -> uebpf_object_load. Corrupt ELF, lying section sizes, bad
 * relocations, BTF with loops or bad ids and broken .BTF.ext must end in an
 * error message, never a crash or a sanitizer report. Seed it with the
 * example objects (build/examples/<group>/<name>.bpf.o).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include "uebpf/object.h"

/* Keeps load from creating huge maps: the fuzzer wants speed, and sizes are
 * the maps' business, not the loader's. */
#define FUZZ_MAP_BYTES_MAX (1u << 20)

static size_t touch_prog(const struct uebpf_object_prog *p)
{
	const struct uebpf_func_info *fi;
	const struct uebpf_line_info *li;
	size_t n, k, sum = 0;
	const struct bpf_insn *insns = uebpf_object_prog_insns(p, &n);

	sum += strlen(uebpf_object_prog_name(p)) + strlen(uebpf_object_prog_section(p));
	sum += strlen(uebpf_object_prog_sec_kind(p)) + strlen(uebpf_object_prog_attach_target(p));
	for (k = 0; k < n; k++)
		sum += insns[k].code;
	n = uebpf_object_prog_func_info(p, &fi);
	for (k = 0; k < n; k++)
		sum += strlen(fi[k].name) + fi[k].insn_idx;
	n = uebpf_object_prog_line_info(p, &li);
	for (k = 0; k < n; k++) {
		sum += strlen(li[k].file) + strlen(li[k].source) + li[k].line;
		if (uebpf_object_prog_line_at(p, li[k].insn_idx) == NULL)
			abort(); /* a record must cover its own instruction */
	}
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uebpf_object *obj;
	struct uebpf_error err;
	size_t i, sum = 0;
	bool small = true;

	if (uebpf_object_open_mem(data, size, NULL, &obj, &err))
		return 0;
	sum += strlen(uebpf_object_license(obj));
	for (i = 0; i < uebpf_object_prog_cnt(obj); i++)
		sum += touch_prog(uebpf_object_prog_at(obj, i));
	for (i = 0; i < uebpf_object_map_cnt(obj); i++) {
		struct uebpf_object_map *m = uebpf_object_map_at(obj, i);
		struct uebpf_map_spec spec;
		size_t init_size;

		uebpf_object_map_spec(m, &spec);
		if ((uint64_t)spec.max_entries * ((uint64_t)spec.key_size + spec.value_size) >
		    FUZZ_MAP_BYTES_MAX)
			small = false;
		if (uebpf_object_map_initial_value(m, &init_size))
			sum += init_size;
	}
	if (small && uebpf_object_load(obj, &err) == 0)
		sum += uebpf_object_prog_cnt(obj);
	uebpf_object_destroy(obj);
	return sum == (size_t)-1; /* keeps the reads */
}

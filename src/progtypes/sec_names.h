/* SPDX-License-Identifier: MIT */
/*
 * SEC() names -> program type + attach point, by libbpf's conventions
 * (libbpf.c section_defs). The public entry point is uebpf_sec_name_parse
 * in <uebpf/object.h>; this header only adds the table for listings.
 */
#ifndef UEBPF_PROGTYPES_SEC_NAMES_H
#define UEBPF_PROGTYPES_SEC_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "uebpf/object.h"

enum sec_def_flags {
	/* "kind+": the name is the kind alone or "kind/<target>". */
	SEC_DEF_TARGET = 1u << 0,
	SEC_DEF_SLEEPABLE = 1u << 1,
};

struct sec_def {
	const char *kind;
	uint32_t prog_type;
	uint32_t expected_attach_type;
	uint32_t flags;
};

/* The table, in matching order; *nr receives its length. */
const struct sec_def *sec_defs(size_t *nr);

#endif

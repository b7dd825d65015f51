/* SPDX-License-Identifier: MIT */
/*
 * Prototypes of the Linux helpers (enum bpf_func_id): argument and return
 * kinds the verifier checks calls against. The functions themselves are
 * attached by src/helpers; this table is the one place the kinds live.
 */
#ifndef UEBPF_HELPERS_PROTOS_H
#define UEBPF_HELPERS_PROTOS_H

#include <stdint.h>

#include "uebpf/uebpf.h"

enum helper_proto_flags {
	/* May move or resize the packet: every packet pointer is invalid after. */
	HELPER_CHANGES_PKT_DATA = 1u << 0,
	/* Takes a callback (bpf_loop, for_each_map_elem, timer_set_callback):
	 * verified by src/verifier/callbacks.c. */
	HELPER_TAKES_CALLBACK = 1u << 1,
	/* The pointer argument before a CONST_SIZE_OR_ZERO may be NULL. */
	HELPER_MEM_MAYBE_NULL = 1u << 2,
	/* The map value argument is written by the helper, not read
	 * (map_pop_elem, map_peek_elem). */
	HELPER_VALUE_IS_OUTPUT = 1u << 3,
};

struct helper_linux_proto {
	struct uebpf_helper_proto proto;   /* fn is NULL here */
	uint32_t flags;                     /* enum helper_proto_flags */
};

/* The prototype of Linux helper `id`, or NULL when uebpf does not know it. */
const struct helper_linux_proto *helper_linux_proto(uint32_t id);

#endif

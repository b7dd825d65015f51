/* SPDX-License-Identifier: MIT */
/*
 * The Linux helpers (enum bpf_func_id in <linux/bpf.h>) implemented by uebpf,
 * and the environment they run in.
 */
#ifndef UEBPF_HELPERS_H
#define UEBPF_HELPERS_H

#include "uebpf/uebpf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A helper set holding every Linux helper uebpf implements that programs of
 * `prog_type` (enum bpf_prog_type, or UEBPF_PROG_TYPE_RAW) may call, with the
 * prototypes the verifier checks. Hosts may add their own helpers to it
 * (uebpf_helper_set_add) before loading programs. */
int uebpf_helper_set_create_linux(uint32_t prog_type, struct uebpf_helper_set **out,
				  struct uebpf_error *err);

#ifdef __cplusplus
}
#endif
#endif

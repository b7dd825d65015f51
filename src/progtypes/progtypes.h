/* SPDX-License-Identifier: MIT */
/*
 * Program type descriptors: for each program type, what its context looks
 * like, which helpers it may call and which values it may return.
 *
 * The verifier, test-run and every hook read these tables; nothing keeps a
 * second copy. Context layouts follow the kernel's UAPI structs
 * (struct __sk_buff, struct xdp_md, ...) so compiled programs work unchanged.
 */
#ifndef UEBPF_PROGTYPES_H
#define UEBPF_PROGTYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uebpf/verifier.h"   /* UEBPF_PROG_TYPE_RAW */

/* What a context field holds once loaded. */
enum progtype_field_kind {
	CTX_FIELD_SCALAR = 0,
	CTX_FIELD_PKT_DATA,   /* start of the packet */
	CTX_FIELD_PKT_END,    /* one past its last byte */
	CTX_FIELD_PKT_META,   /* start of the metadata area before the packet */
};

struct progtype_ctx_field {
	const char *name;
	uint16_t off;
	uint16_t size;        /* bytes */
	uint8_t kind;         /* enum progtype_field_kind */
	bool readable;
	bool writable;
	/* Loads of 1, 2 or 4 bytes at an aligned offset inside the field are
	 * allowed (the kernel's "narrow loads"); pointers never allow them. */
	bool narrow_read;
};

/* How a program reaches its context. */
enum progtype_ctx_model {
	/* r1 points to a struct described field by field. */
	CTX_MODEL_FIELDS = 0,
	/* r1 points to a read-only array of scalars (tracepoint records,
	 * u64 args of raw tracepoints, pt_regs): any naturally aligned access
	 * of an allowed size in [array_lo, ctx_size). */
	CTX_MODEL_ARRAY,
	/* uebpf's raw memory programs: r1 = a buffer whose size is fixed at
	 * verification, r2 = its length. */
	CTX_MODEL_RAW_MEM,
};

struct progtype_desc {
	uint32_t type;            /* enum bpf_prog_type, or UEBPF_PROG_TYPE_RAW */
	const char *name;         /* "xdp", "socket_filter", ... */
	const char *ctx_name;     /* "struct xdp_md", for messages */
	uint8_t ctx_model;        /* enum progtype_ctx_model */
	uint32_t ctx_size;
	const struct progtype_ctx_field *fields;
	size_t nr_fields;
	uint32_t array_lo;        /* CTX_MODEL_ARRAY: first accessible byte */
	uint8_t array_sizes;      /* CTX_MODEL_ARRAY: allowed access sizes, bit n = 1 << n bytes */
	/* Helpers by Linux id, sorted ascending. */
	const uint32_t *helpers;
	size_t nr_helpers;
	bool direct_packet_access; /* packet pointers from ctx may be dereferenced */
	bool legacy_packet_loads;  /* ld_abs / ld_ind allowed */
	bool has_ret_range;        /* r0 at exit must lie in [ret_min, ret_max] */
	int64_t ret_min, ret_max;
	const char *ret_hint;      /* what the return value means, for messages */
};

/* The descriptor of `type`, or NULL when uebpf does not support it. */
const struct progtype_desc *progtype_find(uint32_t type);
/* By descriptor name ("xdp", "raw", "kprobe", ...), NULL when unknown. */
const struct progtype_desc *progtype_find_name(const char *name);
/* All descriptors, for listings; *nr receives the count. */
const struct progtype_desc *progtype_all(size_t *nr);

bool progtype_helper_allowed(const struct progtype_desc *desc, uint32_t helper_id);

/* The field containing [off, off + size), or NULL. */
const struct progtype_ctx_field *progtype_ctx_field(const struct progtype_desc *desc,
						    uint32_t off);

/* Checks a context access of `size` bytes at `off`. Returns true and the
 * kind of what is loaded, or false and a reason in `why`. */
bool progtype_ctx_access_ok(const struct progtype_desc *desc, uint32_t off,
			    uint32_t size, bool write, enum progtype_field_kind *kind,
			    char *why, size_t why_len);

#endif /* UEBPF_PROGTYPES_H */

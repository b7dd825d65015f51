/* SPDX-License-Identifier: MIT */
/*
 * Tristate numbers: which bits of a 64-bit value are known (value) and which
 * are not (mask), after the kernel's kernel/bpf/tnum.c. A bit set in mask is
 * unknown; known bits are in value; value & mask == 0 always.
 */
#ifndef UEBPF_VERIFIER_TNUM_H
#define UEBPF_VERIFIER_TNUM_H

#include <stdbool.h>
#include <stdint.h>

struct tnum {
	uint64_t value;
	uint64_t mask;
};

static inline struct tnum tnum_const(uint64_t v) { return (struct tnum){ v, 0 }; }
static inline struct tnum tnum_unknown(void) { return (struct tnum){ 0, ~0ull }; }
static inline bool tnum_is_const(struct tnum a) { return a.mask == 0; }
static inline bool tnum_equals_const(struct tnum a, uint64_t v) { return a.mask == 0 && a.value == v; }
static inline uint64_t tnum_max(struct tnum a) { return a.value | a.mask; }

struct tnum tnum_range(uint64_t min, uint64_t max);
struct tnum tnum_add(struct tnum a, struct tnum b);
struct tnum tnum_sub(struct tnum a, struct tnum b);
struct tnum tnum_and(struct tnum a, struct tnum b);
struct tnum tnum_or(struct tnum a, struct tnum b);
struct tnum tnum_xor(struct tnum a, struct tnum b);
struct tnum tnum_mul(struct tnum a, struct tnum b);
struct tnum tnum_lshift(struct tnum a, unsigned shift);
struct tnum tnum_rshift(struct tnum a, unsigned shift);
/* Arithmetic shift of the low `bits` (32 or 64) bits. */
struct tnum tnum_arshift(struct tnum a, unsigned shift, unsigned bits);
struct tnum tnum_intersect(struct tnum a, struct tnum b);
/* The low `bytes` bytes of a, upper bits known zero. */
struct tnum tnum_cast(struct tnum a, unsigned bytes);
/* The low `bits` bits of a sign-extended to 64 bits. */
struct tnum tnum_sext(struct tnum a, unsigned bits);
/* True when every value b can take, a can take too. */
bool tnum_in(struct tnum a, struct tnum b);
/* a with its low 32 bits replaced by those of sub. */
struct tnum tnum_with_subreg(struct tnum a, struct tnum sub);
/* Prints "0x1f" for a constant, else "(0x10; 0xf)". */
int tnum_snprint(char *buf, unsigned long len, struct tnum a);

#endif

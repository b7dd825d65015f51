/* SPDX-License-Identifier: MIT */
#include "verifier/tnum.h"

#include <stdio.h>

struct tnum tnum_range(uint64_t min, uint64_t max)
{
	uint64_t chi = min ^ max, delta;
	unsigned bits = chi ? 64 - (unsigned)__builtin_clzll(chi) : 0;

	if (bits > 63)
		return tnum_unknown();
	delta = (1ull << bits) - 1;
	return (struct tnum){ min & ~delta, delta };
}

struct tnum tnum_add(struct tnum a, struct tnum b)
{
	uint64_t sm = a.mask + b.mask, sv = a.value + b.value;
	uint64_t chi = (sm + sv) ^ sv, mu = chi | a.mask | b.mask;

	return (struct tnum){ sv & ~mu, mu };
}

struct tnum tnum_sub(struct tnum a, struct tnum b)
{
	uint64_t dv = a.value - b.value;
	uint64_t alpha = dv + a.mask, beta = dv - b.mask;
	uint64_t mu = (alpha ^ beta) | a.mask | b.mask;

	return (struct tnum){ dv & ~mu, mu };
}

struct tnum tnum_and(struct tnum a, struct tnum b)
{
	uint64_t alpha = a.value | a.mask, beta = b.value | b.mask, v = a.value & b.value;

	return (struct tnum){ v, alpha & beta & ~v };
}

struct tnum tnum_or(struct tnum a, struct tnum b)
{
	uint64_t v = a.value | b.value, mu = a.mask | b.mask;

	return (struct tnum){ v, mu & ~v };
}

struct tnum tnum_xor(struct tnum a, struct tnum b)
{
	uint64_t v = a.value ^ b.value, mu = a.mask | b.mask;

	return (struct tnum){ v & ~mu, mu };
}

struct tnum tnum_lshift(struct tnum a, unsigned shift)
{
	shift &= 63;
	return (struct tnum){ a.value << shift, a.mask << shift };
}

struct tnum tnum_rshift(struct tnum a, unsigned shift)
{
	shift &= 63;
	return (struct tnum){ a.value >> shift, a.mask >> shift };
}

struct tnum tnum_arshift(struct tnum a, unsigned shift, unsigned bits)
{
	if (bits == 32)
		return (struct tnum){ (uint32_t)((int32_t)a.value >> (shift & 31)),
				      (uint32_t)((int32_t)a.mask >> (shift & 31)) };
	return (struct tnum){ (uint64_t)((int64_t)a.value >> (shift & 63)),
			      (uint64_t)((int64_t)a.mask >> (shift & 63)) };
}

/* Long multiplication where each partial product of an unknown bit is
 * itself unknown (Vishwanathan et al., as in the kernel). */
struct tnum tnum_mul(struct tnum a, struct tnum b)
{
	uint64_t acc_v = a.value * b.value;
	struct tnum acc_m = tnum_const(0);

	while (a.value || a.mask) {
		if (a.value & 1)
			acc_m = tnum_add(acc_m, (struct tnum){ 0, b.mask });
		else if (a.mask & 1)
			acc_m = tnum_add(acc_m, (struct tnum){ 0, b.value | b.mask });
		a = tnum_rshift(a, 1);
		b = tnum_lshift(b, 1);
	}
	return tnum_add(tnum_const(acc_v), acc_m);
}

struct tnum tnum_intersect(struct tnum a, struct tnum b)
{
	uint64_t v = a.value | b.value, mu = a.mask & b.mask;

	return (struct tnum){ v & ~mu, mu };
}

struct tnum tnum_cast(struct tnum a, unsigned bytes)
{
	uint64_t m = bytes >= 8 ? ~0ull : (1ull << (bytes * 8)) - 1;

	return (struct tnum){ a.value & m, a.mask & m };
}

struct tnum tnum_sext(struct tnum a, unsigned bits)
{
	unsigned sh = 64 - bits;

	return (struct tnum){ (uint64_t)((int64_t)(a.value << sh) >> sh),
			      (uint64_t)((int64_t)(a.mask << sh) >> sh) };
}

bool tnum_in(struct tnum a, struct tnum b)
{
	if (b.mask & ~a.mask)
		return false;
	return a.value == (b.value & ~a.mask);
}

struct tnum tnum_with_subreg(struct tnum a, struct tnum sub)
{
	return tnum_or((struct tnum){ a.value & ~0xffffffffull, a.mask & ~0xffffffffull },
		       tnum_cast(sub, 4));
}

int tnum_snprint(char *buf, unsigned long len, struct tnum a)
{
	if (tnum_is_const(a))
		return snprintf(buf, len, "%#llx", (unsigned long long)a.value);
	return snprintf(buf, len, "(%#llx; %#llx)", (unsigned long long)a.value,
			(unsigned long long)a.mask);
}

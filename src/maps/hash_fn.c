/* SPDX-License-Identifier: MIT */
/*
 * The seeded hash of hash-map keys and bloom-filter values. Any good mixer
 * works; the seed lives in the map header so every process that opens the
 * map computes the same buckets. 4- and 8-byte inputs take the inline
 * hash of hash_fn.h, so callers that special-case them agree with this.
 */
#include "maps/hash_fn.h"
#include "maps/map_internal.h"

#include <string.h>

static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

/* The last 1..7 bytes as one word, with fixed-size loads only: a
 * variable-length memcpy into a word compiles to a byte loop whose stores
 * stall the word's load. */
static uint64_t load_tail(const uint8_t *p, size_t len)
{
	uint32_t lo, hi;

	if (len >= 4) {
		memcpy(&lo, p, 4);
		memcpy(&hi, p + len - 4, 4);
		return (uint64_t)hi << 32 | lo;
	}
	return (uint64_t)p[0] | (uint64_t)p[len / 2] << 8 | (uint64_t)p[len - 1] << 16;
}

uint32_t map_hash_bytes(const void *data, size_t len, uint64_t seed)
{
	const uint8_t *p = data;
	uint64_t h = seed ^ (0x9e3779b97f4a7c15ull * (len + 1));
	uint64_t word;

	if (len == 4) {
		uint32_t k;

		memcpy(&k, p, 4);
		return map_hash_u32(k, seed);
	}
	if (len == 8) {
		memcpy(&word, p, 8);
		return map_hash_u64(word, seed);
	}
	while (len >= 8) {
		memcpy(&word, p, 8);
		h = mix64(h ^ word) + 0x9e3779b97f4a7c15ull;
		p += 8;
		len -= 8;
	}
	if (len)
		h = mix64(h ^ load_tail(p, len) ^ ((uint64_t)len << 56));
	h = mix64(h);
	return (uint32_t)(h ^ (h >> 32));
}

/* SPDX-License-Identifier: MIT */
/*
 * The seeded hash of hash-map keys and bloom-filter values. Any good mixer
 * works; the seed lives in the map header so every process that opens the
 * map computes the same buckets.
 */
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

uint32_t map_hash_bytes(const void *data, size_t len, uint64_t seed)
{
	const uint8_t *p = data;
	uint64_t h = seed ^ (0x9e3779b97f4a7c15ull * (len + 1));
	uint64_t word;

	while (len >= 8) {
		memcpy(&word, p, 8);
		h = mix64(h ^ word) + 0x9e3779b97f4a7c15ull;
		p += 8;
		len -= 8;
	}
	if (len) {
		word = 0;
		memcpy(&word, p, len);
		h = mix64(h ^ word ^ ((uint64_t)len << 56));
	}
	h = mix64(h);
	return (uint32_t)(h ^ (h >> 32));
}

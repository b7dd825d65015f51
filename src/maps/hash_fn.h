/* SPDX-License-Identifier: MIT */
/*
 * The seeded key hash, inline for the 4- and 8-byte keys most hash maps
 * use: a lookup's hash is on its critical path, and the generic byte loop
 * costs several times more than the two multiplications these need.
 * map_hash_bytes (hash_fn.c) gives the same result for those lengths, so
 * every caller agrees on where a key lives.
 *
 * The seed (random per map unless BPF_F_ZERO_SEED) is scrambled by a
 * multiplication before it meets the key, and each key goes through two
 * 64x64->128-bit multiply-and-fold rounds, so which keys collide depends on
 * the whole seed, as with the kernel's seeded jhash.
 */
#ifndef UEBPF_MAPS_HASH_FN_H
#define UEBPF_MAPS_HASH_FN_H

#include <stdint.h>

#define MAP_HASH_K0 0xa0761d6478bd642full
#define MAP_HASH_K1 0xe7037ed1a0b428dbull
#define MAP_HASH_K2 0x8ebc6af09c88c6e3ull

/* Full 128-bit product folded to 64 bits: every input bit reaches the
 * middle of the product, and the fold brings the high half down. */
static inline uint64_t map_hash_fold_mul(uint64_t a, uint64_t b)
{
	unsigned __int128 r = (unsigned __int128)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t map_hash_rotl(uint64_t x, unsigned r)
{
	return (x << r) | (x >> (64 - r));
}

/* `len` (4 or 8) keeps a u32 key k and the u64 key k|k<<32 apart. */
static inline uint32_t map_hash_word(uint64_t w, uint64_t seed, uint64_t len)
{
	uint64_t s = map_hash_fold_mul(seed ^ MAP_HASH_K0, MAP_HASH_K1);
	unsigned __int128 r = (unsigned __int128)(w ^ MAP_HASH_K1) * (map_hash_rotl(w, 32) ^ s);
	uint64_t h = map_hash_fold_mul((uint64_t)r ^ MAP_HASH_K0 ^ len,
				       (uint64_t)(r >> 64) ^ MAP_HASH_K2 ^ s);

	return (uint32_t)(h ^ (h >> 32));
}

static inline uint32_t map_hash_u32(uint32_t k, uint64_t seed)
{
	return map_hash_word((uint64_t)k << 32 | k, seed, 4);
}

static inline uint32_t map_hash_u64(uint64_t k, uint64_t seed)
{
	return map_hash_word(k, seed, 8);
}

#endif

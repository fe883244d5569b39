/* SPDX-License-Identifier: GPL-2.0-or-later */
/* siphash.h - SipHash of one 64-bit word under a 128-bit secret key
 *
 * Theory of Operation
 * SipHash (Aumasson and Bernstein, 2012) is a keyed pseudo-random function
 * meant for hash tables fed by an adversary: without the key, nobody can
 * choose inputs that land in the same bucket. kvnet hashes only fixed
 * 8-byte keys (a VLAN and a MAC packed in a word), so this is the
 * one-word case written out: one message block and the length block.
 * The round counts are parameters: the FDB uses SipHash-1-3 (the variant
 * hash tables use where speed matters, as Rust's and Python's do); the
 * unit test checks the function against the paper's SipHash-2-4 vector.
 */
#ifndef KVNET_CORE_SIPHASH_H
#define KVNET_CORE_SIPHASH_H

#include <stdint.h>

/** struct siphash_key - the 128-bit secret, as two little-endian words */
struct siphash_key {
	uint64_t k0, k1;
};

static inline uint64_t siphash_rotl(uint64_t x, unsigned b)
{
	return (x << b) | (x >> (64 - b));
}

#define SIPHASH_ROUND(v0, v1, v2, v3)                                                              \
	do {                                                                                       \
		v0 += v1;                                                                          \
		v1 = siphash_rotl(v1, 13);                                                         \
		v1 ^= v0;                                                                          \
		v0 = siphash_rotl(v0, 32);                                                         \
		v2 += v3;                                                                          \
		v3 = siphash_rotl(v3, 16);                                                         \
		v3 ^= v2;                                                                          \
		v0 += v3;                                                                          \
		v3 = siphash_rotl(v3, 21);                                                         \
		v3 ^= v0;                                                                          \
		v2 += v1;                                                                          \
		v1 = siphash_rotl(v1, 17);                                                         \
		v1 ^= v2;                                                                          \
		v2 = siphash_rotl(v2, 32);                                                         \
	} while (0)

/* the initial state: the key xored with "somepseudorandomlygeneratedbytes" */
#define SIPHASH_INIT(k, v0, v1, v2, v3)                                                            \
	do {                                                                                       \
		v0 = (k)->k0 ^ 0x736f6d6570736575ull;                                              \
		v1 = (k)->k1 ^ 0x646f72616e646f6dull;                                              \
		v2 = (k)->k0 ^ 0x6c7967656e657261ull;                                              \
		v3 = (k)->k1 ^ 0x7465646279746573ull;                                              \
	} while (0)

/**
 * siphash_u64() - SipHash-@c-@d of the 8 bytes of @m (little-endian) under @k
 * @c:	compression rounds per block
 * @d:	finalisation rounds
 */
static inline uint64_t siphash_u64(const struct siphash_key *k, uint64_t m, unsigned c, unsigned d)
{
	uint64_t v0, v1, v2, v3;
	const uint64_t last = 8ull << 56; /* the message length in the top byte, no tail bytes */

	SIPHASH_INIT(k, v0, v1, v2, v3);
	v3 ^= m;
	for (unsigned i = 0; i < c; i++)
		SIPHASH_ROUND(v0, v1, v2, v3);
	v0 ^= m;
	v3 ^= last;
	for (unsigned i = 0; i < c; i++)
		SIPHASH_ROUND(v0, v1, v2, v3);
	v0 ^= last;
	v2 ^= 0xff;
	for (unsigned i = 0; i < d; i++)
		SIPHASH_ROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

/**
 * siphash_u64x2() - siphash_u64() of @m0 and of @m1, into @out[0] and @out[1]
 *
 * Each hash is a chain of dependent additions and rotations that leaves most of a
 * CPU's arithmetic units idle; two chains side by side share none of their data, so
 * the CPU runs them overlapped, in little more than the time of one.
 */
static inline void siphash_u64x2(const struct siphash_key *k, uint64_t m0, uint64_t m1, unsigned c,
				 unsigned d, uint64_t out[2])
{
	uint64_t a0, a1, a2, a3, b0, b1, b2, b3;
	const uint64_t last = 8ull << 56;

	SIPHASH_INIT(k, a0, a1, a2, a3);
	SIPHASH_INIT(k, b0, b1, b2, b3);
	a3 ^= m0;
	b3 ^= m1;
	for (unsigned i = 0; i < c; i++) {
		SIPHASH_ROUND(a0, a1, a2, a3);
		SIPHASH_ROUND(b0, b1, b2, b3);
	}
	a0 ^= m0;
	b0 ^= m1;
	a3 ^= last;
	b3 ^= last;
	for (unsigned i = 0; i < c; i++) {
		SIPHASH_ROUND(a0, a1, a2, a3);
		SIPHASH_ROUND(b0, b1, b2, b3);
	}
	a0 ^= last;
	b0 ^= last;
	a2 ^= 0xff;
	b2 ^= 0xff;
	for (unsigned i = 0; i < d; i++) {
		SIPHASH_ROUND(a0, a1, a2, a3);
		SIPHASH_ROUND(b0, b1, b2, b3);
	}
	out[0] = a0 ^ a1 ^ a2 ^ a3;
	out[1] = b0 ^ b1 ^ b2 ^ b3;
}

#endif

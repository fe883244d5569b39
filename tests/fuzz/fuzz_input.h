/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_input.h - a fuzz input read as a stream of numbers; past its end, zeroes */
#ifndef KVNET_FUZZ_INPUT_H
#define KVNET_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

/* big-endian; the two reads in sequence (in one expression their order would be unspecified) */
static inline uint16_t fuzz_u16(struct fuzz_in *in)
{
	uint8_t hi = fuzz_u8(in);

	return (uint16_t)(hi << 8 | fuzz_u8(in));
}

#endif /* KVNET_FUZZ_INPUT_H */

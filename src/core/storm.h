/* SPDX-License-Identifier: GPL-2.0-or-later */
/* storm.h - storm control: a token bucket of frames per second, with time passed in
 *
 * A bucket holds up to one second's worth of frames (at least one) and
 * refills continuously at its rate. Credit is kept in frame-nanoseconds so the
 * arithmetic is exact integers: a frame costs STORM_NS, each nanosecond adds
 * @rate. Rate 0 means no limit. No allocation, no clock read.
 */
#ifndef KVNET_CORE_STORM_H
#define KVNET_CORE_STORM_H

#include <stdbool.h>
#include <stdint.h>

#define STORM_NS 1000000000ull
#define STORM_RATE_MAX 100000000u /* frames/s: far above any port, and no overflow */

struct storm_bucket {
	uint32_t rate;	 /* frames per second, 0 for no limit */
	uint64_t credit; /* frame-nanoseconds */
	uint64_t last;	 /* time of the last refill, ns */
};

/**
 * storm_set() - give @b a rate, full
 * @b:		the bucket
 * @rate:	frames per second, 0 (no limit) .. STORM_RATE_MAX
 * @now:	current time, ns of a monotonic clock
 * Return: 0, or -EINVAL for a rate over STORM_RATE_MAX
 */
int storm_set(struct storm_bucket *b, uint32_t rate, uint64_t now);

/**
 * storm_allow() - take one frame's worth of credit
 * Return: true if the frame may pass (always with rate 0), false if over the rate
 */
bool storm_allow(struct storm_bucket *b, uint64_t now);

#endif

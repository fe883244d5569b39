/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shaper.h - a rate limit on one direction of one port: two token buckets, time passed in
 *
 * Theory of Operation
 * A shaper is what libvirt's <inbound> or <outbound> asks of one direction of a port: an
 * average rate with a bucket of `burst` bytes, and optionally a peak rate with a bucket the
 * size of the largest frame (as tc's police with a peakrate and "mtu 64kb" does). A frame
 * passes when both buckets hold at least its length, which both then lose; otherwise it is
 * dropped, and counted by the caller. Buckets refill continuously with the time the caller
 * passes in (nanoseconds of a monotonic clock), and start full. A frame is never queued: for a
 * flood this is what tc's policing does, and TCP finds the rate by the drops. Nothing here
 * allocates or makes a system call; the datapath calls it per frame.
 *
 * Tokens are kept in byte-nanoseconds per second (bytes times 10^9), so a refill of a few
 * nanoseconds at a low rate is not lost to rounding.
 */
#ifndef KVNET_CORE_SHAPER_H
#define KVNET_CORE_SHAPER_H

#include <stdbool.h>
#include <stdint.h>

/* the largest average or peak rate, bytes per second (libvirt's 4294967295 kB/s) */
#define SHAPER_RATE_MAX (4294967295ull * 1000)
/* the largest bucket, bytes (tc keeps a burst in 32 bits) */
#define SHAPER_SIZE_MAX 4294967295ull

/* one token bucket; tokens in bytes * 10^9 */
struct shaper_bucket {
	uint64_t rate;
	uint64_t size;
	uint64_t tokens;
	uint64_t fill_ns; /* time from empty to full: longer gaps refill no more */
};

/**
 * struct shaper - the limit of one direction of one port
 * @on:		limiting; off passes every frame
 * @avg:	the average rate's bucket
 * @peak:	the peak rate's bucket, rate 0 when there is no peak
 * @last:	when the buckets were last refilled, ns
 */
struct shaper {
	bool on;
	struct shaper_bucket avg;
	struct shaper_bucket peak;
	uint64_t last;
};

/**
 * shaper_set() - start limiting to @avg bytes/s with a bucket of @burst bytes, and to @peak
 * bytes/s over the largest frame when @peak is not 0; the buckets start full
 * @s:		the shaper
 * @avg:	1..SHAPER_RATE_MAX
 * @peak:	0 or 1..SHAPER_RATE_MAX
 * @burst:	bucket size in bytes; raised to the largest frame (FRAME_MAX_LEN) so that any
 *		frame can pass, and lowered to SHAPER_SIZE_MAX
 * @now:	the current time, ns
 *
 * Return: 0, or -EINVAL for a rate out of range (@s is then unchanged)
 */
int shaper_set(struct shaper *s, uint64_t avg, uint64_t peak, uint64_t burst, uint64_t now);

/** shaper_off() - stop limiting: every frame passes */
void shaper_off(struct shaper *s);

/**
 * shaper_pass() - whether a frame of @len bytes may pass at @now; if it may, the buckets
 * lose @len bytes. Always true when @s is off. A time earlier than the last one refills
 * nothing.
 */
bool shaper_pass(struct shaper *s, uint32_t len, uint64_t now);

#endif /* KVNET_CORE_SHAPER_H */

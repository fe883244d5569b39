/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bench_util.h - what the traffic generators share: a monotonic clock and the IPv4 header checksum */
#ifndef KVNET_BENCH_UTIL_H
#define KVNET_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Return: CLOCK_MONOTONIC in seconds */
static inline double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * bench_csum() - the Internet checksum of @len bytes at @p (an even number: an IPv4 header)
 * Return: the value to store, in host order
 */
static inline uint16_t bench_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

#endif

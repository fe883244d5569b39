// SPDX-License-Identifier: GPL-2.0-or-later
/* storm.c - storm control's token bucket (see storm.h) */

#include <errno.h>

#include "core/storm.h"

static inline uint64_t storm_cap(const struct storm_bucket *b)
{
	return (uint64_t)b->rate * STORM_NS;
}

int storm_set(struct storm_bucket *b, uint32_t rate, uint64_t now)
{
	if (rate > STORM_RATE_MAX)
		return -EINVAL;
	b->rate = rate;
	b->credit = storm_cap(b);
	b->last = now;
	return 0;
}

bool storm_allow(struct storm_bucket *b, uint64_t now)
{
	uint64_t cap, elapsed;

	if (!b->rate)
		return true;
	cap = storm_cap(b);
	/* a clock that went back refills nothing; a long gap refills at most a second */
	elapsed = now > b->last ? now - b->last : 0;
	if (elapsed > STORM_NS)
		elapsed = STORM_NS;
	b->last = now > b->last ? now : b->last;
	b->credit += elapsed * b->rate;
	if (b->credit > cap)
		b->credit = cap;
	if (b->credit < STORM_NS)
		return false;
	b->credit -= STORM_NS;
	return true;
}

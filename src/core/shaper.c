/* SPDX-License-Identifier: GPL-2.0-or-later */
/* shaper.c - a rate limit on one direction of one port: two token buckets (see shaper.h) */

#include <errno.h>

#include "core/frame.h"
#include "core/shaper.h"

#define NS_PER_S 1000000000ull

static void shaper_bucket_set(struct shaper_bucket *b, uint64_t rate, uint64_t size)
{
	b->rate = rate;
	b->size = size;
	b->tokens = size * NS_PER_S;
	/* rounded up, so a gap this long always tops the bucket up */
	b->fill_ns = rate ? (size * NS_PER_S + rate - 1) / rate : 0;
}

int shaper_set(struct shaper *s, uint64_t avg, uint64_t peak, uint64_t burst, uint64_t now)
{
	if (!avg || avg > SHAPER_RATE_MAX || peak > SHAPER_RATE_MAX)
		return -EINVAL;
	if (burst < FRAME_MAX_LEN)
		burst = FRAME_MAX_LEN;
	if (burst > SHAPER_SIZE_MAX)
		burst = SHAPER_SIZE_MAX;
	shaper_bucket_set(&s->avg, avg, burst);
	/* the peak bucket holds one largest frame: a burst leaves no faster than @peak */
	shaper_bucket_set(&s->peak, peak, peak ? FRAME_MAX_LEN : 0);
	s->last = now;
	s->on = true;
	return 0;
}

void shaper_off(struct shaper *s)
{
	s->on = false;
}

/* add what @elapsed ns bring; size <= 2^32 bytes, so size * 10^9 fits in 64 bits */
static void shaper_bucket_refill(struct shaper_bucket *b, uint64_t elapsed)
{
	uint64_t full = b->size * NS_PER_S;

	if (elapsed >= b->fill_ns) {
		b->tokens = full;
		return;
	}
	/* elapsed < fill_ns, so elapsed * rate <= full + rate: no overflow */
	b->tokens += elapsed * b->rate;
	if (b->tokens > full)
		b->tokens = full;
}

bool shaper_pass(struct shaper *s, uint32_t len, uint64_t now)
{
	uint64_t need = (uint64_t)len * NS_PER_S;

	if (!s->on)
		return true;
	if (now > s->last) {
		shaper_bucket_refill(&s->avg, now - s->last);
		if (s->peak.rate)
			shaper_bucket_refill(&s->peak, now - s->last);
		s->last = now;
	}
	if (s->avg.tokens < need || (s->peak.rate && s->peak.tokens < need))
		return false;
	s->avg.tokens -= need;
	if (s->peak.rate)
		s->peak.tokens -= need;
	return true;
}

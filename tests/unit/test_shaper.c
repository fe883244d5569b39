/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_shaper.c - unit tests of core/shaper.h: the token buckets behind <bandwidth> */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>

#include "core/frame.h"
#include "core/shaper.h"

#define MS 1000000ull
#define S 1000000000ull

/* offer @len-byte frames every @gap ns from @t for @dur ns; Return: bytes that passed */
static uint64_t offer(struct shaper *s, uint32_t len, uint64_t gap, uint64_t t, uint64_t dur)
{
	uint64_t passed = 0;

	for (uint64_t now = t; now < t + dur; now += gap)
		if (shaper_pass(s, len, now))
			passed += len;
	return passed;
}

static void test_off_passes_all(void **state)
{
	struct shaper s = { 0 };

	(void)state;
	for (int i = 0; i < 1000; i++)
		assert_true(shaper_pass(&s, FRAME_MAX_LEN, 0));
	assert_int_equal(shaper_set(&s, 1000, 0, 0, 0), 0);
	assert_true(s.on);
	shaper_off(&s);
	assert_false(s.on);
	assert_true(shaper_pass(&s, FRAME_MAX_LEN, 0));
}

static void test_set_bad_rates(void **state)
{
	struct shaper s = { 0 };

	(void)state;
	assert_int_equal(shaper_set(&s, 0, 0, 1000, 0), -EINVAL);
	assert_int_equal(shaper_set(&s, SHAPER_RATE_MAX + 1, 0, 1000, 0), -EINVAL);
	assert_int_equal(shaper_set(&s, 1000, SHAPER_RATE_MAX + 1, 1000, 0), -EINVAL);
	assert_false(s.on);
	assert_int_equal(shaper_set(&s, SHAPER_RATE_MAX, SHAPER_RATE_MAX, UINT64_MAX, 0), 0);
	assert_int_equal(s.avg.size, SHAPER_SIZE_MAX);
}

/* the bucket starts full and holds exactly burst bytes */
static void test_burst_then_empty(void **state)
{
	struct shaper s = { 0 };
	int i;

	(void)state;
	assert_int_equal(shaper_set(&s, 1000000, 0, 100000, 5 * S), 0);
	for (i = 0; i < 100; i++)
		assert_true(shaper_pass(&s, 1000, 5 * S));
	assert_false(shaper_pass(&s, 1000, 5 * S));
	assert_false(shaper_pass(&s, 1, 5 * S));
	/* 1 ms at 1,000,000 bytes/s is 1000 bytes: one more frame */
	assert_true(shaper_pass(&s, 1000, 5 * S + MS));
	assert_false(shaper_pass(&s, 1000, 5 * S + MS));
	/* a refill never goes over the bucket, however long the gap */
	assert_int_equal(offer(&s, 1000, 1, 100 * S, 1000), 100000);
}

/* a dropped frame costs nothing: a smaller one still passes */
static void test_drop_keeps_tokens(void **state)
{
	struct shaper s = { 0 };

	(void)state;
	assert_int_equal(shaper_set(&s, 1000, 0, 0, 0), 0); /* bucket: one largest frame */
	assert_true(shaper_pass(&s, FRAME_MAX_LEN - 100, 0));
	assert_false(shaper_pass(&s, 1000, 0));
	assert_true(shaper_pass(&s, 100, 0));
	assert_false(shaper_pass(&s, 1, 0));
}

/* a bucket smaller than the largest frame is raised to it, so a GSO frame can pass */
static void test_burst_at_least_a_frame(void **state)
{
	struct shaper s = { 0 };

	(void)state;
	assert_int_equal(shaper_set(&s, 1250, 0, 10, 0), 0);
	assert_int_equal(s.avg.size, FRAME_MAX_LEN);
	assert_true(shaper_pass(&s, FRAME_MAX_LEN, 0));
	assert_false(shaper_pass(&s, 60, 0));
}

/* offered twice the rate for 10 s: what passes is the rate's worth plus the bucket */
static void test_long_run_rate(void **state)
{
	const uint64_t rate = 1250000, burst = 1250 * 1024; /* 10 Mbit/s, libvirt's default */
	struct shaper s = { 0 };
	uint64_t passed, want;

	(void)state;
	assert_int_equal(shaper_set(&s, rate, 0, burst, 0), 0);
	/* 1514 bytes every 605.6 us is 2,500,000 bytes/s */
	passed = offer(&s, 1514, 605600, 0, 10 * S);
	want = rate * 10 + burst;
	assert_true(passed <= want);
	assert_true(passed + 2 * 1514 >= want);
	/* and from then on, the rate alone */
	passed = offer(&s, 1514, 605600, 10 * S, 10 * S);
	assert_true(passed <= rate * 10 + 1514);
	assert_true(passed + 2 * 1514 >= rate * 10);
}

/* rates that do not divide a nanosecond evenly lose nothing over time */
static void test_slow_rate_no_rounding_loss(void **state)
{
	struct shaper s = { 0 };
	uint64_t passed;

	(void)state;
	assert_int_equal(shaper_set(&s, 1, 0, 0, 0), 0); /* one byte per second */
	assert_true(shaper_pass(&s, FRAME_MAX_LEN, 0));
	/* a million refills of a nanosecond each keep every fraction of a byte */
	passed = offer(&s, 100, 1, 1, 1000000);
	assert_int_equal(passed, 0);
	assert_false(shaper_pass(&s, 100, 100 * S - 1));
	assert_true(shaper_pass(&s, 100, 100 * S));
}

/* a peak rate caps a full bucket's burst; the average still holds over time */
static void test_peak(void **state)
{
	const uint64_t rate = 1000000, peak = 2000000;
	struct shaper s = { 0 };
	uint64_t passed;

	(void)state;
	assert_int_equal(shaper_set(&s, rate, peak, 4000000, 0), 0);
	/* at one instant: only the peak bucket's one largest frame */
	assert_int_equal(offer(&s, 1000, 1, 0, 100), 65000);
	/* flooded for a second: the peak rate, not the 4 MB bucket */
	passed = offer(&s, 1000, 10000, S, S);
	assert_true(passed <= peak + FRAME_MAX_LEN);
	assert_true(passed >= peak - 2000);
	/* until the average bucket runs dry; then the average */
	passed = offer(&s, 1000, 10000, 2 * S, 10 * S);
	assert_true(passed <= rate * 10 + 4000000);
	passed = offer(&s, 1000, 10000, 12 * S, 10 * S);
	assert_true(passed <= rate * 10 + 1000);
	assert_true(passed + 2000 >= rate * 10);
}

/* a clock read earlier than the last one refills nothing, and nothing overflows */
static void test_time_and_extremes(void **state)
{
	struct shaper s = { 0 };

	(void)state;
	assert_int_equal(shaper_set(&s, 1000, 0, 0, 10 * S), 0);
	assert_true(shaper_pass(&s, FRAME_MAX_LEN, 10 * S));
	assert_false(shaper_pass(&s, 1000, 0));
	assert_false(shaper_pass(&s, 1000, 10 * S));
	assert_true(shaper_pass(&s, 1000, 11 * S));
	assert_int_equal(shaper_set(&s, SHAPER_RATE_MAX, 0, SHAPER_SIZE_MAX, 0), 0);
	assert_true(shaper_pass(&s, UINT32_MAX, 1));
	assert_false(shaper_pass(&s, 1, 1));
	assert_true(shaper_pass(&s, UINT32_MAX, UINT64_MAX));
	assert_int_equal(shaper_set(&s, SHAPER_RATE_MAX, 0, SHAPER_SIZE_MAX, 0), 0);
	assert_true(shaper_pass(&s, UINT32_MAX, 0));
	assert_true(shaper_pass(&s, 4294, 1)); /* 1 ns at 4.29e12 bytes/s */
	assert_false(shaper_pass(&s, 2, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_off_passes_all),
		cmocka_unit_test(test_set_bad_rates),
		cmocka_unit_test(test_burst_then_empty),
		cmocka_unit_test(test_drop_keeps_tokens),
		cmocka_unit_test(test_burst_at_least_a_frame),
		cmocka_unit_test(test_long_run_rate),
		cmocka_unit_test(test_slow_rate_no_rounding_loss),
		cmocka_unit_test(test_peak),
		cmocka_unit_test(test_time_and_extremes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

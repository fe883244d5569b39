/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_dnsmasq_leases.c - dnsmasq's lease file read as net-dhcp-leases shows it */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "services/dnsmasq_leases.h"

static void leases_ipv4_and_ipv6(void **state)
{
	static const char text[] =
		"1795365143 52:54:00:aa:bb:cc 192.168.122.45 vm1 01:52:54:00:aa:bb:cc\n"
		"0 52:54:00:00:00:02 192.168.122.50 * *\n"
		"duid 00:01:00:01:2c:aa:bb:cc:52:54:00:00:00:01\n"
		"1795365999 12345 2001:db8::10 vm6 00:04:11:22:33:44\n";
	struct dnsmasq_lease *l;
	int n;

	(void)state;
	n = dnsmasq_leases_parse(text, &l);
	assert_int_equal(n, 3);
	assert_int_equal(l[0].expiry, 1795365143);
	assert_string_equal(l[0].mac, "52:54:00:aa:bb:cc");
	assert_string_equal(l[0].address, "192.168.122.45");
	assert_string_equal(l[0].hostname, "vm1");
	assert_string_equal(l[0].client_id, "01:52:54:00:aa:bb:cc");
	assert_false(l[0].ipv6);
	/* "*" is nothing; expiry 0 is an infinite lease */
	assert_int_equal(l[1].expiry, 0);
	assert_string_equal(l[1].hostname, "");
	assert_string_equal(l[1].client_id, "");
	/* after the duid line: DHCPv6, no MAC */
	assert_true(l[2].ipv6);
	assert_string_equal(l[2].mac, "");
	assert_string_equal(l[2].address, "2001:db8::10");
	assert_string_equal(l[2].client_id, "00:04:11:22:33:44");
	free(l);
}

/* dnsmasq rewrites the file as it goes: what does not parse is skipped, never half-read */
static void leases_bad_lines_skipped(void **state)
{
	static const char text[] = "\n"
				   "garbage\n"
				   "12x 52:54:00:aa:bb:cc 192.168.122.45 vm1 *\n"
				   "100 52:54:00:aa:bb 192.168.122.45 vm1 *\n"
				   "100 52:54:00:aa:bb:cc\n"
				   "100 52:54:00:aa:bb:cc 192.168.122.46 * *";
	struct dnsmasq_lease *l;

	(void)state;
	assert_int_equal(dnsmasq_leases_parse(text, &l), 1);
	assert_string_equal(l[0].address, "192.168.122.46");
	free(l);
	assert_int_equal(dnsmasq_leases_parse("", &l), 0);
	assert_null(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(leases_ipv4_and_ipv6),
		cmocka_unit_test(leases_bad_lines_skipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

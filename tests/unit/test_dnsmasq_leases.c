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
	/* after the duid line: DHCPv6; a DUID-UUID (type 4) holds no MAC */
	assert_true(l[2].ipv6);
	assert_string_equal(l[2].mac, "");
	assert_string_equal(l[2].address, "2001:db8::10");
	assert_string_equal(l[2].client_id, "00:04:11:22:33:44");
	free(l);
}

/* a DHCPv6 lease's MAC is the one in its client's DUID-LLT or DUID-LL, else none */
static void leases_ipv6_mac_from_duid(void **state)
{
	static const char text[] = "duid 00:01:00:01:2c:aa:bb:cc:52:54:00:00:00:01\n"
				   "100 1 fd00::11 llt 00:01:00:01:30:f1:42:9e:52:54:00:59:00:02\n"
				   "100 2 fd00::12 ll 00:03:00:01:52:54:00:59:00:03\n"
				   "100 3 fd00::13 en 00:02:00:00:ab:11:61:6b:76:6e:65:74\n"
				   "100 4 fd00::14 ib 00:03:00:20:52:54:00:59:00:04\n"
				   "100 5 fd00::15 short 00:01:00:01:30:f1:42:9e:52:54:00:59\n"
				   "100 6 fd00::16 bad 00:03:00:01:52:54:00:59:00:zz\n";
	static const char *const want[] = {
		"52:54:00:59:00:02", "52:54:00:59:00:03", "", "", "", ""
	};
	struct dnsmasq_lease *l;

	(void)state;
	assert_int_equal(dnsmasq_leases_parse(text, &l), 6);
	for (size_t i = 0; i < 6; i++) {
		assert_true(l[i].ipv6);
		assert_string_equal(l[i].mac, want[i]);
	}
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
		cmocka_unit_test(leases_ipv6_mac_from_duid),
		cmocka_unit_test(leases_bad_lines_skipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

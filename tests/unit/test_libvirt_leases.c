/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_libvirt_leases.c - dnsmasq's leases as libvirt's status file (leaseshelper's JSON) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "services/libvirt_leases.h"

/* @text parsed back: a JSON array of @n objects */
static json_t *parsed(const char *text, size_t n)
{
	json_error_t e;
	json_t *arr = json_loads(text, 0, &e);

	assert_non_null(arr);
	assert_true(json_is_array(arr));
	assert_int_equal(json_array_size(arr), n);
	return arr;
}

static const char *str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void leases_empty(void **state)
{
	char *text;

	(void)state;
	assert_int_equal(libvirt_leases_json(NULL, 0, &text), 0);
	assert_string_equal(text, "[]\n");
	free(text);
}

static void leases_fields(void **state)
{
	static const char file[] =
		"1796598105 52:54:00:fc:90:b2 10.20.0.11 web1 01:52:54:00:fc:90:b2\n"
		"0 52:54:00:00:00:02 10.20.0.12 * *\n";
	struct dnsmasq_lease *l;
	json_t *arr, *o;
	char *text;
	int n;

	(void)state;
	n = dnsmasq_leases_parse(file, &l);
	assert_int_equal(n, 2);
	assert_int_equal(libvirt_leases_json(l, (size_t)n, &text), 0);
	free(l);
	assert_int_equal(text[strlen(text) - 1], '\n');
	arr = parsed(text, 2);
	o = json_array_get(arr, 0);
	assert_int_equal(json_object_size(o), 5);
	assert_string_equal(str(o, "ip-address"), "10.20.0.11");
	assert_string_equal(str(o, "mac-address"), "52:54:00:fc:90:b2");
	assert_string_equal(str(o, "hostname"), "web1");
	assert_string_equal(str(o, "client-id"), "01:52:54:00:fc:90:b2");
	assert_true(json_is_integer(json_object_get(o, "expiry-time")));
	assert_int_equal(json_integer_value(json_object_get(o, "expiry-time")), 1796598105);
	/* an infinite lease keeps expiry 0 (libvirt shows it); no hostname, no client-id:
	 * left out, as libvirt's leaseshelper leaves them out */
	o = json_array_get(arr, 1);
	assert_int_equal(json_object_size(o), 3);
	assert_string_equal(str(o, "ip-address"), "10.20.0.12");
	assert_true(json_is_integer(json_object_get(o, "expiry-time")));
	assert_int_equal(json_integer_value(json_object_get(o, "expiry-time")), 0);
	assert_null(json_object_get(o, "hostname"));
	assert_null(json_object_get(o, "client-id"));
	json_decref(arr);
	free(text);
}

/* what libvirt would choke on is escaped, or the lease or the field left out */
static void leases_escaping(void **state)
{
	struct dnsmasq_lease l[3] = {
		{ .expiry = 42, .mac = "52:54:00:00:00:01", .address = "10.0.0.1" },
		/* DHCPv6: no MAC in dnsmasq's file; libvirt refuses a lease without one */
		{ .expiry = 43, .ipv6 = 1, .address = "2001:db8::10", .client_id = "00:04:11" },
		{ .expiry = 44,
		  .mac = "52:54:00:00:00:03",
		  .address = "10.0.0.3",
		  .hostname = "\xff\xfe" /* not UTF-8 */ },
	};
	json_t *arr, *o;
	char *text;

	(void)state;
	snprintf(l[0].hostname, sizeof(l[0].hostname), "a\"b\\c\nd\te\x01-\xc3\xa9");
	snprintf(l[0].client_id, sizeof(l[0].client_id), "</x>");
	assert_int_equal(libvirt_leases_json(l, 3, &text), 0);
	/* escaped in the text: no raw quote, backslash or control byte inside the string */
	assert_non_null(strstr(text, "\"a\\\"b\\\\c\\nd\\te\\u0001-\xc3\xa9\""));
	arr = parsed(text, 2);
	o = json_array_get(arr, 0);
	assert_string_equal(str(o, "hostname"), "a\"b\\c\nd\te\x01-\xc3\xa9");
	assert_string_equal(str(o, "client-id"), "</x>");
	o = json_array_get(arr, 1);
	assert_string_equal(str(o, "mac-address"), "52:54:00:00:00:03");
	assert_null(json_object_get(o, "hostname"));
	assert_int_equal(json_integer_value(json_object_get(o, "expiry-time")), 44);
	json_decref(arr);
	free(text);
}

static void leases_local_uri(void **state)
{
	(void)state;
	assert_true(libvirt_leases_local_uri("network:///system"));
	assert_true(libvirt_leases_local_uri("qemu:///system"));
	assert_false(libvirt_leases_local_uri("qemu:///session"));
	assert_false(libvirt_leases_local_uri("qemu+ssh://host/system"));
	assert_false(libvirt_leases_local_uri("network+unix:///system?socket=/tmp/s"));
	assert_false(libvirt_leases_local_uri("off"));
	assert_false(libvirt_leases_local_uri(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(leases_empty),
		cmocka_unit_test(leases_fields),
		cmocka_unit_test(leases_escaping),
		cmocka_unit_test(leases_local_uri),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_conformance.c - libvirt's networkxml2xml round trips, run against kvnet's conf/ */
/*
 * Reads KVNET_LIBVIRT_CORPUS/tests/networkxml2xml-cases.tsv. Every OK case named in
 * conformance_supported[] must parse, and its formatted text must equal libvirt's
 * networkxml2xmlout/<case>.xml byte for byte (all inputs carry a UUID, so nothing needs
 * normalising). Every other OK case must be refused with "not supported by kvnet", and every
 * PARSE_ERROR case must be rejected. Without the corpus the tests are skipped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf/network_xml.h"

#ifndef KVNET_LIBVIRT_CORPUS
#define KVNET_LIBVIRT_CORPUS "../shared/conformance/libvirt"
#endif

/* the cases kvnet runs; the rest use forward modes or virtual ports it refuses */
static const char *const conformance_supported[] = {
	"bandwidth-network",
	"dhcp6host-routed-network",
	"direct-net",
	"dnsmasq-options",
	"empty-allow-ipv6",
	"host-bridge-net",
	"host-bridge-no-flood",
	"isolated-network",
	"isolated-ports",
	"leasetime-hours",
	"leasetime-infinite",
	"leasetime-minutes",
	"leasetime-seconds",
	"metadata",
	"nat-network",
	"nat-network-dns-forward-plain",
	"nat-network-dns-forwarder-no-resolv",
	"nat-network-dns-forwarders",
	"nat-network-dns-hosts",
	"nat-network-dns-srv-record",
	"nat-network-dns-srv-record-minimal",
	"nat-network-dns-srv-records",
	"nat-network-dns-txt-record",
	"nat-network-explicit-flood",
	"nat-network-forward-nat-address",
	"nat-network-forward-nat-ipv6",
	"nat-network-forward-nat-no-address",
	"nat-network-mtu",
	"netboot-network",
	"netboot-proxy-network",
	"netboot-tftp",
	"open-network",
	"openvswitch-net",
	"routed-network",
	"routed-network-no-dns",
	"set-mtu",
};

#define CONFORMANCE_N_SUPPORTED (sizeof(conformance_supported) / sizeof(conformance_supported[0]))

static bool conformance_is_supported(const char *name)
{
	size_t i;

	for (i = 0; i < CONFORMANCE_N_SUPPORTED; i++)
		if (!strcmp(conformance_supported[i], name))
			return true;
	return false;
}

static char *conformance_slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET))
		goto out_close;
	buf = calloc(1, n + 1);
	if (buf && fread(buf, 1, n, fp) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
out_close:
	fclose(fp);
	return buf;
}

static bool conformance_present(void)
{
	struct stat st;

	return !stat(KVNET_LIBVIRT_CORPUS "/tests/networkxml2xml-cases.tsv", &st);
}

static void test_networkxml2xml(void **state)
{
	unsigned int n_ok = 0, n_supported = 0, n_match = 0, n_refused = 0, n_neg = 0;
	unsigned int n_neg_rejected = 0, bad = 0, seen = 0;
	char line[1024], path[4096], err[512];
	FILE *tsv;

	(void)state;
	if (!conformance_present()) {
		print_message("SKIP: libvirt corpus not found at %s\n", KVNET_LIBVIRT_CORPUS);
		skip();
	}
	tsv = fopen(KVNET_LIBVIRT_CORPUS "/tests/networkxml2xml-cases.tsv", "r");
	assert_non_null(tsv);
	while (fgets(line, sizeof(line), tsv)) {
		char *name = strtok(line, "\t\n"), *expect = strtok(NULL, "\t\n");
		struct network_def *def = NULL;
		char *want, *got = NULL;
		int ret;

		if (!name || !expect || !strcmp(name, "case"))
			continue;
		snprintf(path, sizeof(path), "%s/tests/networkxml2xmlin/%s.xml",
			 KVNET_LIBVIRT_CORPUS, name);
		ret = network_xml_parse_file(path, &def, err, sizeof(err));
		if (strcmp(expect, "OK")) {
			n_neg++;
			if (ret == -EINVAL && err[0]) {
				n_neg_rejected++;
			} else {
				print_error("%s: libvirt rejects it, kvnet accepted it\n", name);
				bad++;
			}
			network_def_free(def);
			continue;
		}
		n_ok++;
		if (!conformance_is_supported(name)) {
			if (ret == -EINVAL && strstr(err, "not supported by kvnet")) {
				n_refused++;
			} else {
				print_error("%s: expected a clear refusal, got %d '%s'\n", name,
					    ret, err);
				bad++;
			}
			network_def_free(def);
			continue;
		}
		n_supported++;
		seen++;
		if (ret) {
			print_error("%s: %s\n", name, err);
			bad++;
			continue;
		}
		assert_int_equal(network_xml_format(def, 0, &got), 0);
		network_def_free(def);
		snprintf(path, sizeof(path), "%s/tests/networkxml2xmlout/%s.xml",
			 KVNET_LIBVIRT_CORPUS, name);
		want = conformance_slurp(path);
		if (want && !strcmp(want, got)) {
			n_match++;
		} else {
			print_error("%s: formatted output differs from %s:\n%s\n", name, path, got);
			bad++;
		}
		free(want);
		free(got);
	}
	fclose(tsv);
	print_message("networkxml2xml: supported %u of %u, matching %u, refused %u; "
		      "negative cases rejected %u of %u\n",
		      n_supported, n_ok, n_match, n_refused, n_neg_rejected, n_neg);
	assert_int_equal(seen, CONFORMANCE_N_SUPPORTED);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_networkxml2xml),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

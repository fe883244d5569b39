/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_firewall.c - the nft scripts services/firewall.c writes for each kind of network */
/*
 * firewall_rules() is pure, so every mode's rules are checked as text here. When run as root
 * with nft(8) and unshare(1) at hand, each script is also checked by the kernel's nftables
 * (`nft -c -f`, which commits nothing) in a network namespace of its own, and so are the
 * scripts for every input of libvirt's networkxml2firewalldata (KVNET_LIBVIRT_CORPUS, or the
 * environment variable of that name; skipped without the corpus).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/network_xml.h"
#include "services/firewall.h"

#ifndef KVNET_LIBVIRT_CORPUS
#define KVNET_LIBVIRT_CORPUS "../shared/conformance/libvirt"
#endif

static struct network_def *parse(const char *xml)
{
	struct network_def *def = NULL;
	char err[512] = "";
	int rc = network_xml_parse(xml, strlen(xml), &def, err, sizeof(err));

	if (rc)
		fail_msg("parse failed (%d): %s", rc, err);
	return def;
}

/* the rules of @xml on host port virbr0 */
static char *rules_of(const char *xml, const char *ifname)
{
	struct network_def *def = parse(xml);
	char *out = NULL;

	assert_int_equal(firewall_rules(def, ifname, &out), 0);
	assert_non_null(out);
	network_def_free(def);
	return out;
}

/* does @text hold a line that contains every one of the NULL-terminated fragments, in order */
static bool has_line(const char *text, ...)
{
	const char *line = text;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char *l = strndup(line, len);
		const char *pos = l, *frag;
		bool all = true;
		va_list ap;

		va_start(ap, text);
		while ((frag = va_arg(ap, const char *))) {
			pos = strstr(pos, frag);
			if (!pos) {
				all = false;
				break;
			}
			pos += strlen(frag);
		}
		va_end(ap);
		free(l);
		if (all)
			return true;
		line = end ? end + 1 : NULL;
	}
	return false;
}

#define assert_line(text, ...)                                                                     \
	do {                                                                                       \
		if (!has_line(text, __VA_ARGS__, (const char *)NULL))                              \
			fail_msg("no line with: %s\n--- script:\n%s", #__VA_ARGS__, text);         \
	} while (0)
#define assert_no_line(text, ...)                                                                  \
	do {                                                                                       \
		if (has_line(text, __VA_ARGS__, (const char *)NULL))                               \
			fail_msg("unexpected line with: %s\n--- script:\n%s", #__VA_ARGS__, text); \
	} while (0)

static int count_lines(const char *text, const char *frag)
{
	int n = 0;

	for (const char *p = text; (p = strstr(p, frag)); p += strlen(frag))
		n++;
	return n;
}

/*
 * nft_check() - does the kernel's nftables accept the table skeleton plus @script, in a new
 * network namespace; Return: 1 yes, 0 no (with nft's message printed), -1 cannot check here
 */
static int nft_check(const char *script)
{
	static int can = -2;
	char path[] = "/tmp/kvnet-test-fw-XXXXXX", cmd[256];
	FILE *f;
	int fd, rc;

	if (can == -2)
		can = geteuid() == 0 && !system("command -v nft >/dev/null && "
						"unshare -n true 2>/dev/null")
			      ? 1
			      : -1;
	if (can < 0)
		return -1;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(firewall_table_script(), f);
	fputs(script, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "unshare -n nft -c -f %s", path);
	rc = system(cmd);
	unlink(path);
	return rc == 0;
}

static void assert_nft_accepts(const char *script)
{
	if (nft_check(script) == 0)
		fail_msg("nft -c refused:\n%s", script);
}

#define NAT_XML(name, forward_inner, forward_attrs, ips)                                           \
	"<network><name>" name "</name><bridge name='virbr0'/>"                                    \
	"<forward mode='nat'" forward_attrs ">" forward_inner "</forward>" ips "</network>"

#define IP4 "<ip address='192.168.122.1' netmask='255.255.255.0'/>"
#define IP4B "<ip address='10.20.30.1' prefix='16'/>"
#define IP6 "<ip family='ipv6' address='2001:db8:ca2:2::1' prefix='64'/>"

static void test_nat_default(void **state)
{
	char *r = rules_of(NAT_XML("default", "", "", IP4 IP4B), "virbr0");
	char base[FIREWALL_CHAIN_BASE_MAX];

	(void)state;
	firewall_chain_base("default", base, sizeof(base));
	/* chains and the jumps to them, one each */
	assert_line(r, "add chain inet kvnet ", base, "_nat");
	assert_line(r, "add rule inet kvnet guest_cross jump ", base, "_cross");
	assert_line(r, "add rule inet kvnet guest_input jump ", base, "_in");
	assert_line(r, "add rule inet kvnet guest_output jump ", base, "_out");
	assert_line(r, "add rule inet kvnet postrouting jump ", base, "_nat");
	/* forwarding: out of the subnet, replies back, cross, the rest rejected */
	assert_line(r, "_out iifname \"virbr0\" ip saddr 192.168.122.0/24", "accept");
	assert_line(r, "_in oifname \"virbr0\" ip daddr 192.168.122.0/24",
		    "ct state related,established", "accept");
	assert_line(r, "_cross iifname \"virbr0\" oifname \"virbr0\"", "accept");
	assert_line(r, "_out iifname \"virbr0\" counter reject");
	assert_line(r, "_in oifname \"virbr0\" counter reject");
	/* masquerade with libvirt's exclusions, multicast and broadcast first */
	assert_line(r, "_nat ip saddr 192.168.122.0/24 ip daddr 224.0.0.0/24", "return");
	assert_line(r, "_nat ip saddr 192.168.122.0/24 ip daddr 255.255.255.255", "return");
	assert_line(r, "meta l4proto tcp ip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24",
		    "masquerade to :1024-65535");
	assert_line(r, "meta l4proto udp ip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24",
		    "masquerade to :1024-65535");
	assert_line(
		r,
		"_nat ip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24 counter masquerade");
	assert_true(strstr(r, "224.0.0.0/24") < strstr(r, "masquerade"));
	/* the second subnet, its prefix masked */
	assert_line(r, "_nat ip saddr 10.20.0.0/16 ip daddr != 10.20.0.0/16 counter masquerade");
	assert_line(r, "_out iifname \"virbr0\" ip saddr 10.20.0.0/16");
	assert_int_equal(count_lines(r, "masquerade"), 6);
	assert_no_line(r, "ip6");
	assert_no_line(r, "snat");
	assert_nft_accepts(r);
	free(r);
}

static void test_nat_ports_and_address(void **state)
{
	char *r;

	(void)state;
	r = rules_of(NAT_XML("ports", "<nat><port start='500' end='1000'/></nat>", "", IP4),
		     "virbr0");
	assert_line(r, "meta l4proto tcp", "masquerade to :500-1000");
	assert_line(r, "meta l4proto udp", "masquerade to :500-1000");
	assert_no_line(r, "1024-65535");
	assert_nft_accepts(r);
	free(r);

	r = rules_of(NAT_XML("addr",
			     "<nat><address start='203.0.113.10' end='203.0.113.20'/>"
			     "<port start='2000' end='3000'/></nat>",
			     "", IP4),
		     "virbr0");
	assert_line(r, "meta l4proto tcp ip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24",
		    "snat ip to 203.0.113.10-203.0.113.20:2000-3000");
	assert_line(r, "meta l4proto udp", "snat ip to 203.0.113.10-203.0.113.20:2000-3000");
	assert_line(r, "_nat ip saddr 192.168.122.0/24 ip daddr != 192.168.122.0/24 counter snat "
		       "ip to 203.0.113.10-203.0.113.20");
	assert_no_line(r, "masquerade");
	assert_nft_accepts(r);
	free(r);

	r = rules_of(NAT_XML("addr1", "<nat><address start='203.0.113.10'/></nat>", "", IP4),
		     "virbr0");
	assert_line(r, "meta l4proto tcp", "snat ip to 203.0.113.10:1024-65535");
	assert_non_null(strstr(r, "counter snat ip to 203.0.113.10\n"));
	assert_nft_accepts(r);
	free(r);
}

static void test_nat_ipv6(void **state)
{
	char *r;

	(void)state;
	/* without ipv6='yes' IPv6 is routed: both directions accepted, no IPv6 NAT */
	r = rules_of(NAT_XML("v6", "", "", IP4 IP6), "virbr0");
	assert_line(r, "_out iifname \"virbr0\" ip6 saddr 2001:db8:ca2:2::/64", "accept");
	assert_line(r, "_in oifname \"virbr0\" ip6 daddr 2001:db8:ca2:2::/64 counter accept");
	assert_no_line(r, "ip6 saddr", "masquerade");
	assert_no_line(r, "ff02::/16");
	assert_line(r, "ip saddr 192.168.122.0/24", "masquerade");
	assert_nft_accepts(r);
	free(r);

	r = rules_of(NAT_XML("v6m", "<nat ipv6='yes'><port start='500' end='1000'/></nat>", "",
			     IP4 IP6),
		     "virbr0");
	assert_line(r, "_in oifname \"virbr0\" ip6 daddr 2001:db8:ca2:2::/64",
		    "ct state related,established", "accept");
	assert_line(r, "_nat ip6 saddr 2001:db8:ca2:2::/64 ip6 daddr ff02::/16", "return");
	assert_line(r,
		    "meta l4proto tcp ip6 saddr 2001:db8:ca2:2::/64 ip6 daddr != "
		    "2001:db8:ca2:2::/64",
		    "masquerade to :500-1000");
	assert_line(r, "_nat ip6 saddr 2001:db8:ca2:2::/64 ip6 daddr != 2001:db8:ca2:2::/64 "
		       "counter masquerade");
	assert_nft_accepts(r);
	free(r);

	/* an IPv6-only NAT network without ipv6='yes' has nothing to masquerade: no nat chain */
	r = rules_of(NAT_XML("v6only", "", "", IP6), "virbr0");
	assert_no_line(r, "_nat");
	assert_no_line(r, "postrouting");
	assert_nft_accepts(r);
	free(r);
}

static void test_forward_dev(void **state)
{
	char *r = rules_of(NAT_XML("dev", "", " dev='enp0s7'", IP4), "virbr0");

	(void)state;
	assert_line(r, "_out iifname \"virbr0\" oifname \"enp0s7\" ip saddr 192.168.122.0/24",
		    "accept");
	assert_line(r, "_in iifname \"enp0s7\" oifname \"virbr0\" ip daddr 192.168.122.0/24",
		    "related,established", "accept");
	assert_line(r, "_nat oifname \"enp0s7\" ip saddr 192.168.122.0/24 ip daddr 224.0.0.0/24",
		    "return");
	assert_line(r, "_nat oifname \"enp0s7\" meta l4proto tcp", "masquerade to :1024-65535");
	assert_line(r, "_nat oifname \"enp0s7\" ip saddr 192.168.122.0/24 ip daddr != "
		       "192.168.122.0/24 counter masquerade");
	assert_int_equal(count_lines(r, "_nat oifname \"enp0s7\""), 5);
	/* the rejects still cover all of the port's traffic */
	assert_line(r, "_out iifname \"virbr0\" counter reject");
	assert_line(r, "_in oifname \"virbr0\" counter reject");
	assert_nft_accepts(r);
	free(r);
}

static void test_route(void **state)
{
	char *r = rules_of("<network><name>r</name><bridge name='virbr1'/>"
			   "<forward mode='route' dev='eth0'/>" IP4 IP6 "</network>",
			   "virbr1");

	(void)state;
	assert_line(r, "_out iifname \"virbr1\" oifname \"eth0\" ip saddr 192.168.122.0/24",
		    "accept");
	assert_line(r, "_in iifname \"eth0\" oifname \"virbr1\" ip daddr 192.168.122.0/24 counter "
		       "accept");
	assert_line(r, "_in iifname \"eth0\" oifname \"virbr1\" ip6 daddr 2001:db8:ca2:2::/64 "
		       "counter accept");
	assert_line(r, "_cross iifname \"virbr1\" oifname \"virbr1\"", "accept");
	assert_line(r, "_out iifname \"virbr1\" counter reject");
	assert_no_line(r, "masquerade");
	assert_no_line(r, "snat");
	assert_no_line(r, "ct state");
	assert_no_line(r, "_nat");
	assert_nft_accepts(r);
	free(r);
}

static void test_isolated(void **state)
{
	char *r = rules_of("<network><name>iso</name><bridge name='virbr2'/>" IP4 IP6 "</network>",
			   "virbr2");

	(void)state;
	assert_line(r, "_cross iifname \"virbr2\" oifname \"virbr2\" counter accept");
	assert_line(r, "_out iifname \"virbr2\" counter reject");
	assert_line(r, "_in oifname \"virbr2\" counter reject");
	/* the one accept is the cross one */
	assert_int_equal(count_lines(r, "accept"), 1);
	assert_no_line(r, "saddr");
	assert_no_line(r, "daddr");
	assert_no_line(r, "_nat");
	assert_nft_accepts(r);
	free(r);
}

static void test_open_and_bridge_empty(void **state)
{
	char *r;

	(void)state;
	r = rules_of("<network><name>o</name><bridge name='virbr3'/><forward mode='open'/>" IP4
		     "</network>",
		     "virbr3");
	assert_string_equal(r, "");
	free(r);
	r = rules_of("<network><name>b</name><forward mode='bridge'/><bridge name='br0'/>"
		     "</network>",
		     "br0");
	assert_string_equal(r, "");
	free(r);
}

static bool ident_ok(const char *s)
{
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
		      (p > s && *p >= '0' && *p <= '9')))
			return false;
	return *s;
}

static void test_hostile_names(void **state)
{
	static const char *const names[] = {
		"a\"; flush ruleset; \"",
		"x } table ip filter { chain c { drop } }",
		"tab\there",
		"counter",
		"1234",
		"-",
		"ümlaut",
		"a-b",
		"a_b",
		"a very long network name that goes on and on and on well past any limit",
	};
	char bases[10][FIREWALL_CHAIN_BASE_MAX];
	struct network_def *def;
	char *r;

	(void)state;
	for (size_t i = 0; i < 10; i++) {
		char again[FIREWALL_CHAIN_BASE_MAX];

		firewall_chain_base(names[i], bases[i], sizeof(bases[i]));
		assert_true(ident_ok(bases[i]));
		assert_true(strlen(bases[i]) <= FIREWALL_CHAIN_BASE_MAX - 1);
		assert_int_equal(strncmp(bases[i], "n_", 2), 0);
		firewall_chain_base(names[i], again, sizeof(again));
		assert_string_equal(bases[i], again); /* deterministic */
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(bases[i], bases[j]);
	}
	firewall_chain_base("default", bases[0], sizeof(bases[0]));
	assert_int_equal(strncmp(bases[0], "n_default_", 10), 0);

	/* a name with nft syntax in it reaches the script only through the chain base */
	def = parse("<network><name>evil\"; flush ruleset; {</name><bridge name='virbr0'/>"
		    "<forward/>" IP4 "</network>");
	assert_int_equal(firewall_rules(def, "virbr0", &r), 0);
	assert_null(strstr(r, "flush ruleset"));
	assert_null(strchr(r, ';'));
	assert_null(strchr(r, '{'));
	assert_null(strstr(r, "evil\""));
	assert_int_equal(count_lines(r, "\""), 2 * count_lines(r, "\"virbr0\""));
	assert_nft_accepts(r);
	free(r);

	/* interface names: 1..15 of [A-Za-z0-9_.-], anything else refused */
	assert_true(firewall_ifname_valid("virbr0"));
	assert_true(firewall_ifname_valid("a.b-c_D9"));
	assert_true(firewall_ifname_valid("fifteen-chars15"));
	assert_false(firewall_ifname_valid("sixteen-chars-16"));
	assert_false(firewall_ifname_valid(""));
	assert_false(firewall_ifname_valid(NULL));
	assert_false(firewall_ifname_valid("a\"b"));
	assert_false(firewall_ifname_valid("a b"));
	assert_false(firewall_ifname_valid("a;b"));
	assert_false(firewall_ifname_valid("a/b"));
	assert_false(firewall_ifname_valid("a\nb"));
	r = (char *)1;
	assert_int_equal(firewall_rules(def, "vir\"br0", &r), -EINVAL);
	assert_null(r);
	free(def->forward.dev);
	def->forward.dev = strdup("eth0\" accept; #");
	assert_int_equal(firewall_rules(def, "virbr0", &r), -EINVAL);
	free(def->forward.dev);
	def->forward.dev = strdup("eth0");
	assert_int_equal(firewall_rules(def, "virbr0", &r), 0);
	free(r);
	network_def_free(def);
}

static const char *corpus_dir(void)
{
	const char *env = getenv("KVNET_LIBVIRT_CORPUS");

	return env && env[0] ? env : KVNET_LIBVIRT_CORPUS;
}

static void test_corpus(void **state)
{
	char dir[4096];
	struct dirent *e;
	int n = 0;
	DIR *d;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/networkxml2firewalldata", corpus_dir());
	d = opendir(dir);
	if (!d) {
		print_message("skipped: no corpus at %s\n", dir);
		skip();
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		struct network_def *def = NULL;
		char path[8192], err[512] = "", *r = NULL;

		if (len < 5 || strcmp(e->d_name + len - 4, ".xml"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (network_xml_parse_file(path, &def, err, sizeof(err)))
			fail_msg("%s: %s", e->d_name, err);
		assert_int_equal(firewall_rules(def, def->bridge.name ? def->bridge.name : "virbr0",
						&r),
				 0);
		/* every libvirt case but open/bridge has forwarding rules; nat ones masquerade */
		assert_non_null(strstr(r, "counter reject"));
		if (def->forward.mode == CONF_FORWARD_NAT)
			assert_non_null(strstr(r, "masquerade"));
		if (nft_check(r) == 0)
			fail_msg("%s: nft -c refused:\n%s", e->d_name, r);
		free(r);
		network_def_free(def);
		n++;
	}
	closedir(d);
	assert_true(n >= 11);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nat_default),
		cmocka_unit_test(test_nat_ports_and_address),
		cmocka_unit_test(test_nat_ipv6),
		cmocka_unit_test(test_forward_dev),
		cmocka_unit_test(test_route),
		cmocka_unit_test(test_isolated),
		cmocka_unit_test(test_open_and_bridge_empty),
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_corpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

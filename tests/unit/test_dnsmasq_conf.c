/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_dnsmasq_conf.c - a network's dnsmasq configuration: libvirt's corpus and each feature */
/*
 * The conformance test reads KVNET_LIBVIRT_CORPUS (the environment variable, else the
 * compiled-in path): every tests/networkxml2confdata/<case>.xml is parsed and built as
 * libvirt's test does (files in /var/lib/libvirt/dnsmasq, no pid file), and the conf must
 * equal <case>.conf byte for byte once the leading "##" comment lines of both are dropped;
 * the hosts file must equal <case>.hostsfile, or be absent when that file is. An input
 * kvnet's parser refuses is reported with the reason, not failed. Without the corpus the
 * test is skipped. The other tests use XML written here.
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

#include "conf/network_xml.h"
#include "services/dnsmasq_conf.h"

#ifndef KVNET_LIBVIRT_CORPUS
#define KVNET_LIBVIRT_CORPUS "../shared/conformance/libvirt"
#endif

#define LIBVIRT_FILES_DIR "/var/lib/libvirt/dnsmasq"

static char *read_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
			free(buf);
			buf = NULL;
		} else if (buf) {
			buf[n] = '\0';
		}
	}
	fclose(fp);
	return buf;
}

/* the text after its leading "##" comment lines */
static const char *skip_header(const char *s)
{
	while (!strncmp(s, "##", 2)) {
		const char *nl = strchr(s, '\n');

		if (!nl)
			return s + strlen(s);
		s = nl + 1;
	}
	return s;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_conformance(void **state)
{
	const char *env = getenv("KVNET_LIBVIRT_CORPUS");
	const char *corpus = env && *env ? env : KVNET_LIBVIRT_CORPUS;
	char dir[4096], path[4200], err[1024], header[512];
	char **names = NULL;
	size_t n = 0, i, matched = 0, refused = 0, failed = 0;
	struct dirent *de;
	DIR *d;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/networkxml2confdata", corpus);
	d = opendir(dir);
	if (!d) {
		printf("SKIP: libvirt corpus not found at %s (set KVNET_LIBVIRT_CORPUS)\n", dir);
		skip();
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < 5 || strcmp(de->d_name + len - 4, ".xml"))
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		assert_non_null(names);
		names[n] = strndup(de->d_name, len - 4);
		assert_non_null(names[n]);
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);

	for (i = 0; i < n; i++) {
		struct dnsmasq_conf_opts o = { .files_dir = LIBVIRT_FILES_DIR };
		struct dnsmasq_conf c;
		struct network_def *def = NULL;
		char *want, *want_hosts;
		bool ok = true;
		int ret;

		snprintf(path, sizeof(path), "%s/%s.xml", dir, names[i]);
		ret = network_xml_parse_file(path, &def, err, sizeof(err));
		if (ret) {
			printf("refused by kvnet's parser: %s: %s\n", names[i], err);
			refused++;
			continue;
		}
		snprintf(header, sizeof(header),
			 "dnsmasq configuration written by kvnetd for network %s\n"
			 "change it with: kvnet net-edit %s",
			 def->name, def->name);
		o.header = header;
		ret = dnsmasq_conf_build(def, &o, &c, err, sizeof(err));
		if (ret) {
			printf("FAIL: %s: dnsmasq_conf_build: %d %s\n", names[i], ret, err);
			network_def_free(def);
			failed++;
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s.conf", dir, names[i]);
		want = read_file(path);
		assert_non_null(want);
		if (strncmp(c.conf, "## dnsmasq configuration written by kvnetd", 42) ||
		    strcmp(skip_header(c.conf), skip_header(want))) {
			printf("FAIL: %s: conf differs\n--- expected\n%s--- got\n%s---\n", names[i],
			       skip_header(want), c.conf);
			ok = false;
		}
		snprintf(path, sizeof(path), "%s/%s.hostsfile", dir, names[i]);
		want_hosts = read_file(path);
		if (want_hosts && (!c.hostsfile || strcmp(c.hostsfile, want_hosts))) {
			printf("FAIL: %s: hostsfile differs\n--- expected\n%s--- got\n%s---\n",
			       names[i], want_hosts, c.hostsfile ? c.hostsfile : "(none)\n");
			ok = false;
		} else if (!want_hosts && c.hostsfile) {
			printf("FAIL: %s: a hostsfile where libvirt writes none:\n%s", names[i],
			       c.hostsfile);
			ok = false;
		}
		if (ok)
			matched++;
		else
			failed++;
		free(want);
		free(want_hosts);
		dnsmasq_conf_free(&c);
		network_def_free(def);
	}
	printf("networkxml2confdata: %zu of %zu match libvirt byte for byte (conf and hostsfile), "
	       "%zu refused by the parser, %zu differ\n",
	       matched, n, refused, failed);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	assert_int_equal(failed, 0);
	assert_true(matched > 0);
}

/* build @xml's configuration; the result's return value, @c filled on success */
static int build(const char *xml, const struct dnsmasq_conf_opts *opts, struct dnsmasq_conf *c,
		 char *err, size_t errlen)
{
	struct dnsmasq_conf_opts def_opts = { .files_dir = "/run/kvnet/dnsmasq" };
	struct network_def *def = NULL;
	int ret;

	ret = network_xml_parse(xml, strlen(xml), &def, err, errlen);
	if (ret) {
		print_error("parse: %s\n", err);
		fail();
	}
	ret = dnsmasq_conf_build(def, opts ? opts : &def_opts, c, err, errlen);
	network_def_free(def);
	return ret;
}

/* build, which must succeed, and return the conf text (free with dnsmasq_conf_free()) */
static void build_ok(const char *xml, const struct dnsmasq_conf_opts *opts, struct dnsmasq_conf *c)
{
	char err[512] = "";
	int ret = build(xml, opts, c, err, sizeof(err));

	if (ret)
		print_error("build: %d %s\n", ret, err);
	assert_int_equal(ret, 0);
}

/* build, which must be refused with -EINVAL and a message holding @what and @chr */
static void build_refused(const char *xml, const char *what, const char *chr)
{
	struct dnsmasq_conf c = { 0 };
	char err[512] = "";
	int ret = build(xml, NULL, &c, err, sizeof(err));

	if (ret != -EINVAL || !strstr(err, what) || (chr && !strstr(err, chr)))
		print_error("expected -EINVAL naming %s and %s, got %d '%s'\n", what,
			    chr ? chr : "-", ret, err);
	assert_int_equal(ret, -EINVAL);
	assert_non_null(strstr(err, what));
	if (chr)
		assert_non_null(strstr(err, chr));
	assert_null(c.conf);
}

#define NET_HEAD "<network><name>t</name><bridge name='kvbr0'/>"
#define NAT_HEAD "<network><name>t</name><forward mode='nat'/><bridge name='kvbr0'/>"

static void test_isolated_lease_default_unit(void **state)
{
	struct dnsmasq_conf c;

	(void)state;
	build_ok(NET_HEAD "<ip address='10.0.0.1' prefix='16'><dhcp>"
			  "<range start='10.0.1.0' end='10.0.1.9'><lease expiry='5'/></range>"
			  "</dhcp></ip></network>",
		 NULL, &c);
	assert_string_equal(c.conf, "strict-order\n"
				    "except-interface=lo\n"
				    "bind-dynamic\n"
				    "interface=kvbr0\n"
				    "dhcp-option=3\n"
				    "no-resolv\n"
				    "ra-param=*,0,0\n"
				    "dhcp-range=10.0.1.0,10.0.1.9,255.255.0.0,5m\n"
				    "dhcp-no-override\n"
				    "dhcp-authoritative\n"
				    "dhcp-lease-max=10\n"
				    "dhcp-hostsfile=/run/kvnet/dnsmasq/t.hostsfile\n"
				    "addn-hosts=/run/kvnet/dnsmasq/t.addnhosts\n");
	assert_null(c.hostsfile);
	assert_string_equal(c.addnhosts, "");
	assert_true(c.needed);
	dnsmasq_conf_free(&c);
}

static void test_opts_lines(void **state)
{
	struct dnsmasq_conf_opts o = {
		.files_dir = "/run/kvnet/dnsmasq",
		.pid_file = "/run/kvnet/dnsmasq/t.pid",
		.lease_file = "/run/kvnet/dnsmasq/t.leases",
		.header = "written by kvnetd for network t\nchange it with: kvnet net-edit t",
		.interface = "kvhost0",
	};
	struct dnsmasq_conf c;

	(void)state;
	build_ok(NAT_HEAD "<ip address='192.168.9.1' netmask='255.255.255.0'/></network>", &o, &c);
	assert_string_equal(c.conf, "## written by kvnetd for network t\n"
				    "## change it with: kvnet net-edit t\n"
				    "strict-order\n"
				    "pid-file=/run/kvnet/dnsmasq/t.pid\n"
				    "dhcp-leasefile=/run/kvnet/dnsmasq/t.leases\n"
				    "except-interface=lo\n"
				    "bind-dynamic\n"
				    "interface=kvhost0\n"
				    "addn-hosts=/run/kvnet/dnsmasq/t.addnhosts\n");
	dnsmasq_conf_free(&c);
	dnsmasq_conf_free(&c); /* harmless twice */
}

static void test_hosts_and_dns_hosts(void **state)
{
	struct dnsmasq_conf c;

	(void)state;
	build_ok(NAT_HEAD "<dns><host ip='192.168.9.1'><hostname>gw</hostname>"
			  "<hostname>router</hostname></host>"
			  "<host ip='fd00::1'><hostname>gw6</hostname></host></dns>"
			  "<ip address='192.168.9.1' prefix='24'><dhcp>"
			  "<host mac='52:54:00:00:00:01' ip='192.168.9.5'>"
			  "<lease expiry='2' unit='hours'/></host>"
			  "<host name='byname' ip='192.168.9.6'/>"
			  "<host mac='52:54:00:00:00:02' name='noip'/>"
			  "</dhcp></ip>"
			  "<ip family='ipv6' address='fd00::1' prefix='64'><dhcp>"
			  "<host id='0:3:0:1:52:54:0:0:0:3' ip='fd00::20'>"
			  "<lease expiry='0'/></host></dhcp></ip></network>",
		 NULL, &c);
	assert_non_null(strstr(c.conf, "dhcp-range=192.168.9.1,static\n"
				       "dhcp-no-override\n"
				       "dhcp-authoritative\n"
				       "dhcp-range=fd00::1,static,64\n"
				       "dhcp-hostsfile=/run/kvnet/dnsmasq/t.hostsfile\n"
				       "addn-hosts=/run/kvnet/dnsmasq/t.addnhosts\n"
				       "enable-ra\n"));
	assert_null(strstr(c.conf, "dhcp-lease-max"));
	assert_string_equal(c.hostsfile, "52:54:00:00:00:01,192.168.9.5,2h\n"
					 "byname,192.168.9.6\n"
					 "id:0:3:0:1:52:54:0:0:0:3,[fd00::20],infinite\n");
	assert_string_equal(c.addnhosts, "192.168.9.1\tgw\trouter\nfd00::1\tgw6\n");
	dnsmasq_conf_free(&c);
}

static void test_dns_features(void **state)
{
	struct dnsmasq_conf c;

	(void)state;
	build_ok("<network><name>t</name><forward mode='route'/><bridge name='kvbr0'/>"
		 "<mtu size='9000'/><domain name='lab.test' localOnly='yes'/>"
		 "<dns forwardPlainNames='no'><forwarder addr='9.9.9.9'/>"
		 "<forwarder domain='corp.test' addr='10.1.1.1'/>"
		 "<forwarder domain='blocked.test'/>"
		 "<txt name='info' value='hello, world'/>"
		 "<srv service='ldap' protocol='tcp' target='.' port='389'/>"
		 "<srv service='sip' protocol='udp' domain='lab.test' target='pbx.lab.test' "
		 "weight='5'/></dns>"
		 "<ip address='10.20.0.1' prefix='16' localPtr='yes'>"
		 "<tftp root='/srv/tftp'/><dhcp><range start='10.20.1.0' end='10.20.1.255'/>"
		 "<bootp file='pxelinux.0' server='10.20.0.2'/></dhcp></ip>"
		 "<ip family='ipv6' address='fd00:1:2:3::1' prefix='64'/></network>",
		 NULL, &c);
	assert_string_equal(c.conf, "strict-order\n"
				    "server=9.9.9.9\n"
				    "server=/corp.test/10.1.1.1\n"
				    "server=/blocked.test/#\n"
				    "no-resolv\n"
				    "local=/lab.test/\n"
				    "domain=lab.test\n"
				    "expand-hosts\n"
				    "local=/20.10.in-addr.arpa/\n"
				    "domain-needed\n"
				    "local=//\n"
				    "except-interface=lo\n"
				    "bind-dynamic\n"
				    "interface=kvbr0\n"
				    "txt-record=info,hello, world\n"
				    "srv-host=_ldap._tcp\n"
				    "srv-host=_sip._udp.lab.test,pbx.lab.test,1,0,5\n"
				    "enable-tftp\n"
				    "tftp-root=/srv/tftp\n"
				    "dhcp-range=10.20.1.0,10.20.1.255,255.255.0.0\n"
				    "dhcp-no-override\n"
				    "dhcp-authoritative\n"
				    "dhcp-boot=pxelinux.0,,10.20.0.2\n"
				    "dhcp-lease-max=256\n"
				    "dhcp-hostsfile=/run/kvnet/dnsmasq/t.hostsfile\n"
				    "addn-hosts=/run/kvnet/dnsmasq/t.addnhosts\n"
				    "dhcp-option=option:mtu,9000\n"
				    "dhcp-range=fd00:1:2:3::1,ra-only\n");
	dnsmasq_conf_free(&c);
}

static void test_dnsmasq_options_verbatim(void **state)
{
	struct dnsmasq_conf c;

	(void)state;
	build_ok("<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'>"
		 "<name>t</name><forward mode='nat'/><bridge name='kvbr0'/>"
		 "<ip address='192.168.9.1' prefix='24'/>"
		 "<dnsmasq:options><dnsmasq:option value='dhcp-option=option:domain-search,\"a "
		 "b\"'/>"
		 "<dnsmasq:option value='log-queries'/></dnsmasq:options></network>",
		 NULL, &c);
	assert_non_null(strstr(c.conf, "addn-hosts=/run/kvnet/dnsmasq/t.addnhosts\n"
				       "dhcp-option=option:domain-search,\"a b\"\n"
				       "log-queries\n"));
	dnsmasq_conf_free(&c);
}

static void test_dns_disabled(void **state)
{
	struct dnsmasq_conf c;

	(void)state;
	/* nothing to serve: libvirt and kvnet start no dnsmasq */
	build_ok(NAT_HEAD "<dns enable='no'/><ip address='192.168.9.1' prefix='24'/></network>",
		 NULL, &c);
	assert_false(c.needed);
	assert_string_equal(c.conf, "strict-order\nport=0\nexcept-interface=lo\nbind-dynamic\n"
				    "interface=kvbr0\n");
	dnsmasq_conf_free(&c);
	/* DHCP without DNS */
	build_ok(NAT_HEAD "<dns enable='no'/><ip address='192.168.9.1' prefix='24'><dhcp>"
			  "<range start='192.168.9.10' end='192.168.9.20'/></dhcp></ip></network>",
		 NULL, &c);
	assert_true(c.needed);
	assert_non_null(strstr(c.conf, "port=0\n"));
	assert_null(strstr(c.conf, "addn-hosts"));
	dnsmasq_conf_free(&c);
	/* TFTP without DNS */
	build_ok(NAT_HEAD "<dns enable='no'/><ip address='192.168.9.1' prefix='24'>"
			  "<tftp root='/srv'/></ip></network>",
		 NULL, &c);
	assert_true(c.needed);
	dnsmasq_conf_free(&c);
	/* router advertisements without DNS: kvnet serves them (libvirt would not) */
	build_ok(NAT_HEAD "<dns enable='no'/><ip family='ipv6' address='fd00::1' prefix='64'/>"
			  "</network>",
		 NULL, &c);
	assert_true(c.needed);
	assert_non_null(strstr(c.conf, "dhcp-range=fd00::1,ra-only\n"));
	dnsmasq_conf_free(&c);
}

static void test_needed(void **state)
{
	struct dnsmasq_conf c;

	(void)state;
	build_ok(NAT_HEAD "</network>", NULL, &c);
	assert_false(c.needed); /* no <ip> */
	dnsmasq_conf_free(&c);
	build_ok(NAT_HEAD "<ip address='192.168.9.1' prefix='24'/></network>", NULL, &c);
	assert_true(c.needed); /* DNS for the guests */
	dnsmasq_conf_free(&c);
	build_ok("<network><name>t</name><forward mode='open'/><bridge name='kvbr0'/>"
		 "<ip address='192.168.9.1' prefix='24'/></network>",
		 NULL, &c);
	assert_true(c.needed);
	dnsmasq_conf_free(&c);
	build_ok("<network><name>t</name><forward mode='bridge'/><bridge name='br0'/></network>",
		 NULL, &c);
	assert_false(c.needed); /* a host bridge: the LAN's own servers */
	dnsmasq_conf_free(&c);
}

static void test_refusals(void **state)
{
	(void)state;
	build_refused(NAT_HEAD "<dns><txt name='x' value='a&#10;dhcp-range=1.2.3.4,static'/>"
			       "</dns><ip address='192.168.9.1' prefix='24'/></network>",
		      "<txt value>", "newline");
	build_refused(NAT_HEAD "<dns><txt name='x' value='a\"b'/></dns>"
			       "<ip address='192.168.9.1' prefix='24'/></network>",
		      "<txt value>", "'\"'");
	build_refused(NAT_HEAD "<dns><txt name='x' value='a #b'/></dns>"
			       "<ip address='192.168.9.1' prefix='24'/></network>",
		      "<txt value>", "'#'");
	build_refused(NAT_HEAD "<dns><txt name='x&#13;' value='b'/></dns>"
			       "<ip address='192.168.9.1' prefix='24'/></network>",
		      "<txt name>", "carriage return");
	build_refused(NAT_HEAD "<dns><host ip='192.168.9.1'><hostname>a b</hostname></host></dns>"
			       "<ip address='192.168.9.1' prefix='24'/></network>",
		      "<dns><host><hostname>", "a space");
	build_refused(NAT_HEAD "<dns><forwarder domain='a/b' addr='1.1.1.1'/></dns>"
			       "<ip address='192.168.9.1' prefix='24'/></network>",
		      "<forwarder domain>", "'/'");
	build_refused(NAT_HEAD "<dns><srv service='a&#10;b' protocol='tcp'/></dns>"
			       "<ip address='192.168.9.1' prefix='24'/></network>",
		      "<srv service>", "newline");
	build_refused(NAT_HEAD "<ip address='192.168.9.1' prefix='24'><dhcp>"
			       "<host mac='52:54:00:00:00:01' name='a,b' ip='192.168.9.5'/>"
			       "</dhcp></ip></network>",
		      "<dhcp><host name>", "','");
	build_refused(NAT_HEAD "<ip address='192.168.9.1' prefix='24'><dhcp>"
			       "<range start='192.168.9.10' end='192.168.9.20'/>"
			       "<bootp file='a&#10;b'/></dhcp></ip></network>",
		      "<bootp file>", "newline");
	build_refused(NAT_HEAD "<ip address='192.168.9.1' prefix='24'><dhcp>"
			       "<range start='192.168.9.10' end='192.168.9.20'/>"
			       "<bootp file='a,b'/></dhcp></ip></network>",
		      "<bootp file>", "','");
	build_refused(NAT_HEAD "<ip address='192.168.9.1' prefix='24'>"
			       "<tftp root='/srv&#10;port=53'/></ip></network>",
		      "<tftp root>", "newline");
	build_refused("<network><name>t</name><forward mode='nat'/><bridge name='kvbr0'/>"
		      "<domain name='a&#10;b'/><ip address='192.168.9.1' prefix='24'/></network>",
		      "<domain name>", "newline");
	build_refused("<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'>"
		      "<name>t</name><forward mode='nat'/><bridge name='kvbr0'/>"
		      "<ip address='192.168.9.1' prefix='24'/><dnsmasq:options>"
		      "<dnsmasq:option value='log-queries&#10;port=0'/></dnsmasq:options>"
		      "</network>",
		      "<dnsmasq:option value>", "newline");
	build_refused("<network><name>a #b</name><forward mode='nat'/><bridge name='kvbr0'/>"
		      "<ip address='192.168.9.1' prefix='24'/></network>",
		      "<name>", "'#'");
}

static void test_config_errors(void **state)
{
	struct dnsmasq_conf_opts o = { .files_dir = "/run/kvnet/dnsmasq" };
	struct dnsmasq_conf c = { 0 };
	char err[512];

	(void)state;
	/* libvirt refuses DHCP on two subnets of one family, and so does kvnet */
	assert_int_equal(build(NAT_HEAD "<ip address='192.168.9.1' prefix='24'><dhcp><range "
					"start='192.168.9.10' end='192.168.9.20'/></dhcp></ip>"
					"<ip address='192.168.8.1' prefix='24'><dhcp><range "
					"start='192.168.8.10' end='192.168.8.20'/></dhcp></ip>"
					"</network>",
			       NULL, &c, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "more than one IPv4"));
	assert_int_equal(build(NAT_HEAD "<ip address='10.1.0.1' prefix='20' localPtr='yes'/>"
					"</network>",
			       NULL, &c, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "multiple of 8"));
	o.files_dir = NULL;
	assert_int_equal(build(NAT_HEAD "<ip address='10.1.0.1' prefix='24'/></network>", &o, &c,
			       err, sizeof(err)),
			 -EINVAL);
	o.files_dir = "/run/kvnet/dnsmasq";
	o.interface = "a\nb";
	assert_int_equal(build(NAT_HEAD "<ip address='10.1.0.1' prefix='24'/></network>", &o, &c,
			       err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "interface"));
	o.interface = NULL;
	o.pid_file = "/run/x\n.pid";
	assert_int_equal(build(NAT_HEAD "<ip address='10.1.0.1' prefix='24'/></network>", &o, &c,
			       err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "pid file"));
}

static void test_file_path(void **state)
{
	char *p;

	(void)state;
	p = dnsmasq_conf_file_path("/d", "a\"b&c", "hostsfile");
	assert_string_equal(p, "/d/a&quot;b&amp;c.hostsfile");
	free(p);
	p = dnsmasq_conf_file_path("/run/kvnet/dnsmasq", "default", "addnhosts");
	assert_string_equal(p, "/run/kvnet/dnsmasq/default.addnhosts");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conformance),
		cmocka_unit_test(test_isolated_lease_default_unit),
		cmocka_unit_test(test_opts_lines),
		cmocka_unit_test(test_hosts_and_dns_hosts),
		cmocka_unit_test(test_dns_features),
		cmocka_unit_test(test_dnsmasq_options_verbatim),
		cmocka_unit_test(test_dns_disabled),
		cmocka_unit_test(test_needed),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_file_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_conformance.c - libvirt's own test data and schemas, run against kvnet's conf/ */
/*
 * Reads KVNET_LIBVIRT_CORPUS (or the environment variable of that name):
 * - tests/networkxml2xml-cases.tsv: every OK case named in conformance_supported[] must
 *   parse, and its formatted text must equal libvirt's networkxml2xmlout/<case>.xml byte for
 *   byte (all inputs carry a UUID, so nothing needs normalising) and validate against
 *   src/conf/schemas/network.rng. Every other OK case must be refused with "not supported by
 *   kvnet", and every PARSE_ERROR case must be rejected.
 * - tests/virnetworkportxml2xmldata: libvirt's test is round-trip identity, so every file but
 *   the direct and hostdev-pci plugs must format back byte for byte and validate against
 *   networkport.rng; those must be refused with "not supported by kvnet".
 * - the domains in tests/qemuxmlconfdata: every <interface> of every domain, serialised alone, goes
 *   to iface_xml_parse(): type network and bridge parse (but for the refusals listed in
 *   conformance_iface_refused[]), every other type is refused.
 * - tests/networkxml2xmlupdate-cases.tsv: each row's snippet goes through network_update() on
 *   its base network; the result must format to networkxml2xmlupdateout/<expected> byte for
 *   byte, or the update must fail for FAIL rows. A base kvnet refuses is counted as refused.
 * - definitions written here (no UUID, every feature) format to text the schemas accept.
 * Without the corpus the tests are skipped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>

#include "conf/iface_xml.h"
#include "conf/netport_xml.h"
#include "conf/network_update.h"
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

static const char *conformance_corpus(void)
{
	const char *env = getenv("KVNET_LIBVIRT_CORPUS");

	return env && env[0] ? env : KVNET_LIBVIRT_CORPUS;
}

static bool conformance_present(void)
{
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/tests/networkxml2xml-cases.tsv", conformance_corpus());
	return !stat(path, &st);
}

#define CONFORMANCE_SKIP_IF_ABSENT()                                                               \
	do {                                                                                       \
		if (!conformance_present()) {                                                      \
			print_message("SKIP: libvirt corpus not found at %s\n",                    \
				      conformance_corpus());                                       \
			skip();                                                                    \
		}                                                                                  \
	} while (0)

/* ---- RelaxNG validation with libxml2, against the corpus's own schemas ---- */

struct conformance_schema {
	xmlRelaxNGPtr rng;
	xmlRelaxNGValidCtxtPtr vctx;
};

static struct conformance_schema schema_network, schema_networkport;

static void conformance_rng_error(void *ctx, const char *fmt, ...)
{
	va_list ap;

	(void)ctx;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static void conformance_schema_load(struct conformance_schema *sc, const char *name)
{
	xmlRelaxNGParserCtxtPtr pctx;
	char path[4096];

	if (sc->vctx)
		return;
	snprintf(path, sizeof(path), "%s/src/conf/schemas/%s", conformance_corpus(), name);
	pctx = xmlRelaxNGNewParserCtxt(path);
	assert_non_null(pctx);
	xmlRelaxNGSetParserErrors(pctx, conformance_rng_error, conformance_rng_error, NULL);
	sc->rng = xmlRelaxNGParse(pctx);
	xmlRelaxNGFreeParserCtxt(pctx);
	if (!sc->rng)
		fail_msg("%s: the schema does not load", path);
	sc->vctx = xmlRelaxNGNewValidCtxt(sc->rng);
	assert_non_null(sc->vctx);
	xmlRelaxNGSetValidErrors(sc->vctx, conformance_rng_error, conformance_rng_error, NULL);
}

static void conformance_schema_free(struct conformance_schema *sc)
{
	if (sc->vctx)
		xmlRelaxNGFreeValidCtxt(sc->vctx);
	if (sc->rng)
		xmlRelaxNGFree(sc->rng);
	sc->vctx = NULL;
	sc->rng = NULL;
}

/* whether @xml, a document kvnet wrote, is valid against @sc; says why not on stderr */
static bool conformance_valid(struct conformance_schema *sc, const char *what, const char *xml)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), NULL, NULL, XML_PARSE_NONET);
	int ret;

	if (!doc) {
		print_error("%s: kvnet's output is not well-formed:\n%s\n", what, xml);
		return false;
	}
	ret = xmlRelaxNGValidateDoc(sc->vctx, doc);
	xmlFreeDoc(doc);
	if (ret)
		print_error("%s: kvnet's output does not validate (%d):\n%s\n", what, ret, xml);
	return ret == 0;
}

static void test_networkxml2xml(void **state)
{
	unsigned int n_ok = 0, n_supported = 0, n_match = 0, n_refused = 0, n_neg = 0;
	unsigned int n_neg_rejected = 0, n_valid = 0, bad = 0, seen = 0;
	char line[1024], path[4096], err[512];
	FILE *tsv;

	(void)state;
	CONFORMANCE_SKIP_IF_ABSENT();
	conformance_schema_load(&schema_network, "network.rng");
	snprintf(path, sizeof(path), "%s/tests/networkxml2xml-cases.tsv", conformance_corpus());
	tsv = fopen(path, "r");
	assert_non_null(tsv);
	while (fgets(line, sizeof(line), tsv)) {
		char *name = strtok(line, "\t\n"), *expect = strtok(NULL, "\t\n");
		struct network_def *def = NULL;
		char *want, *got = NULL;
		int ret;

		if (!name || !expect || !strcmp(name, "case"))
			continue;
		snprintf(path, sizeof(path), "%s/tests/networkxml2xmlin/%s.xml",
			 conformance_corpus(), name);
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
			 conformance_corpus(), name);
		want = conformance_slurp(path);
		if (want && !strcmp(want, got)) {
			n_match++;
		} else {
			print_error("%s: formatted output differs from %s:\n%s\n", name, path, got);
			bad++;
		}
		if (conformance_valid(&schema_network, name, got))
			n_valid++;
		else
			bad++;
		free(want);
		free(got);
	}
	fclose(tsv);
	print_message("networkxml2xml: supported %u of %u, matching %u, valid against "
		      "network.rng %u, refused %u; negative cases rejected %u of %u\n",
		      n_supported, n_ok, n_match, n_valid, n_refused, n_neg_rejected, n_neg);
	assert_int_equal(seen, CONFORMANCE_N_SUPPORTED);
	assert_int_equal(bad, 0);
}

/*
 * Update cases whose result kvnet's whole-network checks refuse (libvirt applies an update
 * without re-validating the network): a second forward <interface> on a nat network.
 */
static const struct {
	const char *name;
	const char *why;
} conformance_update_refused[] = {
	{ "insert-forward-interface", "expected at most one <interface> with forward mode 'nat'" },
};

static const char *conformance_update_why(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(conformance_update_refused) / sizeof(conformance_update_refused[0]);
	     i++)
		if (!strcmp(conformance_update_refused[i].name, name))
			return conformance_update_refused[i].why;
	return NULL;
}

/* "IP_DHCP_HOST" -> "ip-dhcp-host", as virsh spells the names */
static void conformance_virsh_name(char *s)
{
	for (; *s; s++)
		*s = *s == '_' ? '-' : (char)tolower((unsigned char)*s);
}

static void test_networkxml2xmlupdate(void **state)
{
	unsigned int n_rows = 0, n_pass = 0, n_refused = 0, bad = 0;
	char line[1024], path[4096], err[512];
	FILE *tsv;

	(void)state;
	CONFORMANCE_SKIP_IF_ABSENT();
	snprintf(path, sizeof(path), "%s/tests/networkxml2xmlupdate-cases.tsv",
		 conformance_corpus());
	tsv = fopen(path, "r");
	assert_non_null(tsv);
	while (fgets(line, sizeof(line), tsv)) {
		char *name = strtok(line, "\t\n"), *section = strtok(NULL, "\t\n");
		char *command = strtok(NULL, "\t\n"), *index = strtok(NULL, "\t\n");
		char *snippet = strtok(NULL, "\t\n"), *base = strtok(NULL, "\t\n");
		char *expect = strtok(NULL, "\t\n"), *xml, *want, *got = NULL;
		struct network_def *def = NULL, *out = NULL;
		int sec, cmd, ret;

		if (!name || !expect || !strcmp(name, "case"))
			continue;
		(void)index;
		n_rows++;
		conformance_virsh_name(section);
		conformance_virsh_name(command);
		sec = network_update_section_from_string(section);
		cmd = network_update_cmd_from_string(command);
		assert_true(sec >= 0);
		assert_true(cmd >= 0);
		snprintf(path, sizeof(path), "%s/tests/networkxml2xmlin/%s", conformance_corpus(),
			 base);
		ret = network_xml_parse_file(path, &def, err, sizeof(err));
		if (ret) {
			if (ret == -EINVAL && strstr(err, "not supported by kvnet")) {
				n_refused++;
			} else {
				print_error("%s: base %s: %s\n", name, base, err);
				bad++;
			}
			continue;
		}
		snprintf(path, sizeof(path), "%s/tests/networkxml2xmlupdatein/%s",
			 conformance_corpus(), snippet);
		xml = conformance_slurp(path);
		assert_non_null(xml);
		/*
		 * Parent index 0 for every row: libvirt's networkxml2xmlupdatetest.c lists its
		 * struct testInfo initialisers with flags before parentIndex, the reverse of the
		 * struct, so every one of its cases runs with parentIndex 0 (append-dhcp-range,
		 * listed with 1, expects the range in the first <ip>).
		 */
		ret = network_update(def, cmd, sec, 0, xml, strlen(xml), &out, err, sizeof(err));
		free(xml);
		network_def_free(def);
		if (!strcmp(expect, "FAIL")) {
			if (ret == -EINVAL && err[0]) {
				n_pass++;
			} else {
				print_error("%s: libvirt fails it, kvnet's update returned %d\n",
					    name, ret);
				bad++;
			}
			network_def_free(out);
			continue;
		}
		if (conformance_update_why(name)) {
			if (ret == -EINVAL && strstr(err, conformance_update_why(name))) {
				n_refused++;
			} else {
				print_error("%s: expected the refusal '%s', got %d '%s'\n", name,
					    conformance_update_why(name), ret, err);
				bad++;
			}
			network_def_free(out);
			continue;
		}
		if (ret) {
			print_error("%s: %s\n", name, err);
			bad++;
			continue;
		}
		assert_int_equal(network_xml_format(out, 0, &got), 0);
		network_def_free(out);
		snprintf(path, sizeof(path), "%s/tests/networkxml2xmlupdateout/%s",
			 conformance_corpus(), expect);
		want = conformance_slurp(path);
		if (want && !strcmp(want, got)) {
			n_pass++;
		} else {
			print_error("%s: updated network differs from %s:\n%s\n", name, path, got);
			bad++;
		}
		free(want);
		free(got);
	}
	fclose(tsv);
	print_message("networkxml2xmlupdate: %u of %u pass, %u refused (a base network or a "
		      "result kvnet does not support)\n",
		      n_pass, n_rows, n_refused);
	assert_int_equal(n_pass + n_refused, n_rows);
	assert_int_equal(bad, 0);
}

/* the network ports kvnet refuses: a macvtap and a PCI passthrough plug */
static bool conformance_netport_refused(const char *file)
{
	return !strcmp(file, "plug-direct.xml") || !strncmp(file, "plug-hostdev-pci", 16);
}

static int conformance_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* the names of the files in @dir ending in .xml, sorted; *@n of them */
static char **conformance_list(const char *dir, size_t *n)
{
	struct dirent *e;
	char **names = NULL;
	DIR *d = opendir(dir);

	*n = 0;
	assert_non_null(d);
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (len < 5 || strcmp(e->d_name + len - 4, ".xml"))
			continue;
		names = realloc(names, (*n + 1) * sizeof(*names));
		assert_non_null(names);
		names[*n] = strdup(e->d_name);
		assert_non_null(names[*n]);
		(*n)++;
	}
	closedir(d);
	qsort(names, *n, sizeof(*names), conformance_cmp);
	return names;
}

static void conformance_list_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void test_netportxml2xml(void **state)
{
	unsigned int n_supported = 0, n_match = 0, n_valid = 0, n_refused = 0, bad = 0;
	char dir[4096], path[8192], err[512];
	char **files;
	size_t n, i;

	(void)state;
	CONFORMANCE_SKIP_IF_ABSENT();
	conformance_schema_load(&schema_networkport, "networkport.rng");
	snprintf(dir, sizeof(dir), "%s/tests/virnetworkportxml2xmldata", conformance_corpus());
	files = conformance_list(dir, &n);
	for (i = 0; i < n; i++) {
		struct netport_def *def = NULL;
		char *in, *got = NULL;
		int ret;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		in = conformance_slurp(path);
		assert_non_null(in);
		ret = netport_xml_parse(in, strlen(in), &def, err, sizeof(err));
		if (conformance_netport_refused(files[i])) {
			if (ret == -EINVAL && strstr(err, "not supported by kvnet")) {
				n_refused++;
			} else {
				print_error("%s: expected a clear refusal, got %d '%s'\n", files[i],
					    ret, err);
				bad++;
			}
			netport_def_free(def);
			free(in);
			continue;
		}
		n_supported++;
		if (ret) {
			print_error("%s: %s\n", files[i], err);
			bad++;
			free(in);
			continue;
		}
		assert_int_equal(netport_xml_format(def, &got), 0);
		netport_def_free(def);
		if (!strcmp(in, got)) {
			n_match++;
		} else {
			print_error("%s: formatted output differs from the input:\n%s\n", files[i],
				    got);
			bad++;
		}
		if (conformance_valid(&schema_networkport, files[i], got))
			n_valid++;
		else
			bad++;
		free(got);
		free(in);
	}
	conformance_list_free(files, n);
	print_message("virnetworkportxml2xml: supported %u of %u, matching %u, valid against "
		      "networkport.rng %u, refused %u\n",
		      n_supported, n_supported + n_refused, n_match, n_valid, n_refused);
	assert_int_equal(n_supported + n_refused, 9);
	assert_int_equal(bad, 0);
}

/*
 * Interfaces of type network or bridge that kvnet still refuses, each for a stated reason:
 * a virtual port type other than openvswitch, or VID 4095 (reserved by 802.1Q; libvirt's
 * domain schema allows it, kvnet's switch cannot carry it).
 */
static const struct {
	const char *file;
	unsigned int index; /* the index-th <interface> of the file, from 0 */
	const char *why;    /* a substring of kvnet's message */
} conformance_iface_refused[] = {
	{ "net-midonet.xml", 0, "virtual port type 'midonet' is not supported by kvnet" },
	{ "net-virtio-network-portgroup.xml", 0, "expected a number from 1 to 4094, got '4095'" },
	{ "net-virtio-network-portgroup.xml", 2,
	  "virtual port type '802.1Qbh' is not supported by kvnet" },
};

#define CONFORMANCE_N_IFACE_REFUSED                                                                \
	(sizeof(conformance_iface_refused) / sizeof(conformance_iface_refused[0]))

static const char *conformance_iface_why(const char *file, unsigned int index)
{
	for (size_t i = 0; i < CONFORMANCE_N_IFACE_REFUSED; i++)
		if (!strcmp(conformance_iface_refused[i].file, file) &&
		    conformance_iface_refused[i].index == index)
			return conformance_iface_refused[i].why;
	return NULL;
}

struct conformance_iface_counts {
	unsigned int total, parsed, refused_type, refused_other, bad;
};

/* one <interface> of a domain, serialised as a document of its own */
static void conformance_iface(const char *file, unsigned int index, xmlNodePtr node,
			      struct conformance_iface_counts *c)
{
	xmlBufferPtr xb = xmlBufferCreate();
	struct iface_def *def = NULL;
	xmlChar *type = xmlGetProp(node, (const xmlChar *)"type");
	bool supported = type && (!xmlStrcmp(type, (const xmlChar *)"network") ||
				  !xmlStrcmp(type, (const xmlChar *)"bridge"));
	const char *why = conformance_iface_why(file, index);
	const char *xml;
	char err[512];
	int ret;

	assert_non_null(xb);
	assert_true(xmlNodeDump(xb, node->doc, node, 0, 0) > 0);
	xml = (const char *)xmlBufferContent(xb);
	ret = iface_xml_parse(xml, strlen(xml), &def, err, sizeof(err));
	c->total++;
	if (supported && !why) {
		if (ret) {
			print_error("%s: <interface> %u: %s\n", file, index, err);
			c->bad++;
		} else {
			c->parsed++;
		}
	} else if (supported) {
		if (ret == -EINVAL && strstr(err, why)) {
			c->refused_other++;
		} else {
			print_error(
				"%s: <interface> %u: expected a refusal with '%s', got %d '%s'\n",
				file, index, why, ret, err);
			c->bad++;
		}
	} else {
		if (ret == -EINVAL && strstr(err, "not supported by kvnet") &&
		    strstr(err, (const char *)type) && strstr(err, "type='network'")) {
			c->refused_type++;
		} else {
			print_error("%s: <interface type='%s'> %u: expected a refusal naming the "
				    "type, got %d '%s'\n",
				    file, type ? (const char *)type : "", index, ret, err);
			c->bad++;
		}
	}
	iface_def_free(def);
	xmlFree(type);
	xmlBufferFree(xb);
}

static void conformance_iface_walk(const char *file, xmlNodePtr n, unsigned int *index,
				   struct conformance_iface_counts *c)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!xmlStrcmp(n->name, (const xmlChar *)"interface")) {
			conformance_iface(file, (*index)++, n, c);
			continue;
		}
		conformance_iface_walk(file, n->children, index, c);
	}
}

static void test_domain_interfaces(void **state)
{
	struct conformance_iface_counts c = { 0 };
	char dir[4096], path[8192];
	char **files;
	size_t n, i;

	(void)state;
	CONFORMANCE_SKIP_IF_ABSENT();
	snprintf(dir, sizeof(dir), "%s/tests/qemuxmlconfdata", conformance_corpus());
	files = conformance_list(dir, &n);
	for (i = 0; i < n; i++) {
		unsigned int index = 0;
		xmlDocPtr doc;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
		assert_non_null(doc);
		conformance_iface_walk(files[i], xmlDocGetRootElement(doc), &index, &c);
		xmlFreeDoc(doc);
	}
	conformance_list_free(files, n);
	print_message("qemuxmlconfdata <interface>: %u in %zu domains; network/bridge parsed "
		      "%u, refused %u (unsupported virtualport or VID); other types refused %u\n",
		      c.total, n, c.parsed, c.refused_other, c.refused_type);
	assert_int_equal(c.refused_other, CONFORMANCE_N_IFACE_REFUSED);
	assert_true(c.parsed > 0);
	assert_int_equal(c.bad, 0);
}

/* definitions written here, without a UUID and with every feature kvnet formats */
static void test_schema_built(void **state)
{
	static const char network[] =
		"<network trustGuestRxFilters='yes'>\n"
		"  <name>kv-all</name>\n"
		"  <title>every feature</title>\n"
		"  <description>a network kvnet runs</description>\n"
		"  <forward mode='nat' dev='eth0'>\n"
		"    <nat ipv6='yes'><address start='198.51.100.1' end='198.51.100.9'/>\n"
		"      <port start='1024' end='65535'/></nat>\n"
		"  </forward>\n"
		"  <bridge name='kvbr0' stp='off' delay='2' "
		"macTableManager='libvirt'/>\n"
		"  <mtu size='9000'/>\n"
		"  <mac address='52:54:00:AA:BB:CC'/>\n"
		"  <domain name='kv.example' localOnly='yes'/>\n"
		"  <dns forwardPlainNames='no'>\n"
		"    <forwarder addr='192.0.2.53'/><forwarder domain='lab.example'/>\n"
		"    <txt name='info' value='kvnet'/>\n"
		"    <srv service='ldap' protocol='tcp' domain='kv.example' target='dir' "
		"port='389' "
		"priority='1' weight='5'/>\n"
		"    <host ip='10.9.0.5'><hostname>gw</hostname><hostname>gw2</hostname></host>\n"
		"  </dns>\n"
		"  <vlan trunk='yes'><tag id='10' nativeMode='untagged'/><tag id='20'/></vlan>\n"
		"  <bandwidth><inbound average='1000' peak='2000' burst='512'/></bandwidth>\n"
		"  <port isolated='yes'/>\n"
		"  <ip address='10.9.0.1' netmask='255.255.255.0' localPtr='yes'>\n"
		"    <tftp root='/srv/tftp'/>\n"
		"    <dhcp><range start='10.9.0.100' end='10.9.0.199'>"
		"<lease expiry='2' unit='hours'/></range>\n"
		"      <host mac='52:54:00:00:00:05' name='vm5' ip='10.9.0.5'/>\n"
		"      <bootp file='pxelinux.0'/></dhcp>\n"
		"  </ip>\n"
		"  <ip family='ipv6' address='fd00:9::1' prefix='64'/>\n"
		"  <route address='10.10.0.0' prefix='16' gateway='10.9.0.254' metric='5'/>\n"
		"  <portgroup name='web' default='yes' trustGuestRxFilters='no'>\n"
		"    <vlan><tag id='30'/></vlan>\n"
		"  </portgroup>\n"
		"</network>\n";
	static const char netport[] =
		"<networkport>\n"
		"  "
		"<owner><name>vm1</name><uuid>3f7e0000-1111-4222-8333-444455556666</uuid></owner>\n"
		"  <group>web</group>\n"
		"  <mac address='52:54:00:12:34:56'/>\n"
		"  <virtualport type='openvswitch'><parameters profileid='web'/></virtualport>\n"
		"  <bandwidth><inbound average='100' floor='50'/><outbound average='100'/>"
		"</bandwidth>\n"
		"  <vlan trunk='yes'><tag id='1' nativeMode='tagged'/><tag id='4094'/></vlan>\n"
		"  <port isolated='no'/>\n"
		"  <rxfilters trustGuest='no'/>\n"
		"  <plug type='bridge' bridge='kvbr0' macTableManager='kernel'/>\n"
		"</networkport>\n";
	struct netport_def *port = NULL, built = { 0 };
	struct conf_vlan_tag tag = { .id = 42 };
	struct network_def *net = NULL;
	char err[512], *s = NULL;

	(void)state;
	CONFORMANCE_SKIP_IF_ABSENT();
	conformance_schema_load(&schema_network, "network.rng");
	conformance_schema_load(&schema_networkport, "networkport.rng");

	if (network_xml_parse(network, strlen(network), &net, err, sizeof(err)))
		fail_msg("network: %s", err);
	assert_false(net->uuid_given);
	assert_int_equal(network_xml_format(net, 0, &s), 0);
	assert_true(conformance_valid(&schema_network, "built network", s));
	free(s);
	network_def_free(net);

	if (netport_xml_parse(netport, strlen(netport), &port, err, sizeof(err)))
		fail_msg("networkport: %s", err);
	assert_false(port->uuid_given);
	assert_int_equal(netport_xml_format(port, &s), 0);
	assert_true(conformance_valid(&schema_networkport, "built networkport", s));
	free(s);
	netport_def_free(port);

	/* a port the daemon would fill in itself, field by field */
	assert_int_equal(conf_uuid_generate(built.uuid), 0);
	assert_int_equal(conf_uuid_generate(built.owner_uuid), 0);
	built.owner_name = "vm2";
	assert_int_equal(conf_mac_generate(built.mac), 0);
	built.vlan = (struct conf_vlan){ .present = true, .tags = &tag, .n_tags = 1 };
	built.isolated = CONF_TRI_YES;
	built.plug = NETPORT_PLUG_NETWORK;
	built.plug_bridge = "kvbr1";
	assert_int_equal(netport_xml_format(&built, &s), 0);
	assert_true(conformance_valid(&schema_networkport, "networkport built in C", s));
	free(s);
}

static int conformance_teardown(void **state)
{
	(void)state;
	conformance_schema_free(&schema_network);
	conformance_schema_free(&schema_networkport);
	xmlCleanupParser();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_networkxml2xml), cmocka_unit_test(test_networkxml2xmlupdate),
		cmocka_unit_test(test_netportxml2xml), cmocka_unit_test(test_domain_interfaces),
		cmocka_unit_test(test_schema_built),
	};

	return cmocka_run_group_tests(tests, NULL, conformance_teardown);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_network_update.c - fuzz target: net-update elements applied to a fixed network */
/*
 * Input: byte 0 picks the section, byte 1 the command, byte 2 the parent index (0: -1,
 * else byte - 1); the rest is the element. The base network is never changed, and an
 * update that succeeds must format to text kvnet parses back and formats the same way.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf/network_update.h"
#include "conf/network_xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fuzz_base[] =
	"<network>\n"
	"  <name>fuzz</name>\n"
	"  <uuid>81ff0d90-c91e-6742-64da-4a736edb9a9b</uuid>\n"
	"  <forward mode='nat' dev='eth0'/>\n"
	"  <bridge name='virbr9'/>\n"
	"  <dns>\n"
	"    <txt name='info' value='v'/>\n"
	"    <srv service='ldap' protocol='tcp' domain='x' target='dir' port='389'/>\n"
	"    <host ip='192.168.50.2'><hostname>a</hostname><hostname>b</hostname></host>\n"
	"  </dns>\n"
	"  <ip address='192.168.50.1' prefix='24'>\n"
	"    <dhcp>\n"
	"      <range start='192.168.50.100' end='192.168.50.199'/>\n"
	"      <host mac='52:54:00:00:00:01' name='vm1' ip='192.168.50.11'/>\n"
	"    </dhcp>\n"
	"  </ip>\n"
	"  <ip family='ipv6' address='fd00::1' prefix='64'>\n"
	"    <dhcp><range start='fd00::100' end='fd00::1ff'/></dhcp>\n"
	"  </ip>\n"
	"  <portgroup name='web' default='yes'><vlan><tag id='10'/></vlan></portgroup>\n"
	"</network>\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct network_def *base;
	static char *base_text;
	struct network_def *out = NULL, *again = NULL;
	char err[512], *s = NULL, *s2 = NULL, *check = NULL;

	if (!base) {
		if (network_xml_parse(fuzz_base, strlen(fuzz_base), &base, err, sizeof(err)) ||
		    network_xml_format(base, 0, &base_text))
			abort();
	}
	if (size < 3)
		return 0;
	if (network_update(base, data[1] % NETWORK_UPDATE_CMD_LAST, data[0] % NETWORK_SECTION_LAST,
			   (int)data[2] - 1, (const char *)data + 3, size - 3, &out, err,
			   sizeof(err)))
		goto out_check;
	if (network_xml_format(out, 0, &s))
		goto out_free;
	if (network_xml_parse(s, strlen(s), &again, err, sizeof(err)))
		abort();
	if (network_xml_format(again, 0, &s2))
		goto out_free;
	if (strcmp(s, s2))
		abort();
out_free:
	free(s2);
	free(s);
	network_def_free(again);
	network_def_free(out);
out_check:
	/* the base is never changed, whatever happened */
	if (!network_xml_format(base, 0, &check)) {
		if (strcmp(check, base_text))
			abort();
		free(check);
	}
	return 0;
}

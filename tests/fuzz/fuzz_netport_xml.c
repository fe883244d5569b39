/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_netport_xml.c - fuzz target: parse <networkport> XML, format it, and re-parse the output */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf/netport_xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct netport_def *def = NULL, *again = NULL;
	char err[512], *s = NULL, *s2 = NULL;

	if (netport_xml_parse((const char *)data, size, &def, err, sizeof(err)))
		return 0;
	if (netport_xml_format(def, &s))
		goto out_def;
	/* what kvnet writes it must read back, and write the same way (UUID included) */
	if (netport_xml_parse(s, strlen(s), &again, err, sizeof(err)))
		abort();
	if (netport_xml_format(again, &s2))
		goto out_again;
	if (strcmp(s, s2))
		abort();
	free(s2);
out_again:
	netport_def_free(again);
	free(s);
out_def:
	netport_def_free(def);
	return 0;
}

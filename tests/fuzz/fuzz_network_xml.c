/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_network_xml.c - fuzz target: parse network XML, format it, and re-parse the output */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf/network_xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct network_def *def = NULL, *again = NULL;
	char err[512], *s = NULL, *s2 = NULL;

	if (network_xml_parse((const char *)data, size, &def, err, sizeof(err)))
		return 0;
	if (network_xml_format(def, 0, &s))
		goto out_def;
	/* what kvnet writes it must read back, and write the same way (UUID included) */
	if (network_xml_parse(s, strlen(s), &again, err, sizeof(err)))
		abort();
	if (network_xml_format(again, 0, &s2))
		goto out_again;
	if (strcmp(s, s2))
		abort();
	free(s2);
out_again:
	network_def_free(again);
	free(s);
out_def:
	network_def_free(def);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fuzz_ctl.c - libFuzzer target: hostile control requests, one per line, against the daemon
 *
 * Ports come from stub back-ends, so nothing on the machine is touched.
 * Every line must get a JSON answer (or none, for a notification), and the
 * daemon's state is dropped after each input so runs stay independent.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/rpc/ctl_server.h"
#include "daemon/switch/datapath.h"
#include "daemon/network/network.h"
#include "daemon/switch/switch.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int started;
	const char *p = (const char *)data, *end = p + size;

	if (!started) {
		log_set_level(LOG_LVL_ERROR);
		if (datapath_start())
			abort();
		started = 1;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *answer = ctl_handle_line(p, len);

		if (answer) {
			json_t *j = json_loads(answer, 0, NULL);

			/* an answer is always a JSON-RPC object with a result or an error */
			if (!j || !json_is_object(j) ||
			    (!json_object_get(j, "result") == !json_object_get(j, "error")))
				abort();
			json_decref(j);
			free(answer);
		}
		p += len + 1;
	}
	datapath_lock();
	network_shutdown();
	switch_del_all();
	datapath_unlock();
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conf_bandwidth.h - libvirt's <bandwidth> (quality of service) as a plain definition
 *
 * Units are libvirt's, which are tc's: average, peak and floor in kilobytes per second
 * (tc's "kbps": 1000 bytes per second), burst in kilobytes (tc's "kb": 1024 bytes). The
 * directions are the guest's: inbound is what the guest receives, outbound what it sends.
 */
#ifndef KVNET_CONF_BANDWIDTH_H
#define KVNET_CONF_BANDWIDTH_H

#include <stdbool.h>
#include <stdint.h>

#include "util/strbuf.h"

/* the largest rate, kilobytes per second, and the largest burst, kilobytes (tc keeps a
 * burst in bytes in 32 bits) */
#define CONF_BANDWIDTH_RATE_MAX 4294967295UL
#define CONF_BANDWIDTH_BURST_MAX (4294967295UL / 1024)

/**
 * struct conf_rate - an <inbound> or <outbound>
 * @present:	the element was given
 * @average:	kilobytes per second; 0 only when absent (an inbound with a floor alone)
 * @peak:	kilobytes per second, 0 when absent
 * @burst:	kilobytes, 0 when absent
 * @floor:	kilobytes per second, 0 when absent (inbound only)
 */
struct conf_rate {
	bool present;
	unsigned long average;
	unsigned long peak;
	unsigned long burst;
	unsigned long floor;
};

/**
 * struct conf_bandwidth - a <bandwidth>
 * @in:		<inbound>: to the guest
 * @out:	<outbound>: from the guest
 * @class_id:	a <networkport>'s classID (libvirt's tc class for a floor), 0 when absent
 */
struct conf_bandwidth {
	struct conf_rate in;
	struct conf_rate out;
	unsigned long class_id;
};

/**
 * conf_bandwidth_dup() - copy @from (may be NULL) into *@out (NULL for NULL)
 * Return: 0 or -ENOMEM
 */
int conf_bandwidth_dup(const struct conf_bandwidth *from, struct conf_bandwidth **out);

/**
 * conf_bandwidth_xml() - append @bw (nothing if NULL) to @sb as libvirt formats it, each line
 * indented by @indent spaces and the children by two more
 */
void conf_bandwidth_xml(struct strbuf *sb, const struct conf_bandwidth *bw, unsigned int indent);

/** conf_bandwidth_free() - free @b (may be NULL) */
void conf_bandwidth_free(struct conf_bandwidth *b);

/** conf_rate_bytes() - a rate in kilobytes per second as bytes per second */
static inline uint64_t conf_rate_bytes(unsigned long kbps)
{
	return (uint64_t)kbps * 1000;
}

/**
 * conf_rate_burst_bytes() - the bucket of @r in bytes: its burst, or as libvirt gives tc's
 * police without one, as many kilobytes as its average rate (one second's worth)
 */
static inline uint64_t conf_rate_burst_bytes(const struct conf_rate *r)
{
	unsigned long kb = r->burst ? r->burst : r->average;

	if (kb > CONF_BANDWIDTH_BURST_MAX)
		kb = CONF_BANDWIDTH_BURST_MAX;
	return (uint64_t)kb * 1024;
}

#endif /* KVNET_CONF_BANDWIDTH_H */

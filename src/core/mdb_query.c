// SPDX-License-Identifier: GPL-2.0-or-later
/* mdb_query.c - the general queries of a bridge's own querier (see mdb_build_query())
 *
 * As the kernel bridge's querier with its defaults: IGMPv2 (RFC 2236) from 0.0.0.0, as
 * multicast_query_use_ifaddr off does, and MLDv1 (RFC 2710) from the link-local address
 * of the bridge's MAC, which hosts require of an MLD query. Both carry the Router Alert
 * option and ask for an answer within 10 s (the query response interval).
 */

#include <string.h>

#include "core/eth.h"
#include "core/mdb.h"

#define QUERY_RESPONSE_DS 100		    /* IGMP max response time, tenths of a second */
#define QUERY_RESPONSE_MS 10000u	    /* MLD maximum response delay */
#define QUERY4_LEN (ETH_HLEN + 24 + 8)	    /* IPv4 header with Router Alert, IGMP */
#define QUERY6_LEN (ETH_HLEN + 40 + 8 + 24) /* IPv6, hop-by-hop with Router Alert, MLD */

static void query_eth(uint8_t *p, const uint8_t *dst, const uint8_t *mac, uint16_t type)
{
	memcpy(p, dst, ETH_ALEN);
	memcpy(p + ETH_ALEN, mac, ETH_ALEN);
	eth_put_be16(p + 2 * ETH_ALEN, type);
}

static void query_igmp(uint8_t *p, const uint8_t *mac)
{
	static const uint8_t all_hosts[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	uint8_t *ip = p + ETH_HLEN, *igmp = ip + 24;

	query_eth(p, all_hosts, mac, 0x0800);
	ip[0] = 0x46; /* version 4, 6 words: the Router Alert option */
	ip[1] = 0xc0; /* internetwork control */
	eth_put_be16(ip + 2, 24 + 8);
	ip[8] = 1; /* TTL */
	ip[9] = 2; /* IGMP */
	/* source 0.0.0.0; destination 224.0.0.1 */
	ip[16] = 224;
	ip[19] = 1;
	ip[20] = 0x94; /* Router Alert, RFC 2113 */
	ip[21] = 4;
	eth_put_be16(ip + 10, mdb_csum_fold(mdb_csum_add(ip, 24, 0)));
	igmp[0] = 0x11;
	igmp[1] = QUERY_RESPONSE_DS;
	eth_put_be16(igmp + 2, mdb_csum_fold(mdb_csum_add(igmp, 8, 0)));
}

static void query_mld(uint8_t *p, const uint8_t *mac)
{
	static const uint8_t all_nodes[ETH_ALEN] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
	uint8_t *ip = p + ETH_HLEN, *hbh = ip + 40, *mld = hbh + 8;
	uint32_t sum;

	query_eth(p, all_nodes, mac, 0x86dd);
	ip[0] = 0x60;
	eth_put_be16(ip + 4, 8 + 24);
	ip[6] = 0; /* hop-by-hop options */
	ip[7] = 1; /* hop limit */
	/* fe80::/64 with the EUI-64 of @mac */
	ip[8] = 0xfe;
	ip[9] = 0x80;
	ip[16] = mac[0] ^ 0x02;
	ip[17] = mac[1];
	ip[18] = mac[2];
	ip[19] = 0xff;
	ip[20] = 0xfe;
	memcpy(ip + 21, mac + 3, 3);
	ip[24] = 0xff; /* ff02::1 */
	ip[25] = 0x02;
	ip[39] = 1;
	hbh[0] = 58; /* ICMPv6 */
	hbh[2] = 5;  /* Router Alert, RFC 2711: value 0, MLD */
	hbh[3] = 2;
	hbh[6] = 1; /* PadN of 0 bytes */
	mld[0] = 130;
	eth_put_be16(mld + 4, QUERY_RESPONSE_MS);
	sum = mdb_csum_add(ip + 8, 32, 24 + 58);
	eth_put_be16(mld + 2, mdb_csum_fold(mdb_csum_add(mld, 24, sum)));
}

int mdb_build_query(struct frame *f, enum mdb_family fam, const uint8_t mac[6])
{
	uint32_t len = fam == MDB_IPV4 ? QUERY4_LEN : QUERY6_LEN;

	if ((uint32_t)(f->data - f->head) + len > f->size)
		return -1;
	memset(f->data, 0, len);
	memset(&f->vnet, 0, sizeof(f->vnet));
	f->len = len;
	if (fam == MDB_IPV4)
		query_igmp(f->data, mac);
	else
		query_mld(f->data, mac);
	return 0;
}

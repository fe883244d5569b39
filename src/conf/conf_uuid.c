/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conf_uuid.c - UUIDs and MAC addresses as libvirt writes them */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <sys/random.h>

#include "conf/conf_uuid.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int conf_uuid_parse(const char *s, unsigned char uuid[CONF_UUID_LEN])
{
	unsigned char u[CONF_UUID_LEN];

	while (*s == ' ')
		s++;
	for (int i = 0; i < CONF_UUID_LEN; i++) {
		int hi, lo;

		if (i && *s == '-')
			s++;
		hi = hexval((unsigned char)s[0]);
		lo = hi < 0 ? -1 : hexval((unsigned char)s[1]);
		if (lo < 0)
			return -EINVAL;
		u[i] = (unsigned char)(hi << 4 | lo);
		s += 2;
	}
	while (*s == ' ')
		s++;
	if (*s)
		return -EINVAL;
	for (int i = 0; i < CONF_UUID_LEN; i++)
		uuid[i] = u[i];
	return 0;
}

void conf_uuid_format(const unsigned char uuid[CONF_UUID_LEN], char out[CONF_UUID_STRLEN])
{
	const unsigned char *u = uuid;

	snprintf(out, CONF_UUID_STRLEN,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1],
		 u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
		 u[15]);
}

static int conf_random(unsigned char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = getrandom(buf + got, len - got, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)r;
	}
	return 0;
}

int conf_uuid_generate(unsigned char uuid[CONF_UUID_LEN])
{
	int ret = conf_random(uuid, CONF_UUID_LEN);

	if (ret)
		return ret;
	uuid[6] = (uuid[6] & 0x0f) | 0x40; /* version 4: random */
	uuid[8] = (uuid[8] & 0x3f) | 0x80; /* RFC 4122 variant */
	return 0;
}

int conf_mac_generate(char out[CONF_MAC_STRLEN])
{
	unsigned char b[3];
	int ret = conf_random(b, sizeof(b));

	if (ret)
		return ret;
	snprintf(out, CONF_MAC_STRLEN, "52:54:00:%02x:%02x:%02x", b[0], b[1], b[2]);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conf_uuid.h - UUIDs and MAC addresses as libvirt writes them */
#ifndef KVNET_CONF_UUID_H
#define KVNET_CONF_UUID_H

#define CONF_UUID_LEN 16
/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" and its NUL */
#define CONF_UUID_STRLEN 37
/* "xx:xx:xx:xx:xx:xx" and its NUL */
#define CONF_MAC_STRLEN 18

/**
 * conf_uuid_parse() - read a UUID, with or without dashes between byte pairs (as libvirt
 * accepts it); leading and trailing spaces are allowed
 * Return: 0, or -EINVAL
 */
int conf_uuid_parse(const char *s, unsigned char uuid[CONF_UUID_LEN]);

/** conf_uuid_format() - write @uuid in the canonical lower-case dashed form */
void conf_uuid_format(const unsigned char uuid[CONF_UUID_LEN], char out[CONF_UUID_STRLEN]);

/** conf_uuid_generate() - a random (version 4) UUID. Return: 0, or a negative errno */
int conf_uuid_generate(unsigned char uuid[CONF_UUID_LEN]);

/**
 * conf_mac_generate() - a random MAC under QEMU's and libvirt's prefix 52:54:00
 * Return: 0, or a negative errno
 */
int conf_mac_generate(char out[CONF_MAC_STRLEN]);

#endif /* KVNET_CONF_UUID_H */

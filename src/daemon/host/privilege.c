/* SPDX-License-Identifier: GPL-2.0-or-later */
/* privilege.c - whether kvnetd holds CAP_NET_ADMIN, what it refuses without it, whose it is */

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "daemon/host/privilege.h"

#define KV_PRIV_ADVICE "needs CAP_NET_ADMIN (kvnetd runs without it: use stream or dgram ports)"

static int kv_priv = -1; /* -1 not read yet, else 0 or 1 */
static gid_t kv_group = (gid_t)-1;

/* Return: whether CAP_NET_ADMIN is in the effective set; false if it cannot be read */
static bool kv_priv_read(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = { 0 };

	if (syscall(SYS_capget, &hdr, data))
		return false;
	return data[CAP_TO_INDEX(CAP_NET_ADMIN)].effective & CAP_TO_MASK(CAP_NET_ADMIN);
}

void kv_privilege_init(void)
{
	kv_priv = kv_priv_read();
}

bool kv_privileged(void)
{
	if (kv_priv < 0)
		kv_privilege_init();
	return kv_priv;
}

void kv_privilege_set(bool privileged)
{
	kv_priv = privileged;
}

/* "FEATURE needs CAP_NET_ADMIN (...)" from @fmt and @ap into @buf */
static void kv_priv_msg(char *buf, size_t len, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void kv_priv_msg(char *buf, size_t len, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, len, fmt, ap);

	if (n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " %s", KV_PRIV_ADVICE);
}

int kv_priv_refuse(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kv_priv_msg(err, errlen, fmt, ap);
	va_end(ap);
	return -EPERM;
}

int kv_group_parse(const char *s, gid_t *gid, char *err, size_t errlen)
{
	struct group *g;
	char *end;
	unsigned long n;

	if (*s >= '0' && *s <= '9') {
		errno = 0;
		n = strtoul(s, &end, 10);
		/* (gid_t)-1 means "no group" to chown() and here */
		if (*end || errno || n >= (gid_t)-1) {
			snprintf(err, errlen, "group '%s' is not a GID (0 to %u) nor a name", s,
				 (unsigned)((gid_t)-1 - 1));
			return -EINVAL;
		}
		*gid = (gid_t)n;
		return 0;
	}
	g = getgrnam(s);
	if (!g) {
		snprintf(err, errlen, "group '%s' does not exist (give a name or a numeric GID)",
			 s);
		return -ENOENT;
	}
	*gid = g->gr_gid;
	return 0;
}

gid_t kv_socket_group(void)
{
	return kv_group;
}

void kv_socket_group_set(gid_t gid)
{
	kv_group = gid;
}

int kv_user_dir(const char *env, const char *home_rel, char *buf, size_t len, char *err,
		size_t errlen)
{
	const char *base = getenv(env), *home = getenv("HOME");
	int n;

	if (base && *base == '/')
		n = snprintf(buf, len, "%s/kvnet", base);
	else if (home_rel && home && *home == '/')
		n = snprintf(buf, len, "%s/%s/kvnet", home, home_rel);
	else {
		snprintf(err, errlen, "$%s is not set%s", env, home_rel ? ", nor $HOME" : "");
		return -ENOENT;
	}
	if (n < 0 || (size_t)n >= len) {
		snprintf(err, errlen, "the path from $%s is too long", env);
		return -ENAMETOOLONG;
	}
	return 0;
}

bool kv_dir_reachable(const char *path, gid_t gid)
{
	char buf[PATH_MAX];
	struct stat st;
	char *slash;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return false;
	for (;;) {
		if (stat(buf, &st))
			return false;
		/* the kernel checks a member of the file's group against the group bits only */
		if (!(st.st_mode & (gid != (gid_t)-1 && st.st_gid == gid ? S_IXGRP : S_IXOTH)))
			return false;
		slash = strrchr(buf, '/');
		if (!slash || !strcmp(buf, "/"))
			return true;
		slash[slash == buf] = '\0'; /* "/a" becomes "/", "/a/b" becomes "/a" */
	}
}

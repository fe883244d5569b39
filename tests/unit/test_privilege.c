/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_privilege.c - kvnetd without CAP_NET_ADMIN: what it refuses and with which message, how
 * it reads --group and finds its default dirs; the control side with stub back-ends
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl/protocol.h"
#include "daemon/rpc/ctl_server.h"
#include "daemon/switch/datapath.h"
#include "daemon/network/net_store.h"
#include "daemon/network/network.h"
#include "daemon/host/privilege.h"
#include "daemon/switch/switch.h"

#define ADVICE "needs CAP_NET_ADMIN (kvnetd runs without it: use stream or dgram ports)"

static char tmp_dir[64];

/* Ask @method with @params (JSON text). Return: the error code, 0 on success; @msg its message */
static int answer(const char *method, const char *params, char *msg, size_t len)
{
	char line[2048], *out;
	json_t *ans, *e;
	int code;

	snprintf(line, sizeof(line),
		 "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"%s\",\"params\":%s}", method, params);
	out = ctl_handle_line(line, strlen(line));
	assert_non_null(out);
	ans = json_loads(out, 0, NULL);
	free(out);
	assert_non_null(ans);
	e = json_object_get(ans, "error");
	snprintf(msg, len, "%s", e ? json_string_value(json_object_get(e, "message")) : "");
	code = e ? (int)json_integer_value(json_object_get(e, "code")) : 0;
	json_decref(ans);
	return code;
}

static void refusal_message(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(kv_priv_refuse(err, sizeof(err), "tap port '%s'", "vnet0"), -EPERM);
	assert_string_equal(err, "tap port 'vnet0' " ADVICE);
	/* cut, never overrun */
	assert_int_equal(kv_priv_refuse(err, 12, "tap port '%s'", "vnet0"), -EPERM);
	assert_string_equal(err, "tap port 'v");
}

static void group_by_name_or_number(void **state)
{
	char err[256];
	gid_t gid = 5;

	(void)state;
	assert_int_equal(kv_group_parse("61080", &gid, err, sizeof(err)), 0);
	assert_int_equal(gid, 61080);
	assert_int_equal(kv_group_parse("0", &gid, err, sizeof(err)), 0);
	assert_int_equal(gid, 0);
	assert_int_equal(kv_group_parse("root", &gid, err, sizeof(err)), 0);
	assert_int_equal(gid, 0);
	assert_int_equal(kv_group_parse("4294967295", &gid, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "group '4294967295' is not a GID"));
	assert_int_equal(kv_group_parse("12x", &gid, err, sizeof(err)), -EINVAL);
	assert_int_equal(kv_group_parse("no-such-group-kv80", &gid, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "group 'no-such-group-kv80' does not exist (give a name or a "
				 "numeric GID)");
	assert_int_equal(gid, 0);
}

static void user_dirs(void **state)
{
	char buf[128], err[128];

	(void)state;
	setenv("XDG_RUNTIME_DIR", "/run/user/61080", 1);
	assert_int_equal(kv_user_dir("XDG_RUNTIME_DIR", NULL, buf, sizeof(buf), err, sizeof(err)),
			 0);
	assert_string_equal(buf, "/run/user/61080/kvnet");
	unsetenv("XDG_RUNTIME_DIR");
	assert_int_equal(kv_user_dir("XDG_RUNTIME_DIR", NULL, buf, sizeof(buf), err, sizeof(err)),
			 -ENOENT);
	assert_string_equal(err, "$XDG_RUNTIME_DIR is not set");

	setenv("HOME", "/home/u", 1);
	unsetenv("XDG_DATA_HOME");
	assert_int_equal(kv_user_dir("XDG_DATA_HOME", ".local/share", buf, sizeof(buf), err,
				     sizeof(err)),
			 0);
	assert_string_equal(buf, "/home/u/.local/share/kvnet");
	/* a relative XDG path is to be ignored (XDG Base Directory specification) */
	setenv("XDG_DATA_HOME", "data", 1);
	assert_int_equal(kv_user_dir("XDG_DATA_HOME", ".local/share", buf, sizeof(buf), err,
				     sizeof(err)),
			 0);
	assert_string_equal(buf, "/home/u/.local/share/kvnet");
	setenv("XDG_DATA_HOME", "/d", 1);
	assert_int_equal(kv_user_dir("XDG_DATA_HOME", ".local/share", buf, sizeof(buf), err,
				     sizeof(err)),
			 0);
	assert_string_equal(buf, "/d/kvnet");
	unsetenv("XDG_DATA_HOME");
	unsetenv("HOME");
	assert_int_equal(kv_user_dir("XDG_DATA_HOME", ".local/share", buf, sizeof(buf), err,
				     sizeof(err)),
			 -ENOENT);
	assert_string_equal(err, "$XDG_DATA_HOME is not set, nor $HOME");
	setenv("XDG_DATA_HOME", "/d", 1);
	assert_int_equal(kv_user_dir("XDG_DATA_HOME", NULL, buf, 8, err, sizeof(err)),
			 -ENAMETOOLONG);
	unsetenv("XDG_DATA_HOME");
}

static void dir_reachable(void **state)
{
	char sub[128];

	(void)state;
	snprintf(sub, sizeof(sub), "%s/run", tmp_dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(chmod(tmp_dir, 0700), 0);
	assert_false(kv_dir_reachable(sub, (gid_t)-1));
	assert_int_equal(chmod(tmp_dir, 0711), 0);
	assert_true(kv_dir_reachable(sub, (gid_t)-1));
	assert_false(kv_dir_reachable("/no/such/dir", (gid_t)-1));
	if (geteuid()) {
		skip(); /* a group of one's own is needed below: root gives it */
		return;
	}
	/* members of the dir's group get its group bits, not the others' */
	assert_int_equal(chown(tmp_dir, (uid_t)-1, 61080), 0);
	assert_int_equal(chmod(tmp_dir, 0701), 0);
	assert_false(kv_dir_reachable(sub, 61080));
	assert_true(kv_dir_reachable(sub, 61081));
	assert_int_equal(chmod(tmp_dir, 0710), 0);
	assert_true(kv_dir_reachable(sub, 61080));
	assert_false(kv_dir_reachable(sub, (gid_t)-1));
	assert_int_equal(chmod(tmp_dir, 0700), 0);
}

/* networks an unprivileged kvnetd defines but does not start, and why */
static const struct {
	const char *xml, *bridge, *why;
} refused_nets[] = {
	{ "<network><name>n</name><forward mode='nat'/><bridge name='kvn9'/>"
	  "<ip address='10.9.0.1' prefix='24'/></network>",
	  "kvn9", "network 'n': its host port (a tap with the <ip> address) " ADVICE },
	{ "<network><name>f</name><forward mode='nat'/><bridge name='kvf9'/></network>", "kvf9",
	  "network 'f': its firewall rules (forward mode 'nat') " ADVICE },
	{ "<network><name>u</name><forward mode='bridge'><interface dev='eth9'/></forward>"
	  "<bridge name='kvu9'/></network>",
	  "kvu9", "network 'u': its uplink (forward dev 'eth9', an AF_PACKET port) " ADVICE },
};

/* Define network @xml (a name of one letter) and start it. Return: net.start's error code */
static int define_start(const char *xml, char *msg, size_t len)
{
	char params[512];
	json_t *x = json_pack("{s:s}", "xml", xml);
	char *text = json_dumps(x, JSON_COMPACT);
	const char *name = strstr(xml, "<name>") + 6;

	json_decref(x);
	assert_int_equal(answer("net.define", text, msg, len), 0);
	free(text);
	snprintf(params, sizeof(params), "{\"network\":\"%c\"}", *name);
	return answer("net.start", params, msg, len);
}

/* what an unprivileged kvnetd answers: tap, dev, host ports, firewalls, uplinks refused, alone */
static void refused_on_the_control_socket(void **state)
{
	char msg[256];

	(void)state;
	kv_privilege_set(false);
	assert_int_equal(answer("bridge.add", "{\"name\":\"kvb9\"}", msg, sizeof(msg)), 0);
	/* no host netdev, and the bridge is not refused for it */
	assert_null(switch_find("kvb9")->host);
	assert_null(switch_find("kvb9")->ports);
	assert_int_equal(answer("port.add", "{\"bridge\":\"kvb9\",\"name\":\"vnet9\"}", msg,
				sizeof(msg)),
			 CTL_ERR_PERM);
	assert_string_equal(msg, "tap port 'vnet9' " ADVICE);
	assert_int_equal(answer("port.add",
				"{\"bridge\":\"kvb9\",\"name\":\"eth9\",\"type\":\"dev\"}", msg,
				sizeof(msg)),
			 CTL_ERR_PERM);
	assert_string_equal(msg, "port 'eth9' (an existing interface, by AF_PACKET) " ADVICE);
	assert_int_equal(answer("bridge.del", "{\"name\":\"kvb9\"}", msg, sizeof(msg)), 0);

	for (size_t i = 0; i < sizeof(refused_nets) / sizeof(refused_nets[0]); i++) {
		assert_int_equal(define_start(refused_nets[i].xml, msg, sizeof(msg)), CTL_ERR_PERM);
		assert_string_equal(msg, refused_nets[i].why);
		assert_null(switch_find(refused_nets[i].bridge));
	}

	assert_int_equal(define_start("<network><name>l</name><bridge name='kvl9'/></network>", msg,
				      sizeof(msg)),
			 0);
	assert_non_null(switch_find("kvl9"));
	assert_null(switch_find("kvl9")->host);
	assert_int_equal(answer("domain.attach",
				"{\"domain\":\"d\",\"backend\":\"tap\",\"xml\":\"<interface "
				"type='network'><source network='l'/></interface>\"}",
				msg, sizeof(msg)),
			 CTL_ERR_PERM);
	assert_non_null(strstr(msg, ADVICE));

	assert_int_equal(answer("net.destroy", "{\"network\":\"l\"}", msg, sizeof(msg)), 0);
	for (const char *n = "nful"; *n; n++) {
		char params[32];

		snprintf(params, sizeof(params), "{\"network\":\"%c\"}", *n);
		assert_int_equal(answer("net.undefine", params, msg, sizeof(msg)), 0);
	}
	kv_privilege_set(true);
}

static int setup(void **state)
{
	char err[256], state_dir[128];

	(void)state;
	snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/kvnet-test-priv.XXXXXX");
	if (!mkdtemp(tmp_dir))
		return -1;
	snprintf(state_dir, sizeof(state_dir), "%s/state", tmp_dir);
	if (mkdir(state_dir, 0700) || net_store_open(state_dir, err, sizeof(err)))
		return -1;
	return datapath_start();
}

/* the test left no network and no bridge: the store, then its files */
static int teardown(void **state)
{
	char rm[160];

	(void)state;
	datapath_stop();
	net_store_close();
	snprintf(rm, sizeof(rm), "rm -rf -- '%s'", tmp_dir);
	return system(rm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refusal_message),
		cmocka_unit_test(group_by_name_or_number),
		cmocka_unit_test(user_dirs),
		cmocka_unit_test(dir_reachable),
		cmocka_unit_test(refused_on_the_control_socket),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

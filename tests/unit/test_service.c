/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_service.c - kvnetd as a service: the metrics' text and address, the journal's log
 * priorities, systemd's notification datagrams */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include "daemon/host/svc_notify.h"
#include "daemon/metrics/metrics.h"
#include "daemon/metrics/metrics_prom.h"
#include "util/log.h"

/* a snapshot as metrics.c gathers it: the daemon's answers, trimmed to what is rendered */
static const char *const snap_json =
	"{\"stats\": {\"bridges\": [{\"name\": \"br0\", \"fdb\": {\"size\": 3, \"static\": 1,"
	" \"learned_now\": 2, \"learned\": 5, \"moved\": 1, \"refused_bridge_limit\": 0,"
	" \"refused_port_limit\": 4, \"aged\": 3}}],"
	" \"ports\": [{\"name\": \"p\\\"1\", \"bridge\": \"br0\", \"rx_frames\": 10,"
	" \"rx_bytes\": 640, \"tx_frames\": 7, \"tx_bytes\": 448, \"rx_control\": 0,"
	" \"learn_refused\": 0, \"rx_errors\": 0, \"tx_errors\": 2,"
	" \"drops\": {\"runt\": 1, \"no-dest\": 6}}]},"
	" \"stp\": [{\"bridge\": \"br0\", \"enabled\": true, \"topology_change_count\": 2,"
	" \"ports\": [{\"name\": \"p\\\"1\", \"state\": \"forwarding\"}]}],"
	" \"networks\": [{\"name\": \"default\", \"active\": true, \"ports\": 1, \"leases\": 2,"
	" \"info\": {\"dnsmasq\": {\"state\": \"running\", \"restarts\": 0}}},"
	" {\"name\": \"off\", \"active\": false, \"ports\": 0}]}";

static char *render(const char *json)
{
	struct strbuf out = STRBUF_INIT;
	json_t *snap = json_loads(json, 0, NULL);
	char *text;

	assert_non_null(snap);
	assert_int_equal(metrics_prom_render(snap, &out), 0);
	json_decref(snap);
	assert_int_equal(strbuf_take(&out, &text), 0);
	return text;
}

static void metrics_samples_and_labels(void **state)
{
	char *t = render(snap_json);

	(void)state;
	assert_non_null(
		strstr(t, "\nkvnet_port_rx_frames_total{bridge=\"br0\",port=\"p\\\"1\"} 10\n"));
	assert_non_null(
		strstr(t, "kvnet_port_tx_errors_total{bridge=\"br0\",port=\"p\\\"1\"} 2\n"));
	assert_non_null(strstr(
		t, "kvnet_port_drops_total{bridge=\"br0\",port=\"p\\\"1\",cause=\"no-dest\"} 6\n"));
	assert_non_null(strstr(t, "kvnet_fdb_entries{bridge=\"br0\"} 3\n"));
	assert_non_null(strstr(t, "kvnet_fdb_refused_port_limit_total{bridge=\"br0\"} 4\n"));
	assert_non_null(strstr(t, "kvnet_stp_enabled{bridge=\"br0\"} 1\n"));
	assert_non_null(strstr(
		t,
		"kvnet_stp_port_state{bridge=\"br0\",port=\"p\\\"1\",state=\"forwarding\"} 1\n"));
	assert_non_null(strstr(t, "kvnet_network_active{network=\"default\"} 1\n"));
	assert_non_null(strstr(t, "kvnet_network_active{network=\"off\"} 0\n"));
	assert_non_null(strstr(t, "kvnet_network_dhcp_leases{network=\"default\"} 2\n"));
	/* an inactive network has no lease count and no dnsmasq: no sample, not a 0 */
	assert_null(strstr(t, "kvnet_network_dhcp_leases{network=\"off\"}"));
	assert_non_null(
		strstr(t,
		       "kvnet_network_dnsmasq_state{network=\"default\",state=\"running\"} 1\n"));
	free(t);
}

static void metrics_help_and_type_once(void **state)
{
	char *t = render(snap_json), *p;
	int help = 0, type = 0;

	(void)state;
	assert_true(!strncmp(t, "# HELP kvnet_", 13));
	for (p = t; (p = strstr(p, "# TYPE kvnet_port_drops_total ")); p++)
		type++;
	for (p = t; (p = strstr(p, "# HELP kvnet_port_drops_total ")); p++)
		help++;
	assert_int_equal(type, 1);
	assert_int_equal(help, 1);
	assert_non_null(strstr(t, "# TYPE kvnet_port_drops_total counter\n"));
	assert_non_null(strstr(t, "# TYPE kvnet_fdb_entries gauge\n"));
	/* every line a comment or a sample, and the text ends with a newline */
	assert_int_equal(t[strlen(t) - 1], '\n');
	free(t);
}

static void metrics_empty_snapshot(void **state)
{
	char *t = render("{}");

	(void)state;
	/* the families are there, with no samples */
	assert_non_null(strstr(t, "# TYPE kvnet_port_rx_frames_total counter\n"));
	assert_null(strstr(t, "{"));
	free(t);
}

static void metrics_label_escapes(void **state)
{
	struct strbuf out = STRBUF_INIT;
	char *t;

	(void)state;
	metrics_prom_label(&out, "a\\b\"c\nd");
	assert_int_equal(strbuf_take(&out, &t), 0);
	assert_string_equal(t, "a\\\\b\\\"c\\nd");
	free(t);
}

static void metrics_addresses(void **state)
{
	char path[108], ip[16], err[512];
	unsigned port;
	static const char *const bad[] = {
		"0.0.0.0:9100",
		"192.168.1.1:9100",
		"localhost:9100",
		"[::]:9100",
		"127.0.0.1:",
		"127.0.0.1:0",
		"127.0.0.1:65536",
		"127.0.0.1:9x",
		"unix:relative",
		"unix:",
		"",
	};

	(void)state;
	assert_int_equal(metrics_addr_parse("127.0.0.1:9100", path, ip, &port, err, sizeof(err)),
			 0);
	assert_string_equal(ip, "127.0.0.1");
	assert_int_equal(port, 9100);
	assert_string_equal(path, "");
	assert_int_equal(metrics_addr_parse("[::1]:65535", path, ip, &port, err, sizeof(err)), 0);
	assert_string_equal(ip, "::1");
	assert_int_equal(port, 65535);
	assert_int_equal(metrics_addr_parse("unix:/run/kvnet/metrics.sock", path, ip, &port, err,
					    sizeof(err)),
			 0);
	assert_string_equal(path, "/run/kvnet/metrics.sock");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(metrics_addr_parse(bad[i], path, ip, &port, err, sizeof(err)),
				 -EINVAL);
		/* the message names the address given */
		assert_non_null(strstr(err, bad[i]));
	}
	metrics_addr_parse("0.0.0.0:9100", path, ip, &port, err, sizeof(err));
	assert_non_null(strstr(err, "127.0.0.1:PORT"));
}

/* log lines written to a temporary file as stderr, with JOURNAL_STREAM set to @match it */
static void log_lines(bool match, char *buf, size_t len)
{
	char tmpl[] = "/tmp/test_service.XXXXXX", env[64];
	int fd = mkstemp(tmpl), saved = dup(2);
	struct stat st;
	ssize_t n;

	assert_true(fd >= 0 && saved >= 0);
	unlink(tmpl);
	assert_int_equal(fstat(fd, &st), 0);
	snprintf(env, sizeof(env), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino + (match ? 0 : 1));
	setenv("JOURNAL_STREAM", env, 1);
	fflush(stderr);
	dup2(fd, 2);
	assert_int_equal(log_journal_detect(), match);
	log_set_level(LOG_LVL_DEBUG);
	log_err("e %d", 1);
	log_warn("w");
	log_info("i");
	log_debug("d");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	unsetenv("JOURNAL_STREAM");
	log_journal_detect();
	n = pread(fd, buf, len - 1, 0);
	close(fd);
	assert_true(n > 0);
	buf[n] = '\0';
}

static void log_journal_priorities(void **state)
{
	char buf[512];

	(void)state;
	log_lines(true, buf, sizeof(buf));
	assert_string_equal(buf, "<3>error: e 1\n<4>warn: w\n<6>info: i\n<7>debug: d\n");
	log_lines(false, buf, sizeof(buf));
	assert_string_equal(buf, "kvnetd: error: e 1\nkvnetd: warn: w\nkvnetd: info: i\n"
				 "kvnetd: debug: d\n");
}

static void notify_datagrams(void **state)
{
	char path[] = "/tmp/test_service_notify.XXXXXX", sock[sizeof(path) + 8], buf[256], err[256];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;
	ssize_t n;

	(void)state;
	assert_non_null(mkdtemp(path));
	snprintf(sock, sizeof(sock), "%s/notify", path);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);

	/* without the variable: nothing to tell, nothing fails */
	unsetenv("NOTIFY_SOCKET");
	assert_int_equal(svc_notify_init(err, sizeof(err)), 0);
	assert_false(svc_notify_active());
	assert_int_equal(svc_notify("READY=1"), 0);

	setenv("NOTIFY_SOCKET", sock, 1);
	assert_int_equal(svc_notify_init(err, sizeof(err)), 0);
	assert_true(svc_notify_active());
	/* taken out of the environment, so children do not see it */
	assert_null(getenv("NOTIFY_SOCKET"));
	assert_int_equal(svc_notify("READY=1\nSTATUS=up"), 0);
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "READY=1\nSTATUS=up");
	assert_int_equal(svc_notify_status("two\nlines %d", 2), 0);
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "STATUS=two");

	setenv("NOTIFY_SOCKET", "relative", 1);
	assert_int_equal(svc_notify_init(err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "'relative'"));
	assert_false(svc_notify_active());
	unsetenv("NOTIFY_SOCKET");

	close(fd);
	unlink(sock);
	rmdir(path);
}

#define T(f) cmocka_unit_test(f)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(metrics_samples_and_labels), T(metrics_help_and_type_once),
		T(metrics_empty_snapshot),     T(metrics_label_escapes),
		T(metrics_addresses),	       T(log_journal_priorities),
		T(notify_datagrams),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

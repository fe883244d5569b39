/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_store_replay.c - at start, each STATE_DIR/bridges/NAME.json replayed through the
 * methods' own checks (ctl_store.c's Theory of Operation says what and why) */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl/vocab.h"
#include "daemon/rpc/ctl_request.h"
#include "daemon/rpc/ctl_server.h"
#include "daemon/rpc/ctl_store_priv.h"
#include "daemon/switch/switch.h"
#include "util/file.h"
#include "util/log.h"

/*
 * Check the shape of a stored document for bridge @name: every request a method the store
 * writes, naming @name or a port on it (one of its port.add, or its host netdev's name).
 * Return: the requests, or NULL with why in @why
 */
static json_t *ctl_store_check(json_t *doc, const char *name, char *why, size_t len)
{
	json_t *reqs = json_object_get(doc, "requests"), *r;
	size_t i;

	if (!json_is_object(doc) || !json_is_array(reqs) ||
	    !json_is_string(json_object_get(doc, "bridge")) ||
	    strcmp(json_string_value(json_object_get(doc, "bridge")), name)) {
		snprintf(why, len, "expected {\"bridge\": \"%s\", \"requests\": [...]}", name);
		return NULL;
	}
	json_array_foreach(reqs, i, r)
	{
		const char *method = json_string_value(json_object_get(r, "method")), *target;
		json_t *params = json_object_get(r, "params");
		bool is_bridge = false;

		if (!method || !json_is_object(params)) {
			snprintf(why, len, "request %zu: expected {\"method\", \"params\": {...}}",
				 i + 1);
			return NULL;
		}
		target = ctl_store_target(method, params, &is_bridge);
		if (!target) {
			snprintf(why, len,
				 "request %zu: method '%.32s' is not one the store writes", i + 1,
				 method);
			return NULL;
		}
		if ((i == 0) != !strcmp(method, "bridge.add")) {
			snprintf(why, len, "request %zu: expected bridge.add first, and only there",
				 i + 1);
			return NULL;
		}
		if (is_bridge && strcmp(target, name)) {
			snprintf(why, len, "request %zu (%s) names bridge '%.32s', not '%s'", i + 1,
				 method, target, name);
			return NULL;
		}
	}
	return reqs;
}

/* the absent group of @port in @e, made if @make */
static json_t *ctl_store_absent_group(struct store_entry *e, const char *port, bool make)
{
	json_t *g;
	size_t i;

	json_array_foreach(e->absent, i, g) if (!strcmp(ctl_store_group_port(g), port)) return g;
	if (!make)
		return NULL;
	if (!e->absent)
		e->absent = json_array();
	g = json_array();
	json_array_append_new(e->absent, g);
	return g;
}

/* a port.add or port.add_schannel: the request that makes a port */
static bool ctl_store_makes_port(const char *method)
{
	return !strcmp(method, "port.add") || !strcmp(method, "port.add_schannel");
}

/*
 * Replay requests @from.. of @reqs, from @path, for bridge @name (made by the first). With
 * @defer, stop at a port.add_schannel. Return: where it stopped (json_array_size() when at
 * the end), or 0 when the bridge could not be made
 */
static size_t ctl_store_run(const char *path, const char *name, json_t *reqs, size_t from,
			    bool defer)
{
	size_t i;

	for (i = from; i < json_array_size(reqs); i++) {
		json_t *r = json_array_get(reqs, i);
		const char *method = json_string_value(json_object_get(r, "method"));
		json_t *params = json_object_get(r, "params");
		struct ctl_request req = { .params = params };
		bool is_bridge = false;
		const char *target = ctl_store_target(method, params, &is_bridge);
		struct store_entry *e = ctl_store_entry(name, false);
		const struct kv_port *p;
		json_t *group;

		if (defer && !strcmp(method, "port.add_schannel"))
			return i;
		if (ctl_store_makes_port(method))
			target = json_string_value(json_object_get(params, "name"));
		/* a request for a port that could not be made waits with it */
		group = e && target && (!is_bridge || ctl_store_makes_port(method))
				? ctl_store_absent_group(e, target, false)
				: NULL;
		if (group) {
			json_array_append(group, r);
			continue;
		}
		p = target && !is_bridge ? switch_port_find(target) : NULL;
		if (!is_bridge && (!p || strcmp(p->sw->name, name))) {
			log_warn("%s: request %zu (%s) names port '%.32s', not one of bridge %s; "
				 "skipped",
				 path, i + 1, method, target ? target : "", name);
			continue;
		}
		if (!ctl_call(method, &req)) {
			json_decref(req.result);
			continue;
		}
		if (i == 0) {
			log_warn("%s: %s; skipped", path, req.err_msg);
			return 0;
		}
		if (!ctl_store_makes_port(method) || !e) {
			log_warn("%s: request %zu (%s): %s; skipped", path, i + 1, method,
				 req.err_msg);
			continue;
		}
		log_warn("%s: port %s cannot be made again: %s; kept in the file for the next "
			 "start (`kvnet port del %s` forgets it)",
			 path, target, req.err_msg, target);
		json_array_append(ctl_store_absent_group(e, target, true), r);
	}
	return i;
}

/* the rest of a file, from its first S-channel, replayed once every file has been */
struct store_later {
	char path[sizeof(ctl_store_st.dir) + 64];
	char name[SWITCH_NAME_MAX];
	json_t *reqs;
	size_t from;
	struct store_later *next;
};

/* replay one file, leaving what waits for the others in @later; Return: true if its bridge
 * was made */
static bool ctl_store_replay(const char *path, const char *name, struct store_later **later)
{
	struct store_later *l;
	json_error_t jerr;
	char why[256];
	json_t *doc, *reqs;
	size_t len, stop;
	char *text;
	int ret;

	ret = file_read(path, STORE_FILE_MAX, &text, &len);
	if (ret) {
		log_warn("%s: cannot read it (%s); skipped", path, strerror(-ret));
		return false;
	}
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (!doc) {
		log_warn("%s: not JSON (%s, line %d); skipped", path, jerr.text, jerr.line);
		return false;
	}
	reqs = ctl_store_check(doc, name, why, sizeof(why));
	if (!reqs) {
		log_warn("%s: %s; skipped", path, why);
		json_decref(doc);
		return false;
	}
	if (switch_find(name)) {
		log_warn("%s: bridge '%s' already exists; skipped", path, name);
		json_decref(doc);
		return false;
	}
	if (!ctl_store_entry(name, true)) {
		log_warn("%s: out of memory; skipped", path);
		json_decref(doc);
		return false;
	}
	stop = ctl_store_run(path, name, reqs, 0, true);
	if (!stop) {
		ctl_store_st.n--; /* the entry just made */
		json_decref(doc);
		return false;
	}
	l = stop < json_array_size(reqs) ? calloc(1, sizeof(*l)) : NULL;
	if (l) {
		snprintf(l->path, sizeof(l->path), "%s", path);
		snprintf(l->name, sizeof(l->name), "%s", name);
		l->reqs = json_incref(reqs);
		l->from = stop;
		l->next = *later;
		*later = l;
	} else if (stop < json_array_size(reqs)) {
		log_warn("%s: out of memory; its S-channels and what follows them skipped", path);
	}
	json_decref(doc);
	log_info("bridge %s made again from %s", name, path);
	return true;
}

/* what waited for every file: S-channels, and what follows them in their files */
static void ctl_store_replay_later(struct store_later *later)
{
	while (later) {
		struct store_later *l = later;

		later = l->next;
		if (switch_find(l->name))
			ctl_store_run(l->path, l->name, l->reqs, l->from, false);
		json_decref(l->reqs);
		free(l);
	}
}

void ctl_store_restore(void)
{
	char path[sizeof(ctl_store_st.dir) + 64], name[SWITCH_NAME_MAX];
	struct store_later *later = NULL;
	struct dirent *de;
	DIR *d;
	int fd;

	if (ctl_store_st.dir_fd < 0)
		return;
	fd = dup(ctl_store_st.dir_fd);
	d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		log_warn("cannot read %s: %s", ctl_store_st.dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name), sl = strlen(STORE_SUFFIX);

		if (file_is_temp(de->d_name, STORE_SUFFIX)) {
			log_warn("%s/%s: removing a file left half-written by a crash",
				 ctl_store_st.dir, de->d_name);
			unlinkat(ctl_store_st.dir_fd, de->d_name, 0);
			continue;
		}
		if (de->d_name[0] == '.' || len <= sl ||
		    strcmp(de->d_name + len - sl, STORE_SUFFIX))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", ctl_store_st.dir, de->d_name) >=
		    (int)sizeof(path)) {
			log_warn("%s/%s: path too long; skipped", ctl_store_st.dir, de->d_name);
			continue;
		}
		if (len - sl >= sizeof(name)) {
			log_warn("%s: not a bridge name; skipped", path);
			continue;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(len - sl), de->d_name);
		if (!ctl_name_valid(name)) {
			log_warn("%s: '%s' is not a bridge name; skipped", path, name);
			continue;
		}
		ctl_store_st.restoring = true;
		ctl_store_replay(path, name, &later);
		ctl_store_st.restoring = false;
	}
	closedir(d);
	ctl_store_st.restoring = true;
	ctl_store_replay_later(later);
	ctl_store_st.restoring = false;
}

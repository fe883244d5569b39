/* SPDX-License-Identifier: GPL-2.0-or-later */
/* edit.c - kvnet net-edit: a network's next-start XML through $VISUAL/$EDITOR, as virsh does */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/kvnet.h"
#include "cli/parse.h"
#include "cli/print.h"
#include "ctl/client.h"

static const struct parse_arg edit_args[] = {
	{ .key = "network", .kind = PARSE_STRING, .what = "network name or UUID", .required = true },
	{ 0 },
};

/* $VISUAL, else $EDITOR, else vi; an empty variable counts as unset */
static const char *edit_editor(void)
{
	const char *e = getenv("VISUAL");

	if (!e || !*e)
		e = getenv("EDITOR");
	if (!e || !*e)
		e = "vi";
	return e;
}

/*
 * Run the editor on @path through the shell, as virsh does, so that EDITOR may hold
 * options ("emacs -nw", "sed -i s/a/b/"); the file is passed as "$1", never re-parsed.
 * Return: 0 if it exited 0, else -1 after saying why.
 */
static int edit_run_editor(const char *path)
{
	const char *editor = edit_editor();
	char *cmd;
	pid_t pid;
	int status;

	if (asprintf(&cmd, "%s \"$1\"", editor) < 0) {
		kvnet_err("out of memory");
		return -1;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		kvnet_err("cannot run the editor: fork: %s", strerror(errno));
		free(cmd);
		return -1;
	}
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
		_exit(127);
	}
	free(cmd);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			kvnet_err("cannot wait for the editor: %s", strerror(errno));
			return -1;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		kvnet_err("editor '%s' failed (exit status %d); nothing was changed", editor,
			  WEXITSTATUS(status));
	else
		kvnet_err("editor '%s' was killed by signal %d; nothing was changed", editor,
			  WTERMSIG(status));
	return -1;
}

/* write @text to a new temp file; its name into @path (PATH_MAX bytes). Return: 0 or -1 */
static int edit_write_temp(const char *text, size_t len, char *path, size_t size)
{
	const char *dir = getenv("TMPDIR");
	FILE *f;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	snprintf(path, size, "%s/kvnet-net-edit-XXXXXX.xml", dir);
	fd = mkstemps(path, 4);
	if (fd < 0) {
		kvnet_err("cannot make a temporary file in %s: %s", dir, strerror(errno));
		return -1;
	}
	f = fdopen(fd, "w");
	if (!f) {
		kvnet_err("cannot write %s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	if (fwrite(text, 1, len, f) != len || fclose(f)) {
		kvnet_err("cannot write %s: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

enum edit_answer {
	EDIT_AGAIN,    /* y: edit the file again */
	EDIT_GIVE_UP,  /* n: throw the changes away */
	EDIT_REDEFINE, /* i, f: send the same XML again */
};

/* virsh's question after a failed define, asked only on a terminal */
static enum edit_answer edit_ask(void)
{
	char line[64];

	if (!isatty(STDIN_FILENO))
		return EDIT_GIVE_UP;
	for (;;) {
		printf("Failed. Try again? [y,n,i,f,?]: ");
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			return EDIT_GIVE_UP;
		switch (line[0]) {
		case 'y':
		case 'Y':
			return EDIT_AGAIN;
		case 'n':
		case 'N':
			return EDIT_GIVE_UP;
		case 'i':
		case 'f':
			return EDIT_REDEFINE;
		default:
			printf("y - yes, start editor again\n"
			       "n - no, throw away my changes\n"
			       "i - turn off validation and try to redefine again\n"
			       "f - force, try to redefine again\n"
			       "? - print this help\n");
		}
	}
}

/* define the edited @xml (a reference is taken); 0 on success, having printed it */
static int edit_define(struct kvnet *k, json_t *xml)
{
	const json_t *name;
	json_t *params, *result;
	int ret;

	params = json_object();
	if (!params || json_object_set(params, "xml", xml)) {
		json_decref(params);
		kvnet_err("out of memory");
		return KVNET_EXIT_ERROR;
	}
	ret = kvnet_call(k, "net.define", params, &result);
	if (ret)
		return ret;
	name = json_object_get(result, "name");
	if (k->json)
		print_json(result);
	else
		printf("Network %s XML configuration edited.\n",
		       json_is_string(name) ? json_string_value(name) : "?");
	json_decref(result);
	return KVNET_EXIT_OK;
}

static int edit_net(struct kvnet *k, json_t *params)
{
	const char *net = json_string_value(json_object_get(params, "network"));
	const json_t *orig;
	json_t *call, *dump, *xml = NULL;
	enum edit_answer ans;
	char path[4096];
	int ret;

	call = json_pack("{s:O,s:b}", "network", json_object_get(params, "network"), "inactive", 1);
	if (!call) {
		kvnet_err("out of memory");
		return KVNET_EXIT_ERROR;
	}
	ret = kvnet_call(k, "net.dumpxml", call, &dump);
	if (ret)
		return ret;
	orig = json_object_get(dump, "xml");
	if (!json_is_string(orig)) {
		kvnet_err("bad answer from kvnetd: \"xml\" is missing or not a string");
		ret = KVNET_EXIT_ERROR;
		goto put_dump;
	}
	ret = KVNET_EXIT_ERROR;
	if (edit_write_temp(json_string_value(orig), json_string_length(orig), path, sizeof(path)))
		goto put_dump;
	/* the editor may take minutes: do not hold the connection meanwhile */
	ctl_client_close(k->client);
	k->client = NULL;
	for (;;) {
		ret = KVNET_EXIT_ERROR;
		if (edit_run_editor(path))
			break;
		json_decref(xml);
		xml = NULL;
		if (kvnet_read_xml(path, &xml))
			break;
		if (json_equal(xml, (json_t *)orig)) {
			if (k->json)
				print_json(dump);
			else
				printf("Network %s XML configuration not changed.\n", net);
			ret = KVNET_EXIT_OK;
			break;
		}
		do {
			ret = edit_define(k, xml);
			ans = ret == KVNET_EXIT_OK ? EDIT_GIVE_UP : edit_ask();
		} while (ans == EDIT_REDEFINE);
		if (ans != EDIT_AGAIN)
			break;
	}
	unlink(path);
	json_decref(xml);
put_dump:
	json_decref(dump);
	return ret;
}

const struct kvnet_cmd edit_cmds[] = {
	{
		.name = "net-edit",
		.args = "NET",
		.help = "Edit network NET's next-start XML (net-dumpxml --inactive) in $VISUAL,\n"
			"else $EDITOR, else vi, run through the shell as virsh does, then define\n"
			"it if it changed: \"Network NAME XML configuration edited.\" (or \"not\n"
			"changed.\"). If kvnetd refuses it, its message is printed, and on a\n"
			"terminal virsh's question \"Failed. Try again? [y,n,i,f,?]\" is asked;\n"
			"otherwise kvnet exits 1 having changed nothing.\n",
		.spec = edit_args,
		.act = edit_net,
	},
	{ 0 },
};

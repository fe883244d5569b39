/* SPDX-License-Identifier: GPL-2.0-or-later */
/* print.h - kvnet's output engine: a result as JSON, or checked members laid out as text */
#ifndef KVNET_CLI_PRINT_H
#define KVNET_CLI_PRINT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

struct kvnet;

/*
 * Each object's file has the printers of its results (bridge.c prints bridge.list's); they
 * make text only, and print_result() alone chooses between them and JSON. A printer checks
 * every member it uses before it prints anything: a member missing or of the wrong type is
 * reported as "kvnet: bad answer from kvnetd: ..." on stderr, and nothing goes to stdout.
 * Printers return 0, or -EBADMSG after that report, or -ENOMEM.
 */

/**
 * print_result() - the one way a result is printed: with --json (@k->json) the result as
 * JSON and nothing else, else its text form by @text
 * Return: 0, or what @text returns
 */
int print_result(const struct kvnet *k, const json_t *result, int (*text)(const json_t *result));

/** print_json() - @v as JSON, indented by 2, members in order, and a newline */
void print_json(const json_t *v);

/** print_done() - a result with nothing to say in text (it is printed only with --json) */
int print_done(const json_t *result);

/** print_xml() - a result's "xml" member, exactly as it is */
int print_xml(const json_t *result);

/* the types an answer's member may be required to have */
enum print_type {
	PRINT_STRING,
	PRINT_INT,
	PRINT_NUMBER,
	PRINT_BOOL,
	PRINT_ARRAY,
	PRINT_OBJECT,
	PRINT_INT_OR_NULL,
	PRINT_STRING_OR_NULL,
};

/**
 * print_need() - member @key of @obj, which must be of type @t
 * @ctx:	names @obj in the message ("bridges[2]"); "" for the result itself
 * Return: the member, or NULL after reporting a bad answer
 */
const json_t *print_need(const json_t *obj, const char *ctx, const char *key, enum print_type t);

/**
 * print_need_elem() - element @i of array @arr, which must be an object
 * @what:	names @arr in messages ("ports")
 * @ctx:	gets "@what[@i]", to name the element in later messages
 * Return: the element, or NULL after reporting a bad answer
 */
const json_t *print_need_elem(const json_t *arr, size_t i, const char *what, char *ctx,
			      size_t size);

/** print_or_dash() - a string member's value, or "-" for null */
const char *print_or_dash(const json_t *v);

/**
 * struct print_table - rows of text cells, printed with each column as wide as its widest
 * cell or header; set only through print_table_*()
 * @head:	the column headers (NULL for a block: print_block_add())
 * @ncols:	columns
 * @cells:	@nrows * @ncols cells, row by row; NULL is an empty cell
 * @nrows:	rows so far
 * @cap:	rows allocated
 */
struct print_table {
	const char *const *head;
	size_t ncols;
	char **cells;
	size_t nrows;
	size_t cap;
};

/** print_table_init() - an empty table of @ncols columns headed by @head */
void print_table_init(struct print_table *t, const char *const *head, size_t ncols);

/** print_table_free() - free @t's cells (not @t) */
void print_table_free(struct print_table *t);

/** print_table_row() - start a new row of empty cells. Return: 0 or -ENOMEM */
int print_table_row(struct print_table *t);

/**
 * print_table_set() - set cell @col of the last row as printf() formats it; a control
 * character is shown as '?', as text from the socket must not drive the terminal
 * Return: 0 or -ENOMEM
 */
__attribute__((format(printf, 3, 4))) int print_table_set(struct print_table *t, size_t col,
							  const char *fmt, ...);

/** print_table_number() - cell @col as a person writes JSON number @v: 300, 0.5 */
int print_table_number(struct print_table *t, size_t col, const json_t *v);

/**
 * print_list() - the result's array @key as a table of @ncols columns headed by @head, as
 * bridge and ip print theirs: cells padded to their column and 2 blanks, the last one not
 * padded, no trailing blanks
 * @rows:	adds one or more rows per element of the array: 0, -EBADMSG after reporting
 *		a bad answer, or -ENOMEM
 * Return: 0, -EBADMSG or -ENOMEM
 */
int print_list(const json_t *result, const char *key, const char *const *head, size_t ncols,
	       int (*rows)(struct print_table *t, const json_t *list));

/**
 * print_list_virsh() - print_list() in virsh's layout (vshTablePrint): each cell after a
 * blank, padded to its column and 2 more blanks (the last cell is not padded), and under
 * the header a line of dashes 3 longer than each column
 */
int print_list_virsh(const json_t *result, const char *key, const char *const *head, size_t ncols,
		     int (*rows)(struct print_table *t, const json_t *list));

/*
 * A block of counters: after a title line of the caller's, "  NAME  VALUE" per counter,
 * names padded to the widest and values right-aligned
 */
struct print_block {
	struct print_table t;
	size_t name_w, value_w;
};

/** print_block_init() - an empty block */
void print_block_init(struct print_block *b);

/** print_block_free() - free @b's lines (not @b) */
void print_block_free(struct print_block *b);

/** print_block_add() - a counter @value named as printf() formats @fmt. Return: 0 or -ENOMEM */
__attribute__((format(printf, 3, 4))) int print_block_add(struct print_block *b, json_int_t value,
							  const char *fmt, ...);

/**
 * print_block_counters() - every member of @obj as a counter named "@prefix KEY"
 * @ctx, @objname: name @obj in messages (ports[1]."drops")
 * Return: 0, -EBADMSG after reporting a member that is not an integer, or -ENOMEM
 */
int print_block_counters(struct print_block *b, const json_t *obj, const char *prefix,
			 const char *ctx, const char *objname);

/** print_block_out() - print @b's counters */
void print_block_out(const struct print_block *b);

/**
 * print_field() - "Label:          value", the label padded to 15 columns as virsh's
 * net-info prints it; control characters in the value shown as '?'
 * Return: 0 or -ENOMEM
 */
__attribute__((format(printf, 2, 3))) int print_field(const char *label, const char *fmt, ...);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The DAX report: the questions daxbench exists for, answered from the
 * database for every kernel and backend it holds - the capability (GUP)
 * matrix, sector against pfn lookup cost, memory per additional guest and
 * memory saved, struct-page cost per GiB, fault cost DAX against page
 * cache against anonymous memory, exec startup. Every table says how many
 * samples stand behind a cell, their spread, and the command that
 * regenerates it; a table without data says which command fills it.
 * Rendered as Markdown (`daxbench report`) and as a page of the site.
 */
#ifndef XB_REPORT_H
#define XB_REPORT_H
#ifndef XB_LAYER_PLOTS
#error "plots/report.h is not visible from this layer (docs/ARCHITECTURE.md)"
#endif

#include <stdbool.h>
#include "util.h"

struct xb_db;

struct xb_rtable {
	const char *id;          /* anchor */
	const char *title;
	const char *question;
	const char *command;     /* regenerates it (or fills it, when empty) */
	char *note;              /* what a cell holds: n, spread, which run */
	size_t ncols;
	char **head;             /* ncols */
	char **cell;             /* nrows * ncols, "" for none */
	size_t nrows;
};

struct xb_report {
	struct xb_rtable *t;
	size_t nt;
	size_t nruns;
	char *sources;           /* "kernel backend clock" columns seen, ", "-joined */
};

/* Read every finished run of db and fill the tables. 0 or -errno with one
 * message (lib/error.h); *out is the caller's (xb_report_free). */
int xb_report_build(struct xb_report *out, struct xb_db *db);
void xb_report_free(struct xb_report *r);
/* Tables filled (rows > 0). */
size_t xb_report_filled(const struct xb_report *r);
void xb_report_markdown(struct xb_buf *b, const struct xb_report *r, const char *dbname);
/*
 * The tables' ids (anchors, `daxbench report --section`), NULL ended, and
 * the table of one (NULL when r has none). A section of the Markdown is
 * `<a id="ID"></a>`, a blank line, `## TITLE`, a blank line, then its body
 * (question, table, note): the body is what a marked region of README.md or
 * docs/ holds (scripts/update-docs).
 */
extern const char *const xb_report_ids[];
const struct xb_rtable *xb_report_find(const struct xb_report *r, const char *id);
void xb_report_markdown_heading(struct xb_buf *b, const char *id, const char *title);
void xb_report_markdown_body(struct xb_buf *b, const struct xb_rtable *t);
/* A whole page; root as xb_html_head's. */
void xb_report_html(struct xb_buf *b, const struct xb_report *r, const char *dbname,
		    const char *root);

#endif

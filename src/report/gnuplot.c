// SPDX-License-Identifier: GPL-2.0
/*
 * gnuplot, as the report runs it (gnuplot.h): a script per chart in the
 * output directory, drawn by as many gnuplots at once as there are CPUs
 * (at most GNUPLOT_MAX_JOBS), each started with lib/spawn in that directory.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "src/lib/env.h"
#include "src/lib/spawn.h"
#include "src/lib/util.h"
#include "src/report/gnuplot.h"

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "?"
#endif

#define GNUPLOT_MAX_JOBS 8

static bool gnuplot_is_prog(const char *path)
{
	struct stat st;

	return !access(path, X_OK) && !stat(path, &st) && S_ISREG(st.st_mode);
}

/*
 * Looked up here rather than by posix_spawnp: the program must be known
 * missing before anything is written, gnuplot runs in the output
 * directory (so a relative path is made absolute), and the progress line
 * names the path.
 */
int gnuplot_find(const char *prog, char *path, size_t len)
{
	const char *p = env_get("PATH");
	char dir[PATH_MAX];

	if (strchr(prog, '/')) {
		if (prog[0] != '/' && getcwd(dir, sizeof(dir)))
			snprintf(path, len, "%s/%s", dir, prog);
		else
			snprintf(path, len, "%s", prog);
		return gnuplot_is_prog(path) ? 0 : -ENOENT;
	}
	if (!p)
		p = "/usr/local/bin:/usr/bin:/bin";
	while (*p) {
		size_t n = strcspn(p, ":");

		snprintf(dir, sizeof(dir), "%.*s", (int)n, n ? p : ".");
		snprintf(path, len, "%s/%s", dir, prog);
		if (gnuplot_is_prog(path))
			return 0;
		p += n;
		if (*p == ':')
			p++;
	}
	return -ENOENT;
}

/* gnuplot @argv[1..] in @dir, stdout on /dev/null, stderr to @log (NULL: /dev/null). */
static int gnuplot_start(const char *gnuplot, char *const args[], const char *dir,
			 const char *log, pid_t *pid)
{
	char *argv[4] = { (char *)gnuplot, args[0], args[1], NULL };
	struct spawn_io io = {
		.dir = dir, .stdout_path = "/dev/null", .stderr_path = log ? log : "/dev/null",
	};

	return spawn_start(argv, &io, pid);
}

const char *gnuplot_png_term(const char *gnuplot, const char *dir)
{
	char *args[] = { "-e", "set terminal pngcairo" };
	pid_t pid;

	if (!gnuplot_start(gnuplot, args, dir, NULL, &pid) && !spawn_wait(pid))
		return "pngcairo";
	return "png";
}

static void gnuplot_comment(struct strbuf *b, const char *s)
{
	for (; *s; s++)
		strbuf_addch(b, iscntrl((unsigned char)*s) ? '?' : *s);
}

int gnuplot_write(const struct chart *c, const char *dir, const char *png_term, char *err,
		  size_t errlen)
{
	struct strbuf gp = STRBUF_INIT;
	char name[160];
	int ret;

	strbuf_addstr(&gp, "# mmubench report: ");
	gnuplot_comment(&gp, c->title);
	strbuf_addf(&gp, "\n# Written by mmubench %s; data in %s.dat. Redraw in this directory "
		    "with: gnuplot %s.gp\n", PACKAGE_VERSION, c->name, c->name);
	strbuf_addf(&gp, "set encoding utf8\n%s", c->set.buf);
	strbuf_addf(&gp, "set terminal svg size %d,%d dynamic noenhanced font 'sans,11' "
		    "background '#ffffff'\nset output '%s.svg'\n%s", c->w, c->h, c->name,
		    c->plot.buf);
	strbuf_addf(&gp, "set terminal %s size %d,%d noenhanced font 'sans,10' "
		    "background '#ffffff'\nset output '%s.png'\nreplot\nset output\n",
		    png_term, c->w, c->h, c->name);
	if (gp.failed || c->set.failed || c->plot.failed || c->dat.failed || c->table.failed) {
		strbuf_release(&gp);
		return errf(err, errlen, -ENOMEM, "out of memory writing chart %s", c->name);
	}
	snprintf(name, sizeof(name), "%s.gp", c->name);
	ret = chart_write_file(dir, name, gp.buf, gp.len, err, errlen);
	strbuf_release(&gp);
	if (ret || c->nodata)
		return ret;
	snprintf(name, sizeof(name), "%s.dat", c->name);
	return chart_write_file(dir, name, c->dat.buf, c->dat.len, err, errlen);
}

/* A gnuplot that ended with @status: its chart failed with the line of its complaint. */
static void gnuplot_reap(struct chart *c, const char *dir, int status)
{
	char path[PATH_MAX], line[400] = "", *p;
	struct stat st;
	FILE *f;

	c->pid = 0;
	snprintf(path, sizeof(path), "%s/%s.log", dir, c->name);
	if (status) {
		f = fopen(path, "r");
		/* the last line that says what went wrong */
		while (f && fgets(line, sizeof(line), f)) {
			if (strstr(line, "line ") || strstr(line, "rror"))
				snprintf(c->why, sizeof(c->why), "%s", line);
		}
		if (f)
			fclose(f);
		if (!c->why[0])
			snprintf(c->why, sizeof(c->why), "exit status %d", status);
		if ((p = strchr(c->why, '\n')))
			*p = '\0';
		c->failed = true;
		return;
	}
	unlink(path);
	for (int k = 0; k < 2; k++) {
		snprintf(path, sizeof(path), "%s/%s.%s", dir, c->name, k ? "png" : "svg");
		if (stat(path, &st) || !st.st_size) {
			snprintf(c->why, sizeof(c->why), "gnuplot wrote no %s.%s", c->name,
				 k ? "png" : "svg");
			c->failed = true;
		}
	}
}

void gnuplot_run(struct charts *cs, const char *gnuplot, const char *dir)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int jobs = ncpu > 0 ? (ncpu < GNUPLOT_MAX_JOBS ? (int)ncpu : GNUPLOT_MAX_JOBS) : 1;
	int next = 0, oldest = 0, running = 0;

	while (next < cs->n || running) {
		struct chart *c;

		if (next < cs->n && running < jobs) {
			char script[160], log[160], *args[] = { script, NULL };
			int ret;

			c = cs->v[next++];
			snprintf(script, sizeof(script), "%s.gp", c->name);
			snprintf(log, sizeof(log), "%s.log", c->name);
			ret = gnuplot_start(gnuplot, args, dir, log, &c->pid);
			if (ret) {
				c->pid = 0;
				c->failed = true;
				snprintf(c->why, sizeof(c->why), "cannot run %s: %s", gnuplot,
					 strerror(-ret));
			} else {
				running++;
			}
			continue;
		}
		/* the oldest one: they take about as long, and it keeps to our own children */
		while (!cs->v[oldest]->pid)
			oldest++;
		c = cs->v[oldest];
		running--;
		gnuplot_reap(c, dir, spawn_wait(c->pid));
	}
}

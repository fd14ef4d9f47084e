#ifndef TENDERLOTS_BENCH_H
#define TENDERLOTS_BENCH_H

/*
 * Benchmarks compare a stage with a baseline measured in the same run,
 * alternating rounds so that a noisy machine slows both alike; the ratio is
 * the figure that means something, the absolute rates only describe this
 * machine.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <libxml/parser.h>

#include "fetch.h"

static inline double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs both for rounds rounds, alternating, and keeps each one's best. */
static inline void
bench_pair(int rounds, void (*baseline)(void *), void (*subject)(void *),
	   void *ctx, double *best_base, double *best_subject)
{
	int r;

	*best_base = *best_subject = 1e300;
	for (r = 0; r < rounds; r++) {
		double t0 = bench_now(), t1, t2;

		baseline(ctx);
		t1 = bench_now();
		subject(ctx);
		t2 = bench_now();
		if (t1 - t0 < *best_base)
			*best_base = t1 - t0;
		if (t2 - t1 < *best_subject)
			*best_subject = t2 - t1;
	}
}

/* Three significant digits, without an exponent: 0.615, 99.1, 15720. */
static inline void
bench_print_number(double v)
{
	if (v >= 100 || v <= -100)
		printf("%.0f", v);
	else
		printf("%.3g", v);
}

/*
 * One row of the table bench/table.sh prints after all the benchmarks:
 *
 *	row<TAB>bench<TAB>figure<TAB>value<TAB>unit<TAB>baseline<TAB>ratio
 *
 * value and baseline are in the same unit, and the ratio is always
 * value / baseline, so the table reads the same way throughout.
 */
static inline void
bench_row(const char *bench, const char *figure, double value,
	  const char *unit, double baseline)
{
	printf("row\t%s\t%s\t", bench, figure);
	bench_print_number(value);
	printf("\t%s\t", unit);
	bench_print_number(baseline);
	printf("\t%.3g\n", value / baseline);
}

/*
 * A publication day made of the bundled and example notices, each copy
 * with a notice id of its own: the notices are loaded once, then written
 * out as many times as a day needs.
 */
struct bench_source {
	char *text;
	size_t len;
};

/* Adds the notices in dir to src[n..max); the new n. */
static inline size_t
bench_load_sources(const char *dir, struct bench_source *src, size_t n,
		   size_t max)
{
	struct fetch_options fo = { .timeout = 1, .max_bytes = 16u << 20 };
	struct dirent *de;
	char path[1024], err[256];
	struct buf b;
	DIR *d = opendir(dir);

	if (!d)
		return n;
	while ((de = readdir(d)) && n < max) {
		if (!strstr(de->d_name, ".xml") || strstr(de->d_name, "INVALID"))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		buf_init(&b, fo.max_bytes);
		if (fetch_file(path, &fo, &b, err, sizeof err) == 0 &&
		    strstr(buf_str(&b), "schemeName=\"notice-id\">")) {
			src[n].len = b.len;
			src[n++].text = buf_detach(&b, NULL);
		}
		buf_release(&b);
	}
	closedir(d);
	return n;
}

/* Copy number k of a notice, with a notice id of its own. */
static inline void
bench_write_copy(const char *dir, const struct bench_source *s, int k)
{
	const char *mark = "schemeName=\"notice-id\">";
	const char *id = strstr(s->text, mark) + strlen(mark);
	const char *end = strchr(id, '<');
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%05d.xml", dir, k);
	if (!(f = fopen(path, "w")))
		exit(1);
	fwrite(s->text, 1, (size_t)(id - s->text), f);
	fprintf(f, "bench0000-0000-0000-0000-%012d", k);
	fwrite(end, 1, s->len - (size_t)(end - s->text), f);
	fclose(f);
}

static inline int
bench_is_xml(const struct dirent *de)
{
	return strstr(de->d_name, ".xml") != NULL;
}

/* Reads and parses every file of dir with libxml2 alone; the time it took. */
static inline double
bench_bare_parse(const char *dir)
{
	struct fetch_options fo = { .timeout = 1, .max_bytes = 16u << 20 };
	struct dirent **names;
	char path[4096], err[256];
	double t0 = bench_now();
	struct buf b;
	int n, i;

	buf_init(&b, fo.max_bytes);
	n = scandir(dir, &names, bench_is_xml, alphasort);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
		if (fetch_file(path, &fo, &b, err, sizeof err) == 0)
			xmlFreeDoc(xmlReadMemory(b.data, (int)b.len, NULL, NULL,
						 XML_PARSE_NONET | XML_PARSE_NOBLANKS));
		free(names[i]);
	}
	free(names);
	buf_release(&b);
	return bench_now() - t0;
}

/*
 * Removes path and everything below it. Not nftw(): that needs
 * _XOPEN_SOURCE, which not every benchmark defines.
 */
static inline void
bench_rm_rf(const char *path)
{
	struct dirent *de;
	struct stat st;
	char sub[4096];
	DIR *d;

	if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && (d = opendir(path))) {
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") != 0 &&
			    strcmp(de->d_name, "..") != 0) {
				snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
				bench_rm_rf(sub);
			}
		closedir(d);
	}
	remove(path);
}

#endif

#ifndef TENDERLOTS_TEST_H
#define TENDERLOTS_TEST_H

/*
 * A tiny test harness. Each suite is one program:
 *
 *	static void test_something(void) { CHECK(1 + 1 == 2); }
 *	int main(void) { RUN(test_something); return test_done(); }
 *
 * A test passes when none of its checks failed. test_done() prints
 * "<suite>: N passed, N failed" as its last line, which `make check` sums.
 */
#include <stdio.h>
#include <string.h>

static int test_failures_in_current;
static int test_passed_count, test_failed_count;
static const char *test_current_name;

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "  FAIL %s (%s:%d): %s\n", test_current_name, \
			__FILE__, __LINE__, #cond); \
		test_failures_in_current++; \
	} \
} while (0)

#define CHECK_STR(got, want) do { \
	const char *g_ = (got), *w_ = (want); \
	if (!g_ || !w_ || strcmp(g_, w_) != 0) { \
		fprintf(stderr, "  FAIL %s (%s:%d): %s == \"%s\", want \"%s\"\n", \
			test_current_name, __FILE__, __LINE__, #got, \
			g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
		test_failures_in_current++; \
	} \
} while (0)

#define RUN(fn) do { \
	test_current_name = #fn; \
	test_failures_in_current = 0; \
	fn(); \
	if (test_failures_in_current) \
		test_failed_count++; \
	else \
		test_passed_count++; \
	fprintf(stderr, "%s %s\n", test_failures_in_current ? "not ok" : "ok", #fn); \
} while (0)

static inline int
test_done(const char *suite)
{
	printf("%s: %d passed, %d failed\n", suite, test_passed_count,
	       test_failed_count);
	return test_failed_count ? 1 : 0;
}

#endif

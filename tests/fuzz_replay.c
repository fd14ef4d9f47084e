/*
 * Replays a fuzz target's corpus (fuzz/corpus/<target>/) through its
 * LLVMFuzzerTestOneInput so every saved input is re-run by `make check`,
 * with or without libFuzzer.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	long size;
	int rc = -1;

	if (!f)
		return -1;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0)
		goto out;
	data = malloc(size ? (size_t)size : 1);
	if (!data || fread(data, 1, (size_t)size, f) != (size_t)size)
		goto out;
	LLVMFuzzerTestOneInput(data, (size_t)size);
	rc = 0;
out:
	free(data);
	fclose(f);
	return rc;
}

int
main(int argc, char **argv)
{
	char dir[512], path[1024];
	const char *name = strrchr(argv[0], '/');
	struct dirent *de;
	DIR *d;
	int n = 0;

	(void)argc;
	name = name ? name + 1 : argv[0];
	if (strncmp(name, "replay_fuzz_", 12) == 0)
		name += 12;
	snprintf(dir, sizeof dir, "fuzz/corpus/%s", name);
	test_current_name = dir;
	d = opendir(dir);
	CHECK(d != NULL);
	if (!d)
		return test_done(dir);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		CHECK(replay_file(path) == 0);
		n++;
	}
	closedir(d);
	CHECK(n > 0);
	if (test_failures_in_current)
		test_failed_count++;
	else
		test_passed_count++;
	return test_done(dir);
}

// SPDX-License-Identifier: GPL-2.0
/* Feeds every file of the given corpus directories to a fuzz target. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include "fuzz.h"
#include "util.h"

int main(int argc, char **argv)
{
	size_t files = 0;

	for (int i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		struct dirent *e;

		if (!d) {
			fprintf(stderr, "replay: cannot open %s\n", argv[i]);
			return 1;
		}
		while ((e = readdir(d))) {
			char *path, *data = NULL;
			size_t len;

			if (e->d_name[0] == '.')
				continue;
			path = xb_asprintf("%s/%s", argv[i], e->d_name);
			if (!xb_read_file(&data, &len, path)) {
				LLVMFuzzerTestOneInput((const uint8_t *)data, len);
				files++;
			}
			free(data);
			free(path);
		}
		closedir(d);
	}
	printf("replayed %zu inputs\n", files);
	return files ? 0 : 1;
}

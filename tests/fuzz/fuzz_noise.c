/* libFuzzer target for the /proc text parsers of io/noise.c: the input is
 * read as /proc/stat text (following PUs 0..63 and a few far ones) and as
 * one task stat line. The input buffer is exactly its length and not NUL
 * terminated, so ASan sees any read past it; parsed values must be sane. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/noise.h"
#include "io/noise_impl.h"

enum { FOLLOWED = 64 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct noise_snap s;
	const char *text = (const char *)data;
	struct noise_task task = { 0, -1 };
	size_t found, lines = 1;
	int is_end = 0;

	memset(&s, 0, sizeof(s));
	for (int i = 0; i < FOLLOWED; i++)
		s.pu[s.n++] = i;
	s.pu[s.n++] = 1000;
	s.pu[s.n++] = 1023;
	found = noise_parse_stat(text, size, 100, &s, &is_end);
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (found > lines)
		abort();
	for (size_t i = 0; i < s.n; i++)
		if (!isfinite(s.busy[i]) || s.busy[i] < 0 || s.steal[i] < 0 ||
		    s.irq[i] < 0 || s.softirq[i] < 0)
			abort();
	if (noise_parse_task_stat(text, size, &task) == 0 && task.pu < 0)
		abort();
	return 0;
}

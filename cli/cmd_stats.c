/* voix stats: placeholder until the command lands; it reports that it is missing. */
#include <stdio.h>

#include "cli.h"

int cmd_stats(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "voix stats: not available in this build\n");
	return VX_EXIT_FAILURE;
}

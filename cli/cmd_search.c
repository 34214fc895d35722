/* voix search: placeholder until the command lands; it reports that it is missing. */
#include <stdio.h>

#include "cli.h"

int cmd_search(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "voix search: not available in this build\n");
	return VX_EXIT_FAILURE;
}

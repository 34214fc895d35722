/* voix import: placeholder until the command lands; it reports that it is missing. */
#include <stdio.h>

#include "cli.h"

int cmd_import(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "voix import: not available in this build\n");
	return VX_EXIT_FAILURE;
}

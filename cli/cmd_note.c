/* voix note: placeholder until the command lands; it reports that it is missing. */
#include <stdio.h>

#include "cli.h"

int cmd_note(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "voix note: not available in this build\n");
	return VX_EXIT_FAILURE;
}

/*
 * A synthesis note through voix's public API only: what `voix note FILE
 * [-o OUT]` does, in a program of its own.
 *
 *     cc note_example.c $(pkg-config --cflags --libs voix) -o note_example
 *     ./note_example examples/experiences-exemple.csv > note.md
 *     ./note_example examples/experiences-exemple.csv note.html
 *
 * The first argument is an export (CSV or JSON Lines); the second, when
 * given, the file to write, whose extension chooses the format (.md, .html
 * or .json); otherwise the Markdown note goes to standard output. Progress
 * goes to standard error. Exit 0 when the note is written, 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>

#include <voix.h>

/* Called by the library at each step: the bytes read, then the end of each
 * step of the analysis. */
static void on_progress(const char *stage, size_t done, size_t total, void *payload)
{
	FILE *log = payload;
	if (done == total)
		fprintf(log, "note_example: %s done\n", stage);
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s EXPORT.csv [NOTE.md|NOTE.html|NOTE.json]\n", argv[0]);
		return 1;
	}
	const char *in = argv[1], *out = argc == 3 ? argv[2] : NULL;
	int rc = 0;
	vx_analysis *analysis = NULL;
	vx_note *note = NULL;
	char *text = NULL;
	size_t len = 0;

	vx_note_options opts;
	vx_note_options_init(&opts);
	opts.progress = on_progress;
	opts.payload = stderr;
	vx_note_render_options render = VX_NOTE_RENDER_OPTIONS_INIT;
	if (out != NULL && (rc = vx_note_format_from_path(&render.format, out)) != 0)
		goto done;
	if ((rc = vx_analysis_new(&analysis, &opts)) != 0 || (rc = vx_analysis_add_file(analysis, in, NULL)) != 0 ||
	    (rc = vx_analysis_run(&note, analysis)) != 0)
		goto done;
	/* Warnings about the note (a small corpus, fewer topics than asked). */
	for (size_t i = 0; i < note->n_messages; i++)
		fprintf(stderr, "note_example: %s\n", note->messages[i]);
	if (out != NULL)
		rc = vx_note_render_file(out, note, &render);
	else if ((rc = vx_note_render(&text, &len, note, &render)) == 0 && fwrite(text, 1, len, stdout) != len)
		rc = vx_error_set(VX_EIO, "cannot write to standard output");
done:
	if (rc != 0)
		fprintf(stderr, "note_example: %s (%s)\n", vx_error_last(), vx_error_name(rc));
	free(text);
	vx_note_free(note);
	vx_analysis_free(analysis);
	return rc == 0 ? 0 : 1;
}

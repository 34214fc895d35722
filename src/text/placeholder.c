/* placeholder so the stage library is never empty */
int vx_text_stage_placeholder(void);
int vx_text_stage_placeholder(void) { return 0; }

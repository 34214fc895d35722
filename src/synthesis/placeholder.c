/* placeholder so the stage library is never empty */
int vx_synthesis_stage_placeholder(void);
int vx_synthesis_stage_placeholder(void) { return 0; }

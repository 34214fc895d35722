/* placeholder so the stage library is never empty */
int vx_privacy_stage_placeholder(void);
int vx_privacy_stage_placeholder(void) { return 0; }

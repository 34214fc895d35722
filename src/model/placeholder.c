/* placeholder so the stage library is never empty */
int vx_model_stage_placeholder(void);
int vx_model_stage_placeholder(void) { return 0; }

/* placeholder so the stage library is never empty */
int vx_storage_stage_placeholder(void);
int vx_storage_stage_placeholder(void) { return 0; }

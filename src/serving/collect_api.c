/*
 * POST /api/v1/experiences: a partner site's submission, as JSON, with an
 * API token and an optional Idempotency-Key. 201 is sent only once
 * vx_collect_submit has committed; the same key and body again give the
 * same 201 ("rejoue": true), the same key with another body 409.
 */
#include <jansson.h>
#include <string.h>

#include "serving/collect.h"
#include "voix/collect.h"
#include "voix/error.h"

static int starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static int put_json(vx_rq *rq, int status, json_t *o)
{
	vx_buf_reset(&rq->resp->body);
	rq->resp->status = status;
	return vx_api_send_json(rq, o);
}

/* 422 in the error shape, with one message per field in error. */
static int fields_error(vx_rq *rq, const vx_submission_errors *e)
{
	json_t *fields = json_object(), *o = NULL;
	const char *first = "";
	for (int i = 0; fields && i < VX_FIELD_COUNT; i++)
		if (e->message[i][0]) {
			if (!first[0])
				first = e->message[i];
			json_object_set_new(fields, vx_submission_field_name((vx_submission_field)i), json_string(e->message[i]));
		}
	if (fields)
		o = json_pack("{s:{s:i,s:s,s:s,s:o}}", "error", "status", 422, "code", "unprocessable", "message", first,
		              "fields", fields);
	return put_json(rq, 422, o);
}

int vx_api_submit(vx_rq *rq)
{
	const vx_http_request *req = rq->req;
	vx_submission_json *doc = NULL;
	vx_submission sub;
	vx_submission_errors e;
	vx_submit_result res;
	int rc;
	if (!starts_with(req->content_type, "application/json"))
		return vx_fail(rq, 415, "Content-Type: application/json attendu");
	rc = vx_submission_from_json(&doc, &sub, req->body, req->body_len, &e);
	if (rc == VX_ETOOBIG)
		return vx_fail(rq, 413, vx_error_last());
	if (rc == VX_EFORMAT)
		return vx_fail(rq, 400, vx_error_last());
	if (rc == VX_EINVAL)
		return fields_error(rq, &e);
	if (rc)
		return rc;
	rc = vx_collect_submit(rq->store, &sub, "api", req->idempotency_key, &e, &res);
	vx_submission_json_free(doc);
	if (rc == 0)
		return put_json(rq, 201, json_pack("{s:I,s:s,s:b}", "id", (json_int_t)res.id, "statut", "à modérer",
		                                   "rejoue", res.replayed));
	if (rc == VX_EINVAL && e.n)
		return fields_error(rq, &e);
	if (rc == VX_EINVAL)
		return vx_fail(rq, res.key_reused ? 409 : 400, vx_error_last());
	if (rc == VX_EBUSY || rc == VX_EDB)
		return vx_fail(rq, 503, "la base ne répond pas : l'expérience n'est pas enregistrée, réessayez");
	return rc;
}

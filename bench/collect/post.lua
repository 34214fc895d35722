-- wrk script: POST /api/v1/experiences, one new experience per request.
-- Environment: VOIX_TOKEN (an API token), VOIX_ACKED (a file prefix: each
-- thread appends the id of every 201 to PREFIX-<thread>.txt), VOIX_KEY
-- (optional: the same Idempotency-Key and body for every request).
local token = os.getenv("VOIX_TOKEN")
local prefix = os.getenv("VOIX_ACKED") or "/tmp/voix-acked"
local fixed_key = os.getenv("VOIX_KEY")
-- Keys and bodies differ from run to run (a run's keys replayed by the
-- next would be answered with the first run's ids).
local run = os.getenv("VOIX_RUN") or tostring(os.time())
local threads = {}
local counter = 0

function setup(thread)
	thread:set("tid", #threads + 1)
	table.insert(threads, thread)
end

function init(args)
	acked = io.open(prefix .. "-" .. tid .. ".txt", "a")
	acked:setvbuf("line")
	statuses = {}
end

local function body(n, t)
	return string.format('{"structure":"EXMPL00001","date":"2024-03-12","canaux":["Accueil"],' ..
		'"ressenti":"positif","titre":"Banc %s-%d-%d","description":"Experience de banc numero %d du fil %d, ' ..
		'accueil rapide et dossier regle.","poste_comme":"La personne concernée","consentement":true}',
		fixed_key and "" or run, t, n, n, t)
end

function request()
	counter = counter + 1
	local key = fixed_key or string.format("banc-%s-%d-%d", run, tid, counter)
	local n = fixed_key and 0 or counter
	return wrk.format("POST", "/api/v1/experiences", {
		["Authorization"] = "Bearer " .. token,
		["Content-Type"] = "application/json",
		["Idempotency-Key"] = key,
	}, body(n, fixed_key and 0 or tid))
end

function response(status, headers, b)
	statuses[status] = (statuses[status] or 0) + 1
	if status == 201 then
		local id = string.match(b, '"id":(%d+)')
		acked:write(id, "\n")
	end
end

function done(summary, latency, requests)
	local by_status = {}
	for _, t in ipairs(threads) do
		for status, n in pairs(t:get("statuses") or {}) do
			by_status[status] = (by_status[status] or 0) + n
		end
	end
	for status, n in pairs(by_status) do
		io.write(string.format("HTTP %d: %d responses\n", status, n))
	end
	io.write(string.format("requests %d, errors connect %d read %d write %d status %d timeout %d\n",
		summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
		summary.errors.status, summary.errors.timeout))
	io.write(string.format("latency p50 %.2f ms, p99 %.2f ms\n", latency:percentile(50) / 1000,
		latency:percentile(99) / 1000))
end

#!/usr/bin/env node
// A proposer that replays candidates from a file: reproducible runs, bug reports, tests.
//
//   cdlc optimize constraints.cdl --project tsconfig.json \
//     --proposer "node scripts/proposers/replay.mjs candidates.json"
//
// The command runs in the project's folder, so a relative CANDIDATES path is read from there.
// The file lists, per node id, one array of candidates per round (docs/proposer-protocol.md):
//
//   { "protocol": 1,
//     "nodes": { "src/catalog.ts#dedupeSkus": [ [ { "source": "function …", "name": "…", "rationale": "…" } ],
//                                               [ …round 2… ] ] } }
//
// It prints {"protocol": 1, "candidates": [...]} with the candidates of request.node.id and
// request.round, or none when the file has nothing for them. A request of another protocol, or
// a missing or unreadable file: a message on stderr and exit 2. No dependencies.
import { readFileSync } from "node:fs";

const PROTOCOL = 1;

function fail(message) {
  process.stderr.write(`replay: ${message}\n`);
  process.exit(2);
}

const path = process.argv[2];
if (path === undefined || process.argv.length > 3) fail("usage: node replay.mjs CANDIDATES.json (one argument: the file of candidates)");

let request;
try {
  request = JSON.parse(readFileSync(0, "utf8"));
} catch (e) {
  fail(`the request on stdin is not JSON (${e.message})`);
}
if (request?.protocol !== PROTOCOL) fail(`this proposer speaks protocol ${PROTOCOL}; the request is for protocol ${JSON.stringify(request?.protocol)}`);

let file;
try {
  file = JSON.parse(readFileSync(path, "utf8"));
} catch (e) {
  fail(`cannot read the candidates file ${path}: ${e.message}`);
}
if (file?.protocol !== PROTOCOL || typeof file.nodes !== "object" || file.nodes === null) {
  fail(`${path} is not a replay file: it must be {"protocol": ${PROTOCOL}, "nodes": {"<node id>": [[round 1 candidates], …]}}`);
}

const rounds = Object.hasOwn(file.nodes, request.node?.id) ? file.nodes[request.node.id] : [];
const candidates = Array.isArray(rounds) && Array.isArray(rounds[request.round - 1]) ? rounds[request.round - 1] : [];
process.stdout.write(`${JSON.stringify({ protocol: PROTOCOL, candidates })}\n`);

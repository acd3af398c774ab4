#!/usr/bin/env python3
"""Extract the response schemas the emulator serves from the WorkOS OpenAPI spec.

Writes a small JSON fixture that the emulator tests read instead of the full spec, so a fresh
clone can run them without the spec. Keeps `$ref`s and copies every component they reach.

Usage: scripts/extract-response-schemas.py ../shared/workos-openapi.yaml \
           Tests/WorkOSEmulatorTests/Fixtures/response-schemas.json
"""
import json
import sys

import yaml

from spec_extraction import SERVED_OPERATIONS, strip_docs

# The fixture also carries the audit-log event answer, which the emulator does not serve but the tests
# use as the spec's documented 429 body.
OPERATIONS = SERVED_OPERATIONS + [("post", "/audit_logs/events")]


def collect_refs(node, found):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            collect_refs(value, found)
    elif isinstance(node, list):
        for value in node:
            collect_refs(value, found)


def main():
    spec_path, out_path = sys.argv[1], sys.argv[2]
    with open(spec_path) as f:
        spec = yaml.safe_load(f)
    components = spec["components"]["schemas"]
    responses = {}
    for method, path in OPERATIONS:
        operation = spec["paths"][path][method]
        by_status = {}
        for status, response in operation.get("responses", {}).items():
            schema = response.get("content", {}).get("application/json", {}).get("schema")
            by_status[str(status)] = strip_docs(schema) if schema is not None else None
        responses[f"{method.upper()} {path}"] = by_status
    needed = set()
    collect_refs(responses, needed)
    pending = list(needed)
    while pending:
        name = pending.pop()
        more = set()
        collect_refs(components[name], more)
        for ref in more - needed:
            needed.add(ref)
            pending.append(ref)
    out = {
        "source": "workos-openapi.yaml (github.com/workos/openapi-spec, MIT, (c) WorkOS)",
        "responses": responses,
        "components": {name: strip_docs(components[name]) for name in sorted(needed)},
    }
    with open(out_path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()

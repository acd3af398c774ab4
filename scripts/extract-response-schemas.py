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

from spec_extraction import SERVED_OPERATIONS, reachable_components, strip_docs

# The fixture also carries the audit-log event answer, which the emulator does not serve but the tests
# use as the spec's documented 429 body.
OPERATIONS = SERVED_OPERATIONS + [("post", "/audit_logs/events")]


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
    needed = reachable_components(responses, components)
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

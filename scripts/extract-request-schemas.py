#!/usr/bin/env python3
"""Extract what the WorkOS OpenAPI spec says about requests, for the emulator's strict mode.

Writes a Swift source file holding one JSON string: every operation of the spec (method and path, so a
request outside the spec is known as such), and for each operation the emulator serves, its query
parameters and its JSON request body schema, with every component they reach. The emulator compiles it
once into checks (`RequestRules`); a test regenerates it from the spec and compares, so it cannot drift.

Usage: scripts/extract-request-schemas.py ../shared/workos-openapi.yaml \
           Sources/WorkOSEmulator/Validation/SpecRequests.generated.swift
       (an output of "-" writes to standard output)
"""
import json
import sys

import yaml

# The operations the emulator serves, as the spec names them.
OPERATIONS = [
    ("get", "/user_management/users"),
    ("post", "/user_management/users"),
    ("get", "/user_management/users/{id}"),
    ("put", "/user_management/users/{id}"),
    ("delete", "/user_management/users/{id}"),
    ("get", "/user_management/users/external_id/{external_id}"),
    ("get", "/organizations"),
    ("post", "/organizations"),
    ("get", "/organizations/{id}"),
    ("put", "/organizations/{id}"),
    ("delete", "/organizations/{id}"),
    ("get", "/organizations/external_id/{external_id}"),
    ("get", "/user_management/organization_memberships"),
    ("post", "/user_management/organization_memberships"),
    ("get", "/user_management/organization_memberships/{id}"),
    ("put", "/user_management/organization_memberships/{id}"),
    ("delete", "/user_management/organization_memberships/{id}"),
    ("put", "/user_management/organization_memberships/{id}/deactivate"),
    ("put", "/user_management/organization_memberships/{id}/reactivate"),
    ("get", "/authorization/roles"),
    ("post", "/authorization/roles"),
    ("get", "/authorization/roles/{slug}"),
    ("patch", "/authorization/roles/{slug}"),
    ("put", "/authorization/roles/{slug}/permissions"),
    ("post", "/authorization/roles/{slug}/permissions"),
    ("get", "/authorization/organizations/{organizationId}/roles"),
    ("post", "/authorization/organizations/{organizationId}/roles"),
    ("get", "/authorization/organizations/{organizationId}/roles/{slug}"),
    ("patch", "/authorization/organizations/{organizationId}/roles/{slug}"),
    ("delete", "/authorization/organizations/{organizationId}/roles/{slug}"),
    ("put", "/authorization/organizations/{organizationId}/roles/{slug}/permissions"),
    ("post", "/authorization/organizations/{organizationId}/roles/{slug}/permissions"),
    ("delete", "/authorization/organizations/{organizationId}/roles/{slug}/permissions/{permissionSlug}"),
    ("get", "/authorization/permissions"),
    ("post", "/authorization/permissions"),
    ("get", "/authorization/permissions/{slug}"),
    ("patch", "/authorization/permissions/{slug}"),
    ("delete", "/authorization/permissions/{slug}"),
    ("post", "/organization_domains"),
    ("get", "/organization_domains/{id}"),
    ("delete", "/organization_domains/{id}"),
    ("post", "/organization_domains/{id}/verify"),
    ("post", "/user_management/users/{userlandUserId}/auth_factors"),
    ("get", "/user_management/users/{userlandUserId}/auth_factors"),
    ("delete", "/auth/factors/{id}"),
]

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")

# Keywords that only document; the checks never read them.
DOCUMENTATION = ("description", "example", "examples", "title", "x-exclude-from-lint", "deprecated", "default")


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


def strip_docs(node):
    if isinstance(node, dict):
        return {k: strip_docs(v) for k, v in node.items() if k not in DOCUMENTATION}
    if isinstance(node, list):
        return [strip_docs(v) for v in node]
    return node


def parameters(spec, path_item, operation):
    merged = {}
    for parameter in list(path_item.get("parameters", [])) + list(operation.get("parameters", [])):
        if "$ref" in parameter:
            parameter = spec["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
        merged[(parameter["in"], parameter["name"])] = parameter
    return merged.values()


def extract(spec):
    components = spec["components"]["schemas"]
    every = sorted(
        f"{method.upper()} {path}"
        for path, item in spec["paths"].items()
        for method in item
        if method in METHODS
    )
    operations = {}
    for method, path in OPERATIONS:
        item = spec["paths"][path]
        operation = item[method]
        query = {}
        for parameter in parameters(spec, item, operation):
            if parameter["in"] != "query":
                continue
            entry = {"schema": strip_docs(parameter.get("schema", {})), "required": parameter.get("required", False)}
            if parameter.get("style", "form") == "form" and parameter.get("explode", True) is False:
                entry["comma_separated"] = True
            query[parameter["name"]] = entry
        body = operation.get("requestBody")
        described = {"query": query}
        if body is not None:
            schema = body.get("content", {}).get("application/json", {}).get("schema")
            described["body"] = strip_docs(schema) if schema is not None else {}
            described["body_required"] = body.get("required", False)
        operations[f"{method.upper()} {path}"] = described
    needed = set()
    collect_refs(operations, needed)
    pending = list(needed)
    while pending:
        name = pending.pop()
        more = set()
        collect_refs(components[name], more)
        for ref in more - needed:
            needed.add(ref)
            pending.append(ref)
    return {
        "source": "workos-openapi.yaml (github.com/workos/openapi-spec, MIT, (c) WorkOS)",
        "spec_operations": every,
        "operations": operations,
        "components": {name: strip_docs(components[name]) for name in sorted(needed)},
    }


def swift_source(document):
    text = json.dumps(document, indent=1, sort_keys=True, ensure_ascii=True)
    if '"""#' in text:
        raise SystemExit("the extracted JSON cannot be held in a raw string literal")
    return (
        "// Generated by scripts/extract-request-schemas.py from workos-openapi.yaml\n"
        "// (github.com/workos/openapi-spec, MIT, (c) WorkOS). Do not edit: run the script again.\n"
        "\n"
        "extension RequestRules {\n"
        "    /// Every operation of WorkOS's OpenAPI spec, and the query parameters and body schema of those the\n"
        "    /// emulator serves, as JSON.\n"
        '    static let specJSON = #"""\n'
        + text
        + '\n"""#\n'
        "}\n"
    )


def main():
    spec_path, out_path = sys.argv[1], sys.argv[2]
    with open(spec_path) as f:
        spec = yaml.safe_load(f)
    source = swift_source(extract(spec))
    if out_path == "-":
        sys.stdout.write(source)
    else:
        with open(out_path, "w") as f:
            f.write(source)


if __name__ == "__main__":
    main()

"""What both spec extraction scripts share: the WorkOS operations the emulator serves, and how a schema
loses its documentation.

A route added to the emulator is added to SERVED_OPERATIONS, then both scripts are run again (see each
script's usage).
"""

DOCUMENTATION = ("description", "example", "examples")


def strip_docs(node, drop=DOCUMENTATION, in_properties=False):
    """A schema without the keywords in `drop` (its prose). Inside `properties` the keys are field names, so
    a field called `description` (a role's, a permission's) is kept."""
    if isinstance(node, dict):
        return {
            k: strip_docs(v, drop, in_properties=(k == "properties" and not in_properties))
            for k, v in node.items()
            if in_properties or k not in drop
        }
    if isinstance(node, list):
        return [strip_docs(v, drop) for v in node]
    return node


SERVED_OPERATIONS = [
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
    ("get", "/webhook_endpoints"),
    ("get", "/connections"),
    ("get", "/connections/{id}"),
    ("delete", "/connections/{id}"),
]


def collect_refs(node, found):
    """Adds to `found` the component schema names `node` refers to with `$ref`."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[1])
        for value in node.values():
            collect_refs(value, found)
    elif isinstance(node, list):
        for value in node:
            collect_refs(value, found)


def reachable_components(node, components):
    """The names of every component schema `node` reaches, directly or through other components."""
    needed = set()
    collect_refs(node, needed)
    pending = list(needed)
    while pending:
        more = set()
        collect_refs(components[pending.pop()], more)
        for ref in more - needed:
            needed.add(ref)
            pending.append(ref)
    return needed

"""`sdkforge init`: a commented sdkforge.yaml that documents every key it can hold."""

from __future__ import annotations

import json

from .config import TARGET_KEYS, distribution_name


def _q(value: str) -> str:
    """A YAML scalar that reads back as exactly `value` (JSON strings are valid YAML)."""
    return json.dumps(value)


def init_text(spec: str, output: str, package: str, client: str, name: str) -> str:
    """The text of a new sdkforge.yaml with one target; optional keys are commented out."""
    distribution = distribution_name(package)
    return f"""\
# sdkforge.yaml: what `sdkforge generate` builds and `sdkforge check` guards.
# Paths are relative to this file. Every command-line flag of `generate` has a key here;
# a flag given on the command line wins over the file.

# Keys under `defaults:` apply to every target that does not set them itself.
# defaults:
#   license: MIT
#   templates: [templates/team]

targets:
  - name: {_q(name)}  # {TARGET_KEYS["name"]}
    spec: {_q(spec)}  # {TARGET_KEYS["spec"]}
    output: {_q(output)}  # {TARGET_KEYS["output"]}
    package: {_q(package)}  # {TARGET_KEYS["package"]}
    client: {_q(client)}  # {TARGET_KEYS["client"]}
    distribution: {_q(distribution)}  # {TARGET_KEYS["distribution"]}
    version: "0.1.0"  # {TARGET_KEYS["version"]}
    # description: "Python client for the Example API"  # {TARGET_KEYS["description"]}
    # author: "Example Team <sdk@example.com>"  # {TARGET_KEYS["author"]}
    # license: MIT  # {TARGET_KEYS["license"]}
    # strict: false  # {TARGET_KEYS["strict"]} (--strict)

    # Team template folders, searched in order before the built-in templates (--templates).
    # A file there replaces the built-in file with the same path, or extends it with
    # {{% extends "builtin/<path>" %}} and overrides one {{% block %}} (docs/templates.md).
    # templates: [templates/team]
    # Extra values for your templates, reachable there as `vars`.
    # template_vars:
    #   support_url: https://example.com/support

    # Default retry policy of every operation (an x-speakeasy-retries in the spec wins).
    # retries:
    #   strategy: backoff
    #   backoff: {{initialInterval: 500, maxInterval: 60000, exponent: 1.5}}
    #   statusCodes: [429, 5XX]
    #   retryConnectionErrors: true

    # Per-operation overrides by operationId (they win over x-speakeasy-* in the spec).
    # operations:
    #   listPets: {{name: list, group: pets}}
    #   internalPing: {{ignore: true}}
    #   createPet: {{retries: {{strategy: none}}}}
"""

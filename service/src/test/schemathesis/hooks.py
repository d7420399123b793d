"""Checks of this API's own contract that schemathesis cannot read from the OpenAPI document.

Loaded by SchemathesisIT through SCHEMATHESIS_HOOKS; schemathesis.toml explains why 422 counts as an expected
answer to schema-valid data, and this check keeps that from hiding a validation mismatch.
"""
import json

import schemathesis
VALIDATION_FAILED = "/problems/validation-failed"


@schemathesis.check
def schema_valid_data_passes_validation(ctx, response, case):
    """A schema-valid request may be refused by a business rule (422 insufficient-funds, currency-mismatch,
    same-account, balance-limit, idempotency-key-reused), never by validation."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    try:
        problem = json.loads(response.content)
    except ValueError:
        return None
    if problem.get("type") == VALIDATION_FAILED:
        raise AssertionError(
            "The request matches the OpenAPI document, yet the service refused it as invalid "
            f"({VALIDATION_FAILED}): the document and the validation disagree.\n{response.text[:500]}")
    return None

"""API: the read-only JSON REST API of the public program, with its OpenAPI document."""

"""Mail: the outbox of queued mail, templates, SMTP sending and the worker loop."""

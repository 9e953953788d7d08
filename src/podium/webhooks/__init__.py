"""Webhooks: signed JSON deliveries to organizers' HTTPS endpoints, queued like mail."""

"""Schedule: slots, conflict checks, schedule releases and their changelog, the editor."""

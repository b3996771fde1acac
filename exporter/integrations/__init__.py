"""Integrations with schedulers; each imports its scheduler only where it needs it."""

"""Views of the audits app, one module per area; each module lists its own URL patterns."""

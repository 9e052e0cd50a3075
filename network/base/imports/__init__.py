"""Imports that run as background jobs (ImportJob), never in a request, and the
spreadsheet formats every admin import/export uses (formula-safe)."""

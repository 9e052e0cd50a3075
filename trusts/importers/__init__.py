"""Importers for the DfE's public files; `base` holds the pattern they share."""

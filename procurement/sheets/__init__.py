"""Aggregated demand sheets (XLSX, CSV) and the demand template with its upload (DESIGN.md §6)."""

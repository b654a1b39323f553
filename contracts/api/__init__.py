"""The contracts API (included from config/urls.py under ``api/``): agreements, call-offs, shared hires, sheets."""

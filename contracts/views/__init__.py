"""The contracts' pages: framework agreements with their consumption and call-offs, call-offs, shared hires."""

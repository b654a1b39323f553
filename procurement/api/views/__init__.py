"""Views of the REST API, one module per concept. Views read through the ``visible_*`` querysets (what a
user may not see is a 404) and change state only by calling a service."""

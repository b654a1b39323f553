"""Serializers of the REST API, one module per concept. They check types and shapes; the services
check the domain (permissions, states, deadlines) and raise the errors that ``core.api.errors`` maps."""

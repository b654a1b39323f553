"""drf-spectacular postprocessing hooks (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""


def document_kinds_hook(result, generator, request, public):
    """The documents' and batches' ``kind`` as enums of the kinds registered (documents/registry.py) when the
    schema is made: the apps register their kinds when they load, after the serializers are defined."""
    from documents import registry

    schemas = result.get("components", {}).get("schemas", {})
    for name, kinds in (("DocumentInRequest", registry.kinds()), ("DocumentOut", registry.kinds()),
                        ("BatchInRequest", registry.batch_kinds()), ("BatchOut", registry.batch_kinds())):
        kind = schemas.get(name, {}).get("properties", {}).get("kind")
        if kind is not None and kinds:
            kind.pop("minLength", None)
            kind["enum"] = list(kinds)
    return result

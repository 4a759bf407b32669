"""The API's JSON renderer (in a module of its own: DRF reads it from the settings while
its views load, before the serializers ``core.api.renderers`` imports can)."""

import orjson
from rest_framework import renderers
from rest_framework.utils import encoders

# What orjson does not write itself (lazy text, decimals, querysets…) it asks DRF's encoder,
# and dates and times too, which DRF writes its own way (UTC as "Z").
_drf_encoder = encoders.JSONEncoder()
ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


class FastJSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer, written by orjson: the same JSON once parsed, in a fraction of the
    time (a page of 50 records is some 3,000 values). An indented answer (``Accept:
    application/json; indent=2``), and a value orjson refuses (an integer past 64 bits),
    go to DRF's own renderer. The lean read path's records,
    already JSON text built by PostgreSQL (``orjson.Fragment``), are written as they are."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if (
            data is not None
            and self.get_indent(accepted_media_type, renderer_context or {}) is None
        ):
            try:
                return orjson.dumps(data, default=_drf_encoder.default, option=ORJSON_OPTIONS)
            except orjson.JSONEncodeError:
                pass
        return super().render(data, accepted_media_type, renderer_context)

"""Export formats: CSV and XLSX for every list, GeoJSON for maps (an app adds its own, such as
activities' iCalendar).

They render the JSON representation, so every format says the same thing. A renderer
with ``whole_list`` gives whole lists (not one page), capped at
``settings.API_EXPORT_MAX_ROWS`` (see ``RegistryViewSet.list``); one with ``attachment``
is sent as a file to save. Errors are always rendered as JSON.
"""

import csv
import io
from collections.abc import Mapping

import orjson
import tablib
from rest_framework import renderers, serializers

from core.api.serializers import NestedRelatedField
from core.spreadsheets import BOM, SafeXLSX, defuse_formula


def records_of(data) -> list:
    """Return the records of a rendered list or of one record, as a list."""
    if data is None:
        return []
    return [data] if isinstance(data, Mapping) else list(data)


def csv_columns(serializer) -> list[str]:
    """Return the CSV columns of ``serializer``: nested objects flattened as ``a.b``."""
    columns = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        if isinstance(field, NestedRelatedField):
            nested = field.ref_serializer()
        elif isinstance(field, serializers.Serializer):
            nested = field
        else:
            columns.append(name)
            continue
        columns.extend(f"{name}.{column}" for column in csv_columns(nested))
    return columns


def label(item) -> str:
    """Return a short text for one item of a list: its name or title plus its role, a
    citation's source and quote, a status change's status and date."""
    if not isinstance(item, Mapping):
        return "" if item is None else str(item)
    for key in ("name", "title", "text"):
        if item.get(key):
            text = str(item[key])
            break
    else:
        if item.get("quote"):
            text = f"{label(item.get('source'))}: “{item['quote']}”"
            text += f" ({item['locator']})" if item.get("locator") else ""
            return text
        if item.get("status") and item.get("changed_on"):
            text = f"{item['status']} on {item['changed_on']}"
            return f"{text} ({item['note']})" if item.get("note") else text
        nested = next((value for value in item.values() if isinstance(value, Mapping)), None)
        text = label(nested) if nested is not None else str(item.get("id", ""))
    return f"{text} ({item['role']})" if item.get("role") else text


def cell(value, *, defuse=defuse_formula) -> str:
    """Return one CSV cell: lists joined with "; ", formulas defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = "; ".join(label(item) for item in value)
    if isinstance(value, int | float):
        return str(value)
    return defuse(str(value))


def lookup(record: Mapping, column: str):
    value = record
    for part in column.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


class CSVRenderer(renderers.BaseRenderer):
    """The list as CSV: one row per record, columns from the serializer (always the same),
    with a byte-order mark so that Excel reads it as UTF-8."""

    media_type = "text/csv"
    format = "csv"
    whole_list = True
    attachment = True
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        columns = csv_columns(view.get_serializer())
        buffer = io.StringIO()
        buffer.write(BOM)
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for record in records_of(data):
            writer.writerow([cell(lookup(record, column)) for column in columns])
        return buffer.getvalue().encode(self.charset)


class XLSXRenderer(CSVRenderer):
    """The list as an Excel workbook: the CSV's columns and cells, every cell a string with
    formulas defused (``core.spreadsheets.SafeXLSX``)."""

    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        columns = csv_columns(view.get_serializer())
        dataset = tablib.Dataset(headers=columns, title=view.basename or "records")
        for record in records_of(data):
            # SafeXLSX defuses every cell itself.
            dataset.append([cell(lookup(record, column), defuse=str) for column in columns])
        return SafeXLSX().export_data(dataset)


class GeoJSONRenderer(renderers.JSONRenderer):
    """The list as a GeoJSON FeatureCollection, which the viewset's ``geojson()`` builds
    from a lean query (map data is a few fields of many records, not whole records)."""

    media_type = "application/geo+json"
    format = "geojson"
    whole_list = True

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # A whole programme is megabytes of plain dicts and lists: orjson writes them in a
        # tenth of the time the json module takes (errors are rendered by JSONRenderer,
        # RegistryViewSet.finalize_response).
        return orjson.dumps(data)


def features_statement(chosen: str, feature: str, steps: str = "", rows: str = "chosen") -> str:
    """Return the SQL of a list's GeoJSON features as JSON text, and of how many records
    match (up to the limit + 1: more is refused, ``RegistryViewSet.refuse_too_many``).

    ``chosen``: the list's query (its parameters first, then the limit's). ``steps``: more
    common table expressions (", name AS (…)") over ``chosen``, whose numbered rows keep
    the list's order as ``n``. ``feature``: the ``json_build_object`` of one feature, over
    ``rows`` (its parameters last).
    """
    return f"""
        WITH chosen AS MATERIALIZED (
            SELECT row_number() OVER () AS n, sub.* FROM ({chosen}) sub LIMIT %s
        ){steps}
        SELECT COALESCE((SELECT json_agg({feature} ORDER BY n) FROM {rows}), '[]')::text,
            (SELECT count(*) FROM chosen)
    """

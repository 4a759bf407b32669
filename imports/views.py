"""The officers' import pages (upload → preview → confirm) and the file exports.

An upload is read and imported as a dry run inside a transaction that is rolled back: the
preview lists every row, with its line in the file, as new, updated, unchanged or an
error with its reasons. The file stays on the server (django-import-export's temporary
storage); the confirm form carries only its signed name and the rows to leave out (those
with errors), so what is confirmed is exactly what was previewed. The confirmed import
runs in one transaction and is refused whole if a row that previewed well now fails.

Exports apply the list pages' filtersets to the same resources, so a filtered list
exported and imported again changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import PurePath

import pghistory
import tablib
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from import_export.results import RowResult
from import_export.tmp_storages import TempFolderStorage

from activities.filtersets import ActivityFilterSet
from activities.resources import ActivityResource
from cities.filtersets import CityFilterSet
from cities.resources import CityResource
from core.resources import define_trigger_settings
from core.spreadsheets import SafeCSV, SafeJSON, SafeXLSX
from core.visibility import visible_to
from programmes.filtersets import MembershipFilterSet, NetworkFilterSet, PairingFilterSet
from programmes.resources import MembershipResource, NetworkResource, PairingResource

# The module's old name: a preview signed before the move can still be confirmed.
SIGNING_SALT = "citypairing.imports"
TOKEN_MAX_AGE = 6 * 60 * 60  # a preview can be confirmed for six hours


@dataclass(frozen=True)
class ImportKind:
    """One kind of record that files can import and export."""

    key: str
    label: str
    resource_class: type
    filterset_class: type

    @property
    def model(self):
        return self.resource_class._meta.model

    def permissions(self) -> list[str]:
        opts = self.model._meta
        return [
            f"{opts.app_label}.add_{opts.model_name}",
            f"{opts.app_label}.change_{opts.model_name}",
        ]

    def columns(self) -> list[str]:
        return [f.column_name for f in self.resource_class().get_export_fields()]


KINDS = {
    kind.key: kind
    for kind in (
        ImportKind("cities", "Cities", CityResource, CityFilterSet),
        ImportKind("networks", "Networks", NetworkResource, NetworkFilterSet),
        ImportKind("memberships", "Memberships", MembershipResource, MembershipFilterSet),
        ImportKind("pairings", "Pairings", PairingResource, PairingFilterSet),
        ImportKind("activities", "Activities", ActivityResource, ActivityFilterSet),
    )
}

FORMATS = {
    "csv": (SafeCSV, "text/csv; charset=utf-8"),
    "xlsx": (
        SafeXLSX,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "json": (SafeJSON, "application/json"),
}

STATUS_LABELS = {
    RowResult.IMPORT_TYPE_NEW: "new",
    RowResult.IMPORT_TYPE_UPDATE: "updated",
    RowResult.IMPORT_TYPE_SKIP: "unchanged",
    RowResult.IMPORT_TYPE_ERROR: "error",
    RowResult.IMPORT_TYPE_INVALID: "error",
    RowResult.IMPORT_TYPE_DELETE: "deleted",
}


def kind_or_404(key: str) -> ImportKind:
    try:
        return KINDS[key]
    except KeyError:
        raise Http404(f"Nothing called “{key}” can be imported.") from None


def check_permission(request, kind: ImportKind) -> None:
    if not request.user.has_perms(kind.permissions()):
        raise PermissionDenied(
            f"Importing {kind.label.lower()} needs permission to add and change them; "
            "ask an administrator."
        )


# --- Reading files ----------------------------------------------------------------------


def format_for(file_name: str) -> str:
    """Return "csv", "xlsx" or "json" from a file name, or raise ValidationError."""
    suffix = PurePath(file_name).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValidationError(
            f"“{file_name}” is not a CSV, XLSX or JSON file: save it in one of those "
            "formats (the file name must end in .csv, .xlsx or .json)."
        )
    return suffix


def storage_for(fmt: str, name: str | None = None) -> TempFolderStorage:
    file_format = FORMATS[fmt][0]()
    return TempFolderStorage(
        name=name,
        read_mode=file_format.get_read_mode(),
        encoding=None if file_format.is_binary() else "utf-8-sig",
    )


def read_dataset(data, fmt: str):
    """Return the tablib Dataset of a file's content, or raise ValidationError."""
    try:
        dataset = FORMATS[fmt][0]().create_dataset(data)
    except Exception as error:  # tablib raises many kinds for a malformed file
        raise ValidationError(
            f"The file could not be read as {fmt.upper()} ({type(error).__name__}): check "
            "that it is saved in that format, with a header row."
        ) from error
    if not dataset.headers or not len(dataset):
        raise ValidationError("The file has no rows to import below its header row.")
    return dataset


class UploadForm(forms.Form):
    file = forms.FileField(
        label="File",
        help_text="CSV, XLSX or JSON with the columns listed below (a header row first).",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.cleaned_data["format"] = fmt = format_for(upload.name)
        if not FORMATS[fmt][0]().is_binary():
            try:
                b"".join(upload.chunks()).decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise ValidationError(
                    f"The file is not text in UTF-8 (byte {error.object[error.start]:#04x} at "
                    f"position {error.start:,} is not): save it as “CSV UTF-8” and upload "
                    "it again."
                ) from error
        return upload


# --- The preview ------------------------------------------------------------------------


@dataclass
class PreviewRow:
    number: int  # the row's place in the dataset (1-based)
    line: int  # where a person finds it in the file: line, sheet row or item number
    status: str
    record: str
    changes: list[str]
    errors: list[str]


def error_messages(row_result) -> list[str]:
    """Return a row's problems as sentences, each naming its column."""
    found = []
    if row_result.validation_error is not None:
        error = row_result.validation_error
        if hasattr(error, "error_dict"):
            for column, errors in error.message_dict.items():
                label = "" if column == "__all__" else f"{column}: "
                found.extend(f"{label}{message}" for message in errors)
        else:
            found.extend(error.messages)
    for error in row_result.errors:
        found.append(f"{type(error.error).__name__}: {error.error}")
    return found


def changed_columns(resource, row_result) -> list[str]:
    """Return the columns an update would change, as "column: old → new"."""
    original, instance = row_result.original, row_result.instance
    if original is None or instance is None:
        return []
    changes = []
    for field in resource.get_import_fields():
        if not field.attribute or field.attribute in ("cities", "organisers"):
            continue
        before, after = (
            resource.export_field(field, original),
            resource.export_field(field, instance),
        )
        if str(before) == str(after):
            continue
        if after in ("", None):
            changes.append(f"{field.column_name}: “{before}” → cleared")
        else:
            changes.append(f"{field.column_name}: “{before}” → “{after}”")
    return changes


def describe_row(headers, values) -> str:
    """Return how a person would name a file row that could not be read: "Bacolodd, PH"."""
    cells = dict(zip(headers, values, strict=False))
    keys = [k for k in ("title", "name", "slug", "network", "programme") if cells.get(k)]
    keys = keys or list(headers)[:2]
    return ", ".join(str(cells[k]) for k in keys[:2] if cells.get(k) not in (None, ""))


def file_lines(dataset) -> list[int]:
    """Return where each row of ``dataset`` stands in its file (a header is line 1)."""
    return getattr(dataset, "row_lines", None) or list(range(2, len(dataset) + 2))


def preview_rows(resource, result, dataset, lines=None) -> list[PreviewRow]:
    rows = []
    lines = lines or file_lines(dataset)
    invalid = {r.number: r for r in result.invalid_rows}
    for number, row_result in enumerate(result.rows, 1):
        record = str(row_result.object_repr or "")
        if not record and number <= len(dataset):
            record = describe_row(dataset.headers, dataset[number - 1])
        errors = error_messages(row_result)
        if not errors and number in invalid:
            errors = [str(invalid[number].error)]
        rows.append(
            PreviewRow(
                number=number,
                line=lines[number - 1] if number <= len(lines) else number + 1,
                status=STATUS_LABELS.get(row_result.import_type, row_result.import_type),
                record=record,
                changes=changed_columns(resource, row_result),
                errors=errors,
            )
        )
    return rows


def totals(rows: list[PreviewRow]) -> dict[str, int]:
    counts = {"new": 0, "updated": 0, "unchanged": 0, "error": 0}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return counts


def run_import(kind: ImportKind, dataset, *, dry_run: bool, file_name: str, user):
    """Import a dataset in one transaction (always rolled back for a dry run)."""
    resource = kind.resource_class()
    with pghistory.context(import_file=file_name, import_kind=kind.key), transaction.atomic():
        define_trigger_settings()
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            retain_instance_in_row_result=True,
            file_name=file_name,
            user=user,
        )
    return resource, result


def has_problems(result) -> bool:
    return result.has_errors() or result.has_validation_errors()


# --- Views ------------------------------------------------------------------------------


@login_required
def import_index(request):
    """List what can be imported and exported, with each file's columns."""
    kinds = [
        {
            "kind": kind,
            "columns": kind.columns(),
            "allowed": request.user.has_perms(kind.permissions()),
        }
        for kind in KINDS.values()
    ]
    return render(request, "imports/index.html", {"kinds": kinds, "formats": list(FORMATS)})


@login_required
def import_upload(request, kind):
    """Show the upload form; on upload, import as a dry run and show the preview."""
    kind = kind_or_404(kind)
    check_permission(request, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"kind": kind, "form": form, "columns": kind.columns()}
    if request.method == "POST" and form.is_valid():
        upload, fmt = form.cleaned_data["file"], form.cleaned_data["format"]
        storage = storage_for(fmt)
        storage.save(b"".join(upload.chunks()))
        try:
            dataset = read_dataset(storage.read(), fmt)
        except ValidationError as error:
            storage.remove()
            form.add_error("file", error)
            return render(request, "imports/upload.html", context, status=400)
        resource, result = run_import(
            kind, dataset, dry_run=True, file_name=upload.name, user=request.user
        )
        rows = preview_rows(resource, result, dataset)
        context.update(preview_context(result, rows, upload.name, dataset))
        if context["rejected"]:
            storage.remove()
        else:
            context["token"] = signing.dumps(
                {
                    "kind": kind.key,
                    "format": fmt,
                    "file": storage.name,
                    "name": upload.name,
                    "user": request.user.pk,
                    # Rows with errors are left out of the import, exactly as previewed.
                    "skip": [row.number for row in rows if row.status == "error"],
                },
                salt=SIGNING_SALT,
            )
    return render(request, "imports/upload.html", context)


def preview_context(result, rows, file_name: str, dataset) -> dict:
    base_errors = [str(error.error) for error in result.base_errors]
    counts = totals(rows)
    return {
        "rows": rows,
        "totals": counts,
        "file_name": file_name,
        "base_errors": base_errors,
        "line_label": getattr(dataset, "line_label", "row"),
        # Nothing to import: a fault of the whole file, or no row without errors.
        "rejected": bool(base_errors) or counts["error"] == len(rows),
    }


def without_rows(dataset, numbers) -> tuple:
    """Return ``dataset`` less the rows ``numbers`` (1-based), and the kept rows' lines."""
    lines = file_lines(dataset)
    kept = tablib.Dataset(headers=dataset.headers)
    kept_lines = []
    for number, row in enumerate(dataset, 1):
        if number not in numbers:
            kept.append(row)
            kept_lines.append(lines[number - 1])
    return kept, kept_lines


@login_required
@require_POST
def import_confirm(request, kind):
    """Import the previewed file for real, in one transaction, or refuse it whole."""
    kind = kind_or_404(kind)
    check_permission(request, kind)
    try:
        ticket = signing.loads(
            request.POST.get("token", ""), salt=SIGNING_SALT, max_age=TOKEN_MAX_AGE
        )
    except signing.BadSignature:
        messages.error(request, "This preview has expired or is not valid: upload the file again.")
        return redirect("imports:upload", kind=kind.key)
    if ticket["kind"] != kind.key or ticket["user"] != request.user.pk:
        raise PermissionDenied("This preview belongs to another import.")
    storage = storage_for(ticket["format"], ticket["file"])
    try:
        data = storage.read()
    except FileNotFoundError:
        messages.error(request, "This file was already imported or has expired: upload it again.")
        return redirect("imports:upload", kind=kind.key)
    dataset = read_dataset(data, ticket["format"])
    skipped = set(ticket.get("skip", []))
    kept, lines = without_rows(dataset, skipped)
    with transaction.atomic():
        resource, result = run_import(
            kind, kept, dry_run=False, file_name=ticket["name"], user=request.user
        )
    rows = preview_rows(resource, result, kept, lines)
    if has_problems(result):
        context = {"kind": kind, "form": UploadForm(), "columns": kind.columns()}
        context.update(preview_context(result, rows, ticket["name"], dataset))
        context["changed_meanwhile"] = True
        storage.remove()
        return render(request, "imports/upload.html", context, status=409)
    storage.remove()
    counts = totals(rows)
    left_out = ""
    if skipped:
        skipped_lines = [file_lines(dataset)[number - 1] for number in sorted(skipped)]
        label = getattr(dataset, "line_label", "row")
        left_out = (
            f" {len(skipped)} row{'s' if len(skipped) > 1 else ''} with errors left out "
            f"({label}{'s' if len(skipped) > 1 else ''} {', '.join(map(str, skipped_lines))})."
        )
    messages.success(
        request,
        f"Imported {ticket['name']}: {counts['new']} new, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged.{left_out}",
    )
    return redirect("imports:upload", kind=kind.key)


def export(request, kind, fmt):
    """Return the filtered list (the list pages' query string) as CSV, XLSX or JSON."""
    kind = kind_or_404(kind)
    if fmt not in FORMATS:
        raise Http404("Export as csv, xlsx or json.")
    resource = kind.resource_class()
    # The resource adds what its columns need.
    queryset = visible_to(request.user, kind.model._default_manager.all())
    filterset = kind.filterset_class(request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound and not filterset.is_valid():
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items())
        return HttpResponse(f"Check the filters: {problems}", status=400, content_type="text/plain")
    dataset = resource.export(queryset=filterset.qs)
    file_format, content_type = FORMATS[fmt]
    response = HttpResponse(file_format().export_data(dataset), content_type=content_type)
    stamp = datetime.date.today().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{kind.key}-{stamp}.{fmt}"'
    return response


def export_urls(kind_key: str, query_string: str = "") -> dict[str, str]:
    """Return the export links of a list page: {"csv": url, "xlsx": url, "json": url}."""
    suffix = f"?{query_string}" if query_string else ""
    return {
        fmt: reverse("imports:export", kwargs={"kind": kind_key, "fmt": fmt}) + suffix
        for fmt in FORMATS
    }

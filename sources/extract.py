"""Turn an uploaded document into text, page by page, within limits.

PDF (pypdf, with Tesseract for pages without a text layer), DOCX (python-docx), HTML
(trafilatura, boilerplate removed) and plain text. The type is read from the content, not
from the name. The parsers run in a child process with a memory and a time limit, so a
hostile or broken file costs that child, never the server. Every refusal is an
``ExtractionError`` whose message is a sentence saying what to do next.

This module imports no Django: the child process runs it as ``python -m sources.extract``.
"""

from __future__ import annotations

import bisect
import io
import json
import os
import re
import resource
import subprocess
import sys
import zipfile
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = "text/html"
TEXT = "text/plain"
CONTENT_TYPES = {PDF: "a PDF", DOCX: "a Word document (DOCX)", HTML: "an HTML page", TEXT: "text"}
SUPPORTED = "Upload a PDF, a Word document (DOCX), an HTML page or a plain-text file."

# What a file's name says it is; text and HTML are one family (a page saved as .txt).
EXTENSION_FAMILIES = {
    ".pdf": {PDF},
    ".docx": {DOCX},
    ".html": {HTML, TEXT},
    ".htm": {HTML, TEXT},
    ".xhtml": {HTML, TEXT},
    ".txt": {HTML, TEXT},
    ".text": {HTML, TEXT},
    ".md": {HTML, TEXT},
}

PAGE_SEPARATOR = "\f"  # pages of ``ExtractedText.text``; pdftotext's convention too
MIN_TEXT_LAYER_CHARS = 20  # a PDF page with less text than this is read by OCR
OCR_LANGUAGE = "eng"
MEGABYTE = 1024 * 1024
HTML_SNIFF = re.compile(rb"<\s*(!doctype\s+html|html|head|body|p|div|article|title)\b", re.I)


class ExtractionError(Exception):
    """The document cannot be read; ``message`` says why and what to do next."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Limits:
    """How much a document may cost to read."""

    max_bytes: int = 50 * MEGABYTE
    max_unpacked_bytes: int = 200 * MEGABYTE  # a DOCX's parts, decompressed
    max_pages: int = 1000
    timeout_seconds: float = 120.0
    memory_bytes: int = 500 * MEGABYTE  # address space of the child process
    ocr: bool = True
    ocr_seconds_per_page: float = 30.0


@dataclass(frozen=True)
class Locator:
    """Where a passage starts: page and line, both counted from 1."""

    page: int
    line: int

    def __str__(self) -> str:
        return f"p. {self.page}, line {self.line}"


@dataclass
class ExtractedText:
    """A document's text, one string per page, and how it was read."""

    pages: list[str]
    content_type: str = TEXT
    ocr_pages: list[int] = field(default_factory=list)  # 1-based pages read by Tesseract
    title: str = ""
    peak_memory_bytes: int = 0  # of the child process that read it (0 when read in-process)

    @cached_property
    def text(self) -> str:
        """Return the whole text, pages separated by a form feed."""
        return PAGE_SEPARATOR.join(self.pages)

    @cached_property
    def _page_starts(self) -> list[int]:
        starts, offset = [], 0
        for page in self.pages:
            starts.append(offset)
            offset += len(page) + len(PAGE_SEPARATOR)
        return starts

    def locate(self, offset: int) -> Locator:
        """Return the page and line of a character offset into ``text``."""
        offset = max(0, min(offset, len(self.text)))
        index = max(0, bisect.bisect_right(self._page_starts, offset) - 1)
        start = self._page_starts[index]
        return Locator(index + 1, self.text.count("\n", start, offset) + 1)


# --------------------------------------------------------------------------- detection


def detect_type(data: bytes) -> str:
    """Return the content type of ``data`` from its bytes, or raise ExtractionError."""
    import filetype

    if data.lstrip()[:5] == b"%PDF-" or data[:1024].find(b"%PDF-") != -1:
        return PDF
    kind = filetype.guess(data)
    if kind is not None:
        if kind.mime == DOCX:
            return DOCX
        if kind.mime == "application/zip" and "word/document.xml" in (_zip_names(data) or ()):
            return DOCX
        raise ExtractionError(
            f"This file is {_describe(kind.mime, kind.extension)}, which the registry cannot "
            f"read. {SUPPORTED}"
        )
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractionError(f"This file is not a document the registry can read. {SUPPORTED}")
    if HTML_SNIFF.search(data[:4096]):
        return HTML
    return TEXT


def _describe(mime: str, extension: str) -> str:
    names = {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "a spreadsheet",
        "application/zip": "a ZIP archive",
        "application/msword": "an old Word document (DOC)",
    }
    return names.get(mime, f"a .{extension} file ({mime})")


def _zip_names(data: bytes) -> list[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return None


def check_name(filename: str | None, content_type: str) -> None:
    """Refuse a file whose name says one type while its content is another."""
    if not filename:
        return
    extension = Path(filename).suffix.lower()
    family = EXTENSION_FAMILIES.get(extension)
    if family is not None and content_type not in family:
        raise ExtractionError(
            f"The file is named “{Path(filename).name}” but its content is "
            f"{CONTENT_TYPES[content_type]}. Check that you chose the right file, or rename it."
        )


# --------------------------------------------------------------------------- entry points


def extract(
    data: bytes,
    *,
    filename: str | None = None,
    limits: Limits | None = None,
    isolated: bool = True,
) -> ExtractedText:
    """Read an uploaded file's text, within ``limits``, or raise ExtractionError.

    With ``isolated`` (the default) PDF, DOCX and HTML are parsed in a child process under
    a memory limit and a timeout; plain text is decoded here.
    """
    limits = limits or Limits()
    if len(data) > limits.max_bytes:
        raise ExtractionError(
            f"The file is {len(data) / MEGABYTE:.0f} MB; the limit is "
            f"{limits.max_bytes / MEGABYTE:.0f} MB. Upload a smaller file, or paste its text."
        )
    if not data.strip():
        raise ExtractionError("The file is empty. Choose the document's file, or paste its text.")
    content_type = detect_type(data)
    check_name(filename, content_type)
    if content_type == TEXT or not isolated:
        result = read(data, content_type, limits)
    else:
        result = _read_in_child(data, content_type, limits)
    result.pages = _clean_pages(result.pages)
    if not any(page.strip() for page in result.pages):
        raise ExtractionError(
            f"No text was found in this file ({CONTENT_TYPES[content_type]}). If it is a scan, "
            "upload a PDF of it; otherwise paste the text."
        )
    return result


def extract_text(text: str, *, limits: Limits | None = None) -> ExtractedText:
    """Wrap pasted text (pages split at form feeds), refusing empty or oversized text."""
    limits = limits or Limits()
    if not text or not text.strip():
        raise ExtractionError("The text is empty. Paste the document's text.")
    if len(text.encode("utf-8")) > limits.max_bytes:
        raise ExtractionError(
            f"The text is longer than {limits.max_bytes / MEGABYTE:.0f} MB. Paste a part of it."
        )
    return ExtractedText(pages=_clean_pages(text.split(PAGE_SEPARATOR)), content_type=TEXT)


def read(data: bytes, content_type: str, limits: Limits) -> ExtractedText:
    """Parse ``data`` of a known content type in this process."""
    readers = {PDF: read_pdf, DOCX: read_docx, HTML: read_html, TEXT: read_plain}
    return readers[content_type](data, limits)


def _read_in_child(data: bytes, content_type: str, limits: Limits) -> ExtractedText:
    """Run ``read`` in ``python -m sources.extract`` under the memory and time limits."""
    request = json.dumps({"content_type": content_type, "limits": asdict(limits)}).encode()

    project = str(Path(__file__).resolve().parent.parent)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [project, os.environ.get("PYTHONPATH")])),
    }
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "sources.extract"],
            input=len(request).to_bytes(4, "big") + request + data,
            capture_output=True,
            timeout=limits.timeout_seconds,
            cwd=project,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise ExtractionError(
            f"Reading the file took longer than {limits.timeout_seconds:.0f} seconds, so it "
            "was stopped. Upload a shorter document, or paste its text."
        ) from error
    try:
        answer = json.loads(completed.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        answer = None
    if not isinstance(answer, dict):
        if b"MemoryError" in completed.stderr or completed.returncode < 0:
            raise ExtractionError(
                f"Reading the file needed more than {limits.memory_bytes / MEGABYTE:.0f} MB of "
                "memory, so it was stopped. Upload a smaller document, or paste its text."
            )
        raise ExtractionError(
            "The file could not be read (the reader stopped unexpectedly). Upload it as "
            "another format, or paste its text."
        )
    if "error" in answer:
        raise ExtractionError(answer["error"])
    return ExtractedText(
        pages=answer["pages"],
        content_type=content_type,
        ocr_pages=answer.get("ocr_pages", []),
        title=answer.get("title", ""),
        peak_memory_bytes=int(answer.get("peak_memory_bytes", 0)),
    )


def _child_main() -> None:
    """Read one request from stdin, answer on stdout as JSON (the child's side)."""
    stream = sys.stdin.buffer
    size = int.from_bytes(stream.read(4), "big")
    request = json.loads(stream.read(size))
    data = stream.read()
    limits = Limits(**request["limits"])
    # Set here, not between fork and exec: the server's own (large) memory is not the child's.
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    try:
        result = read(data, request["content_type"], limits)
        answer = {"pages": result.pages, "ocr_pages": result.ocr_pages, "title": result.title}
    except ExtractionError as error:
        answer = {"error": error.message}
    except MemoryError:
        answer = {
            "error": f"Reading the file needed more than {limits.memory_bytes / MEGABYTE:.0f} "
            "MB of memory, so it was stopped. Upload a smaller document, or paste its text."
        }
    answer["peak_memory_bytes"] = peak_memory()
    sys.stdout.write(json.dumps(answer))


def peak_memory() -> int:
    """Return this process's peak resident memory in bytes (VmHWM, reset by exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# --------------------------------------------------------------------------- readers


# What no kept text holds: NUL and lone surrogates (PostgreSQL cannot store them), and the
# two private-use characters full-text search marks its matches with (sources.choices).
UNKEPT = re.compile("[\x00\ud800-\udfff\ue000\ue001]")


def _clean_pages(pages: list[str]) -> list[str]:
    """Normalise line ends and drop what cannot be kept; keep the rest as the document has it."""
    return [UNKEPT.sub("", page.replace("\r\n", "\n").replace("\r", "\n")) for page in pages]


def read_plain(data: bytes, limits: Limits) -> ExtractedText:
    """Decode plain text (UTF-8, UTF-16 with a BOM, else the most likely encoding)."""
    return ExtractedText(pages=_clean_pages(decode(data).split(PAGE_SEPARATOR)), content_type=TEXT)


def decode(data: bytes) -> str:
    """Return ``data`` as text: BOM first, then UTF-8, then charset-normalizer's best guess."""
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        return str(best) if best is not None else data.decode("latin-1")


def read_html(data: bytes, limits: Limits) -> ExtractedText:
    """Return an HTML page's main text, without navigation, footers and other boilerplate."""
    import trafilatura

    html = decode(data)
    text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True)
    if not text:
        # A page that is all "boilerplate" to trafilatura (a bare fragment): its visible text.
        from lxml import html as lxml_html

        try:
            text = lxml_html.fromstring(html).text_content()
        except (ValueError, TypeError) as error:
            raise ExtractionError(
                "The HTML page could not be read. Save it again from the browser, or paste "
                "its text."
            ) from error
    title = ""
    metadata = trafilatura.extract_metadata(html)
    if metadata is not None and metadata.title:
        title = metadata.title
    return ExtractedText(pages=_clean_pages([text]), content_type=HTML, title=title)


def read_docx(data: bytes, limits: Limits) -> ExtractedText:
    """Return a Word document's paragraphs and tables, pages split where Word broke them."""
    check_zip(data, limits)
    import docx
    from docx.oxml.ns import qn

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many kinds for a damaged package
        raise ExtractionError(
            "The Word document could not be opened (it looks damaged). Save it again from "
            "Word, or upload a PDF of it."
        ) from error
    pages: list[list[str]] = [[]]
    body = document.element.body
    for block in body.iterchildren():
        if block.tag == qn("w:p"):
            breaks = block.findall(".//" + qn("w:lastRenderedPageBreak")) + [
                br for br in block.findall(".//" + qn("w:br")) if br.get(qn("w:type")) == "page"
            ]
            if breaks and pages[-1]:
                pages.append([])
            pages[-1].append("".join(node.text or "" for node in block.iter(qn("w:t"))))
        elif block.tag == qn("w:tbl"):
            for row in block.iter(qn("w:tr")):
                cells = [
                    "".join(node.text or "" for node in cell.iter(qn("w:t")))
                    for cell in row.iter(qn("w:tc"))
                ]
                pages[-1].append(" | ".join(cells))
        if len(pages) > limits.max_pages:
            raise _too_many_pages(limits)
    title = document.core_properties.title or ""
    return ExtractedText(
        pages=_clean_pages(["\n".join(lines) for lines in pages]), content_type=DOCX, title=title
    )


def check_zip(data: bytes, limits: Limits) -> None:
    """Refuse a ZIP package that unpacks past the limit (a "zip bomb") or is damaged."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise ExtractionError(
            "The Word document could not be opened (it looks damaged). Save it again from "
            "Word, or upload a PDF of it."
        ) from error
    if unpacked > limits.max_unpacked_bytes:
        raise ExtractionError(
            f"The document unpacks to {unpacked / MEGABYTE:.0f} MB, more than the "
            f"{limits.max_unpacked_bytes / MEGABYTE:.0f} MB allowed. Remove large pictures "
            "or upload a PDF of it."
        )


def _too_many_pages(limits: Limits) -> ExtractionError:
    return ExtractionError(
        f"The document has more than {limits.max_pages} pages. Upload the part that matters."
    )


def read_pdf(data: bytes, limits: Limits) -> ExtractedText:
    """Return a PDF's text page by page; pages without a text layer are read by OCR."""
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _decrypts_without_password(reader):
            raise ExtractionError(
                "The PDF is encrypted (it needs a password to open). Upload a copy without "
                "a password."
            )
        if len(reader.pages) > limits.max_pages:
            raise _too_many_pages(limits)
        pages, scanned = [], []
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            if len(text.strip()) < MIN_TEXT_LAYER_CHARS:
                scanned.append(number)
            pages.append(text)
    except ExtractionError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ExtractionError(
            "The PDF could not be read (it looks damaged or incomplete). Save it again from "
            "the program that made it, or paste its text."
        ) from error
    ocr_pages = _ocr_pages(reader, scanned, pages, limits) if scanned else []
    title = ""
    try:
        title = (reader.metadata and reader.metadata.title) or ""
    except (PdfReadError, ValueError, KeyError, TypeError):
        title = ""
    return ExtractedText(
        pages=_clean_pages(pages), content_type=PDF, ocr_pages=ocr_pages, title=str(title)
    )


def _decrypts_without_password(reader) -> bool:
    """Return True for a PDF locked only against editing (empty user password)."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # pypdf raises DependencyError, NotImplementedError, PdfReadError…
        return False


def _ocr_pages(reader, numbers: list[int], pages: list[str], limits: Limits) -> list[int]:
    """Read the images of ``numbers`` with Tesseract into ``pages``; return pages read."""
    if not limits.ocr:
        if all(not page.strip() for page in pages):
            raise ExtractionError(
                "This PDF has no text layer (it is a scan) and reading scans is switched "
                "off. Upload a PDF with text, or paste the text."
            )
        return []
    import pytesseract

    try:
        pytesseract.get_tesseract_version()
    except (pytesseract.TesseractNotFoundError, OSError) as error:
        if all(not page.strip() for page in pages):
            raise ExtractionError(
                "This PDF has no text layer (it is a scan) and the server cannot read scans: "
                "Tesseract is not installed. Ask an administrator to install tesseract-ocr, "
                "or paste the text."
            ) from error
        return []
    read_pages = []
    for number in numbers:
        texts = []
        for image in reader.pages[number - 1].images:
            try:
                picture = image.image
                if picture is None:
                    continue
                texts.append(
                    pytesseract.image_to_string(
                        picture, lang=OCR_LANGUAGE, timeout=limits.ocr_seconds_per_page
                    )
                )
            except RuntimeError as error:  # pytesseract's timeout
                raise ExtractionError(
                    f"Reading the scanned page {number} took longer than "
                    f"{limits.ocr_seconds_per_page:.0f} seconds. Upload a PDF with a text "
                    "layer, or paste the text."
                ) from error
            except (OSError, ValueError, pytesseract.TesseractError):
                continue
        if texts:
            pages[number - 1] = "\n".join(texts)
            read_pages.append(number)
    return read_pages


if __name__ == "__main__":
    _child_main()

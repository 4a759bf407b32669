"""Extraction: each format page by page, content over name, limits, refusals in words."""

import io
import os
import shutil
import zipfile

import docx
import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from sources.extract import (
    DOCX,
    HTML,
    PDF,
    TEXT,
    ExtractionError,
    Limits,
    Locator,
    extract,
    extract_text,
)

NEWS = "A high-level delegation from Chongqing visited the City of Mannheim on 9 July 2018."


def make_pdf(pages: list[str], **encryption) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    if encryption:
        pdf.set_encryption(**encryption)
    return bytes(pdf.output())


def make_docx(*paragraphs: str, page_break_after: int | None = None) -> bytes:
    document = docx.Document()
    for number, text in enumerate(paragraphs):
        document.add_paragraph(text)
        if number == page_break_after:
            document.add_page_break()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def refusal(data: bytes, **kwargs) -> str:
    with pytest.raises(ExtractionError) as error:
        extract(data, **kwargs)
    return error.value.message


def test_pdf_keeps_its_pages_and_lines():
    data = make_pdf(["Cover page", f"Contents\n{NEWS}"])
    result = extract(data, filename="report.pdf")
    assert result.content_type == PDF
    assert len(result.pages) == 2
    assert "Chongqing" in result.pages[1]
    assert result.locate(result.text.index("Chongqing")) == Locator(page=2, line=2)
    assert 0 < result.peak_memory_bytes < 500 * 1024 * 1024


def test_docx_paragraphs_and_page_breaks():
    result = extract(make_docx("Cover", NEWS, page_break_after=0), filename="news.docx")
    assert result.content_type == DOCX
    assert len(result.pages) == 2
    assert NEWS in result.pages[1]


def test_html_loses_its_boilerplate():
    page = (
        "<html><head><title>IUC Asia</title></head><body><nav>Home | About | Contact</nav>"
        f"<article><h1>News</h1><p>{NEWS} The delegation discussed two pilot projects with "
        "the city authorities and business stakeholders.</p></article>"
        "<footer>Copyright 2018 All rights reserved</footer></body></html>"
    ).encode()
    result = extract(page, filename="news.html")
    assert result.content_type == HTML
    assert NEWS in result.text
    assert "Contact" not in result.text
    assert "Copyright" not in result.text


def test_plain_text_is_decoded_and_split_at_form_feeds():
    result = extract(f"Page one\f{NEWS}".encode("utf-16"), filename="news.txt")
    assert result.content_type == TEXT
    assert result.pages == ["Page one", NEWS]


def test_pasted_text_is_one_document():
    assert extract_text(NEWS).pages == [NEWS]
    with pytest.raises(ExtractionError, match="empty"):
        extract_text("  \n ")


def test_type_comes_from_the_content_not_the_name():
    message = refusal(make_pdf([NEWS]), filename="news.docx")
    assert message == (
        "The file is named “news.docx” but its content is a PDF. Check that you chose the "
        "right file, or rename it."
    )
    assert extract(make_pdf([NEWS]), filename="upload.bin").content_type == PDF


def test_spreadsheet_is_refused_with_what_to_upload():
    import openpyxl

    workbook = openpyxl.Workbook()
    buffer = io.BytesIO()
    workbook.save(buffer)
    message = refusal(buffer.getvalue(), filename="members.xlsx")
    assert "spreadsheet" in message
    assert "Upload a PDF, a Word document (DOCX), an HTML page or a plain-text file." in message


def test_encrypted_pdf_is_refused():
    data = make_pdf([NEWS], owner_password="owner", user_password="secret")
    assert "encrypted" in refusal(data, filename="locked.pdf")


def test_corrupt_pdf_is_refused():
    data = make_pdf([NEWS])
    message = refusal(data[: len(data) // 3], filename="broken.pdf")
    assert "could not be read" in message or "No text" in message


def test_empty_and_oversized_files_are_refused():
    assert refusal(b"   ") == "The file is empty. Choose the document's file, or paste its text."
    message = refusal(b"x" * 3000, limits=Limits(max_bytes=2000))
    assert "the limit is" in message


def test_docx_that_unpacks_past_the_limit_is_refused():
    data = make_docx(NEWS)
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", b"\0" * 5_000_000)
    message = refusal(buffer.getvalue(), limits=Limits(max_unpacked_bytes=1_000_000))
    assert "more than the 1 MB allowed" in message


def test_damaged_docx_is_refused():
    data = make_docx(NEWS)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                target.writestr(item, source.read(item))
        target.writestr("word/document.xml", b"<not-xml")
    assert "damaged" in refusal(buffer.getvalue(), filename="news.docx")


def test_reading_past_the_time_limit_is_stopped():
    message = refusal(make_pdf([NEWS]), limits=Limits(timeout_seconds=0.001))
    assert "took longer than" in message


def test_reading_past_the_memory_limit_is_stopped():
    message = refusal(make_pdf([NEWS]), limits=Limits(memory_bytes=20 * 1024 * 1024))
    assert "memory" in message or "stopped unexpectedly" in message


def scanned_pdf(text: str) -> bytes:
    image = Image.new("L", (1400, 200), 255)
    font = ImageFont.load_default(size=48)
    ImageDraw.Draw(image).text((30, 60), text, fill=0, font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(io.BytesIO(buffer.getvalue()), x=10, y=10, w=190)
    return bytes(pdf.output())


def test_scanned_pdf_is_read_with_tesseract():
    if shutil.which("tesseract") is None and os.environ.get("CI") != "true":
        pytest.skip("Tesseract (Debian's tesseract-ocr) is not installed here")
    result = extract(scanned_pdf("Delegation from Chongqing to Mannheim"))
    assert result.ocr_pages == [1]
    assert "Chongqing" in result.text


def test_scan_without_ocr_is_refused_with_a_sentence():
    message = refusal(scanned_pdf("Delegation"), limits=Limits(ocr=False))
    assert "no text layer" in message

"""Upload to proposals, timed: a generated 40-page PDF report and a one-page news item.

    .venv/bin/python -m bench.intake

Each document goes the way an upload will: bytes → ``extract`` (the child process with
its memory and time limits) → ``propose`` against a registry that holds none of it. The
gazetteer is built once per server process, so it is loaded before the clock starts
(its own load time is printed apart). Targets: under 10 s for the report, under 1 s for
the news item, and under 500 MB for the process that reads the PDF.
"""

from __future__ import annotations

import os
import sys
import time

REPORT_PAGES = 40
TARGET_REPORT_SECONDS = 10.0
TARGET_NEWS_SECONDS = 1.0

NEWS = (
    "Visit of an official delegation from Chongqing to Mannheim\n\n"
    "A high-level delegation from Chongqing visited the City of Mannheim on 9 July 2018. The "
    "delegation, headed by the Director General of the Chongqing Development and Reform "
    "Commission (DRC), discussed with Mannheim city authorities the implementation of two "
    "pilot projects.\n\nEU Cities Preparatory Meeting in Brussels\n\nA preparatory meeting "
    "for EU pilot cities was held in Brussels on June 7, preparing the mission to China in "
    "July 2018."
)


def report_pages() -> list[str]:
    """Return 40 pages of a report made from the seed documents' text, page after page."""
    from imports.seed.read import SEEDS_DIR

    text = "\n\n".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS_DIR.glob("*.txt")))
    lines = [line for line in text.splitlines() if line.strip()]
    per_page = max(1, len(lines) * 2 // REPORT_PAGES)
    pages = []
    for number in range(REPORT_PAGES):
        start = (number * per_page) % max(1, len(lines) - per_page)
        pages.append("\n".join(lines[start : start + per_page]))
    return pages


def make_pdf(pages: list[str]) -> bytes:
    """Return a PDF with one page per string (fpdf2, a core font)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=9)
    pdf.set_auto_page_break(auto=False)
    for text in pages:
        pdf.add_page()
        safe = text.encode("latin-1", "replace").decode("latin-1")
        pdf.multi_cell(0, 4, safe[:6000])
    return bytes(pdf.output())


def time_upload(data: bytes, filename: str, registry) -> tuple[float, int, int]:
    """Return seconds from bytes to proposals, the number of proposals, and peak bytes."""
    from intake.proposals import propose
    from sources.extract import extract

    started = time.perf_counter()
    document = extract(data, filename=filename)
    proposals = propose(document, registry)
    return time.perf_counter() - started, len(proposals.all()), document.peak_memory_bytes


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citypairing.settings")
    import django

    django.setup()
    from intake.registry import Registry

    started = time.perf_counter()
    registry = Registry()
    registry.city_names, registry.ocr_names  # noqa: B018 — build the indexes before timing
    print(f"gazetteer and name indexes: {time.perf_counter() - started:.1f} s (once per process)")

    pdf = make_pdf(report_pages())
    seconds, count, peak = time_upload(pdf, "report.pdf", registry)
    print(
        f"{REPORT_PAGES}-page PDF ({len(pdf) / 1024:.0f} KB): {seconds:.2f} s, {count} "
        f"proposals, reader's peak memory {peak / 2**20:.0f} MB "
        f"(target < {TARGET_REPORT_SECONDS:.0f} s, < 500 MB)"
    )
    ok = seconds < TARGET_REPORT_SECONDS and peak < 500 * 2**20

    seconds, count, _ = time_upload(NEWS.encode(), "news.txt", registry)
    target = f"target < {TARGET_NEWS_SECONDS:.0f} s"
    print(f"1-page news item: {seconds:.2f} s, {count} proposals ({target})")
    ok = ok and seconds < TARGET_NEWS_SECONDS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

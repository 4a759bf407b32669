"""Check the seed fixtures: a quote not in its document, a reference to nothing, a record
without a quote."""

from __future__ import annotations

from collections import Counter

from imports.seed.read import CITIES_FILE, SEEDS_DIR, SeedData, quote_line


def check(data: SeedData) -> list[str]:
    """Return every problem with the fixtures, in words (an empty list when all is well)."""
    errors = list(data.errors)
    for slug, source in data.sources.items():
        if not (SEEDS_DIR / source.get("seed_file", "")).is_file():
            errors.append(f"source {slug}: no seed file “{source.get('seed_file')}” in {SEEDS_DIR}")
    for records in data.records.values():
        for record in records.values():
            if not record.quotes:
                errors.append(f"{record}: no quote supports it (give a cite)")
            for quote in record.quotes:
                source = data.sources.get(quote.source)
                if source is None:
                    errors.append(f"{record}: unknown source “{quote.source}”")
                elif quote_line(source["seed_file"], quote.text) is None:
                    errors.append(
                        f"{record}: “{quote.text}” is not in {source['seed_file']} "
                        "(quote it exactly as the document has it)"
                    )
                elif len(quote.text) > 2000:
                    errors.append(f"{record}: a quote is longer than 2,000 characters")
    errors += check_references(data)
    primary = Counter(
        (r.quotes[0].source, r.quotes[0].text)
        for r in data.records["activity"].values()
        if r.quotes
    )
    errors += [
        f"activity: first quote “{text}” is shared by {n} activities; give each its own"
        for (_, text), n in primary.items()
        if n > 1
    ]
    return errors


def check_references(data: SeedData) -> list[str]:
    """Return references to cities, networks, programmes, streams or pairings that do not exist."""
    errors = []
    known = {kind: set(records) for kind, records in data.records.items()}

    def expect(record, kind, slug):
        if slug and slug not in known[kind]:
            errors.append(f"{record}: no {kind} “{slug}”")

    for record in data.records["network"].values():
        expect(record, "network", record.fields.get("parent"))
        expect(record, "city", record.fields.get("city"))
        if not record.fields.get("name"):
            errors.append(f"{record}: cited but never defined (give its name)")
    for record in data.records["city"].values():
        if not record.fields.get("name"):
            errors.append(f"{record}: cited but not defined in {CITIES_FILE}")
    for (network, member_kind, member), record in data.records["membership"].items():
        expect(record, "network", network)
        expect(record, member_kind, member)
    for record in data.records["programme"].values():
        for role in record.fields.get("networks", []):
            expect(record, "network", role["network"])
    for record in data.records["stream"].values():
        expect(record, "programme", record.fields.get("programme"))
        for member in record.fields.get("members", []):
            expect(record, "city", member.get("city"))
            expect(record, "network", member.get("network"))
    for record in data.records["pairing"].values():
        expect(record, "programme", record.fields.get("programme"))
        expect(record, "stream", record.fields.get("stream"))
        for participant in record.fields.get("participants", []):
            expect(record, "city", participant.get("city"))
        if not record.fields.get("history"):
            errors.append(f"{record}: give its status history (at least one step)")
    for record in data.records["activity"].values():
        for name, kind in (
            ("programme", "programme"),
            ("stream", "stream"),
            ("pairing", "pairing"),
            ("location_city", "city"),
        ):
            expect(record, kind, record.fields.get(name))
        for slug in record.fields.get("cities", []):
            expect(record, "city", slug)
        for slug in record.fields.get("organisers", []):
            expect(record, "network", slug)
    return errors

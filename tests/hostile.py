"""Hostile input for fuzzing: what an attacker, a broken client or a careless paste sends.

``hostile_values()`` lists strings by kind (NUL and control characters, lone surrogates,
very long text, SQL/HTML/JS/template metacharacters, bidi and invisible characters,
homoglyphs, huge, negative and zero numbers, malformed dates and dates out of range,
percent-encoding garbage, deep JSON). Each knows how to travel in a query string
(``Hostile.query``): text is percent-encoded as UTF-8 (lone surrogates as the invalid
bytes a client would send), garbage is sent exactly as written.

``with_query(url, name, value)`` builds the address; the fuzz tests (``tests/fuzz/``)
send every value to every parameter of every page and API list and expect no 5xx.
"""

import os
from dataclasses import dataclass
from urllib.parse import quote

LONG = 10_000  # characters: more than any field holds, well within what servers accept
DEEP = 1_000  # levels of nesting: past Python's recursion limit


@dataclass(frozen=True)
class Hostile:
    """One hostile value: a label for reports, its text, and optionally its raw encoding."""

    kind: str
    label: str
    text: str
    raw: str | None = None  # sent as is in a query string (percent-encoding garbage)

    @property
    def query(self) -> str:
        """Return the value as it travels in a query string."""
        if self.raw is not None:
            return self.raw
        return quote(self.text.encode("utf-8", "surrogatepass"), safe="")

    def __str__(self):
        return f"{self.kind}:{self.label}"


def _values(kind: str, pairs: dict[str, str]) -> list[Hostile]:
    return [Hostile(kind, label, text) for label, text in pairs.items()]


def hostile_values() -> list[Hostile]:
    """Return every hostile value, grouped by kind."""
    values = []
    values += _values(
        "control",
        {
            "nul": "\x00",
            "nul-inside": "Wichit\x00City",
            "bell-escape-del": "\x07\x1b[31m\x7f",
            "newlines": "a\r\nSet-Cookie: x=1\r\n",
            "tab": "\t",
            "c1": "\x85\x9b",
        },
    )
    values += _values(
        "surrogate",
        {"lone-high": "\ud800", "lone-low": "x\udfff", "reversed-pair": "\udc00\ud800"},
    )
    values += _values(
        "long",
        {
            "letters": "x" * LONG,
            "digits": "9" * LONG,
            "words": "Wichit " * (LONG // 7),
            "repeated-parameters": ",".join(["a"] * 2_000),
        },
    )
    values += _values(
        "sql",
        {
            "quote": "' OR '1'='1",
            "comment": "1; DROP TABLE cities_city; --",
            "like-wildcards": "%_%\\",
            "backslash": "\\",
            "dollar-quote": "$$; SELECT 1; $$",
            "regex": ".*(a+)+$[",
            "tsquery": "!&|:*()<->",
        },
    )
    values += _values(
        "markup",
        {
            "script": "<script>alert(1)</script>",
            "attribute": '"><img src=x onerror=alert(1)>',
            "javascript-url": "javascript:alert(1)",
            "django-template": "{{ request }}{% debug %}",
            "format-string": "%s%n%x{0}{}",
            "csv-formula": '=HYPERLINK("http://evil.example","x")',
            "path-traversal": "../../../../etc/passwd",
        },
    )
    values += _values(
        "unicode",
        {
            "bidi-override": "\u202eevil\u202c",
            "zero-width": "Wi\u200bchit\u200d\ufeff",
            "ideographic-space": "\u3000",
            "homoglyph-cyrillic": "Ваngkоk",
            "homoglyph-fullwidth": "Ｗｉｃｈｉｔ",
            "dotted-capital-i": "İstanbul",
            "ligature": "ﬁﬂ",
            "combining": "e\u0301\u0301\u0301",
            "emoji": "🏙️👩🏽‍🤝‍👩🏻",
            "astral": "\U0010ffff",
        },
    )
    values += _values(
        "number",
        {
            "zero": "0",
            "negative": "-1",
            "minus-zero": "-0",
            "int32-overflow": "2147483648",
            "int64-overflow": "9223372036854775808",
            "huge": "9" * 40,
            "huge-negative": "-" + "9" * 40,
            "float": "1.5",
            "exponent": "1e309",
            "nan": "NaN",
            "infinity": "Infinity",
            "hex": "0x10",
            "superscript-digit": "²",
            "arabic-indic-digits": "٣٤",
            "padded": "  7  ",
        },
    )
    values += _values(
        "date",
        {
            "feb-30": "2026-02-30",
            "month-13": "2026-13-01",
            "month-zero": "2026-00",
            "year-zero": "0000-01-01",
            "short": "26-3-1",
            "slashes": "2026/03/01",
            "words": "March 2026",
            "bad-time": "2026-03-01T25:61:61Z",
            "offset-garbage": "2026-03-01T00:00:00+99:99",
            "year-one": "0001-01-01",
            "year-one-month": "0001-01",
            "year-9999": "9999-12-31",
            "year-9999-month": "9999-12",
            "five-digit-year": "10000-01-01",
            "negative-year": "-2026-01-01",
            "year-only-huge": "99999999",
        },
    )
    values += [
        Hostile("percent", "lone", "", raw="%"),
        Hostile("percent", "bad-hex", "", raw="%zz%G0"),
        Hostile("percent", "truncated-utf8", "", raw="%E0%A4%A"),
        Hostile("percent", "overlong-utf8", "", raw="%C0%AE%C0%AE%2F"),
        Hostile("percent", "invalid-utf8", "", raw="%FF%FE%FD"),
        Hostile("percent", "double-encoded-nul", "", raw="%2500"),
        Hostile("percent", "ampersand-equals", "", raw="a=b&=&&=c"),
        Hostile("percent", "plus-and-space", "", raw="+%20+"),
    ]
    values += _values(
        "structure",
        {
            "empty": "",
            "spaces": "   ",
            "deep-json-array": "[" * DEEP + "]" * DEEP,
            "deep-json-object": '{"a":' * DEEP + "1" + "}" * DEEP,
            "json-null": "null",
            "json-list": '["a", 1, null]',
            "comma-list": "a,b,,c,",
            "boolean-words": "maybe",
        },
    )
    return values


# FUZZ_FULL=1 sends every value to every parameter (an hour); by default each parameter of
# a page is sent the core values and one share of the others (a few minutes).
FULL = os.environ.get("FUZZ_FULL") == "1"
SHARES = 10
# Always sent to every parameter: one of each kind that reached PostgreSQL or Python's
# date arithmetic unchecked before.
CORE = {
    "control:nul",
    "surrogate:lone-high",
    "percent:invalid-utf8",
    "long:digits",
    "number:superscript-digit",
    "sql:like-wildcards",
    "number:int64-overflow",
    "date:year-9999",
    "date:year-one-month",
}


def sample(values: list[Hostile], index: int, count: int) -> list[Hostile]:
    """Return the values parameter ``index`` of ``count`` (of one page) is sent.

    Each gets the ``CORE`` values and its share of the others, so that the ``count``
    parameters together are sent every value; with ``FUZZ_FULL=1``, each gets them all.
    """
    shares = 1 if FULL else max(1, min(SHARES, count))
    return [
        value
        for position, value in enumerate(values)
        if str(value) in CORE or (position + index) % shares == 0
    ]


def with_query(url: str, name: str, value: Hostile) -> str:
    """Return ``url`` with the parameter ``name`` set to ``value`` (added to its query)."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{quote(name, safe='')}={value.query}"

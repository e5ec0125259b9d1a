"""The site speaks in the dataset's voice: the checks of the tables (neutral-voice, privacy) on its text.

Two layers: the fixed text of every template (Jinja tags and HTML tags stripped: the words the editors
typed), and every page of a built site, as a reader sees it. On a page, an element marked
``data-voice="attributed"`` holds a source's or a party's words (titles, evidence quotes, publisher
names) and one marked ``data-voice="code"`` an identifier; only the text outside both must read as the
dataset's own words, while privacy (no private person's name) holds for all of it, as in the tables.
Text a reader meets in ``alt``, ``title``, ``aria-label`` and ``placeholder`` counts as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

import amaz_detainees
from amaz_detainees.checks import VOICES, Vocabulary, text_problems
from amaz_detainees.package import shipped
from amaz_detainees.report import Problem

from .faults.corpus import FICTITIOUS_NAME

TEMPLATES = Path(amaz_detainees.__file__).resolve().parent / "site" / "templates"
JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.S)
# Elements that run inside a line of text: anything else starts a new piece of text (a cell, an item).
INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q",
                    "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "tspan"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                  "wbr"})
SKIPPED = frozenset({"script", "style", "template"})
READ_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")


class VisibleText(HTMLParser):
    """Pieces of visible text with their voice: ``dataset`` unless inside an element marked ``data-voice``
    (``attributed`` or ``code``; the innermost mark wins); script and style are skipped. A piece ends at
    every block element and where the voice changes, so a quotation never spans two table cells."""

    def __init__(self, honour_marks: bool = True) -> None:
        super().__init__(convert_charrefs=True)
        self.honour_marks = honour_marks
        self.stack: list[tuple[str, str | None]] = []
        self.pieces: list[tuple[str, str]] = []
        self._text: list[str] = []
        self._voice = "dataset"

    def _voice_now(self, extra: str | None = None) -> str | None:
        voice = "dataset"
        for tag, mark in self.stack:
            if tag in SKIPPED:
                return None
            voice = mark or voice
        return extra or voice

    def _flush(self) -> None:
        text = "".join(self._text)
        if text.strip():
            self.pieces.append((self._voice, " ".join(text.split())))
        self._text = []

    def _add(self, text: str, voice: str) -> None:
        if voice != self._voice:
            self._flush()
            self._voice = voice
        self._text.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in INLINE:
            self._flush()
        values = dict(attrs)
        mark = values.get("data-voice") if self.honour_marks else None
        assert mark is None or mark in VOICES, f"data-voice={mark!r} is not a voice"
        voice = self._voice_now(mark)
        if voice is not None:
            for name in READ_ATTRIBUTES:
                if values.get(name):
                    self._flush()
                    self.pieces.append((voice, " ".join(str(values[name]).split())))
        if tag not in VOID:
            self.stack.append((tag, mark))

    def handle_endtag(self, tag: str) -> None:
        if tag not in INLINE:
            self._flush()
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        voice = self._voice_now()
        if voice is not None:
            self._add(data, voice)

    def close(self) -> None:
        super().close()
        self._flush()


def visible_text(html: str, honour_marks: bool = True) -> list[tuple[str, str]]:
    parser = VisibleText(honour_marks)
    parser.feed(html)
    parser.close()
    return parser.pieces


def template_text(path: Path) -> list[tuple[str, str]]:
    """The fixed words of a template: Jinja tags blanked, then its visible text, all in the dataset's voice."""
    return visible_text(JINJA.sub(" ", path.read_text(encoding="utf-8")), honour_marks=False)


def check(pieces: list[tuple[str, str]], where: str, vocabulary: Vocabulary) -> Iterator[tuple[Problem, str]]:
    """Dataset-voice pieces get both checks; attributed and code pieces, privacy only."""
    for voice, text in pieces:
        for problem in text_problems(text, where, vocabulary, "dataset" if voice == "dataset" else "attributed"):
            yield problem, text


def report(found: list[tuple[Problem, str]]) -> str:
    lines = [f"{problem}\n    in: {text[:200]!r}" for problem, text in found[:40]]
    more = f"\n... and {len(found) - 40} more" if len(found) > 40 else ""
    return f"{len(found)} problem(s) in the site's text:\n" + "\n".join(lines) + more


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary.of_package(shipped())


# The extraction and the checker on free text

def test_visible_text_keeps_voices_apart() -> None:
    html = ('<html><head><title>T</title><style>p{}</style><script>var hostages;</script></head><body>'
            '<p>Freed near <a data-voice="attributed" title="Source headline">Shusha</a> on day one.</p>'
            '<table><tr><td>one</td><td><code data-voice="code">ev-1</code></td></tr></table>'
            '<img alt="A chart"></body></html>')
    assert visible_text(html) == [("dataset", "T"), ("dataset", "Freed near"), ("attributed", "Source headline"),
                                  ("attributed", "Shusha"), ("dataset", "on day one."), ("dataset", "one"),
                                  ("code", "ev-1"), ("dataset", "A chart")]
    assert ("dataset", "Shusha on day one.") in visible_text(html, honour_marks=False)


def test_template_text_is_the_fixed_words() -> None:
    assert JINJA.sub(" ", '<p>{# note #}Held {{ n | num }} by {% if x %}one{% else %}two{% endif %}.</p>') \
        == "<p> Held   by  one two .</p>"


@pytest.mark.parametrize(("text", "voice", "checks"), [
    ("Of the 23, 6 are prisoners of war.", "dataset", {"neutral-voice"}),
    ('Of the 23, 6 the NGO calls "prisoners of war".', "dataset", set()),
    ("Of the 23, 6 are prisoners of war.", "attributed", set()),
    ("Handed over near Shusha.", "dataset", {"neutral-voice"}),
    ("Handed over near Shushi / Shusha.", "dataset", set()),
    ("Handed over near Shusha.", "attributed", set()),
    ("Nikol Pashinyan and Ilham Aliyev signed it.", "dataset", set()),
    (f"{FICTITIOUS_NAME} was released.", "dataset", {"privacy"}),
    (f"{FICTITIOUS_NAME} was released.", "attributed", {"privacy"}),
    (f"{FICTITIOUS_NAME}, a hostage.", "code", set()),
])
def test_text_problems_applies_the_table_checks_to_free_text(vocabulary: Vocabulary, text: str, voice: str,
                                                            checks: set[str]) -> None:
    problems = text_problems(text, "page.html", vocabulary, voice)
    assert {p.check for p in problems} == checks
    assert all((p.table, p.row, p.field) == ("page.html", None, None) for p in problems)


def test_text_problems_knows_only_the_four_voices(vocabulary: Vocabulary) -> None:
    with pytest.raises(ValueError, match="unknown voice"):
        text_problems("text", "page.html", vocabulary, "editorial")


# The site's text

def test_the_fixed_text_of_every_template_is_in_the_dataset_voice(vocabulary: Vocabulary) -> None:
    templates = sorted(TEMPLATES.glob("*.html"))
    if not templates:
        pytest.skip("the site has no templates yet")
    found = [hit for path in templates for hit in check(template_text(path), f"templates/{path.name}", vocabulary)]
    assert found == [], report(found)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from amaz_detainees.site import build_site

    out = tmp_path_factory.mktemp("site-voice") / "site"
    build_site(out)
    return out


@pytest.mark.slow
def test_every_page_of_the_built_site_passes_the_voice_checks(built_site: Path, vocabulary: Vocabulary) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert pages, "the build wrote no page"
    found = [hit for page in pages
             for hit in check(visible_text(page.read_text(encoding="utf-8")),
                              page.relative_to(built_site).as_posix(), vocabulary)]
    assert found == [], report(found)

"""The English interface: pages read in English once the language is switched, the English catalogue has no
untranslated or fuzzy entry (so a new string cannot slip in untranslated), the compiled .mo files match the
.po files, and numbers and dates follow each language's format module (tthtcd_portal/formats/<lang>).

To translate new strings: make messages, then scripts/translate_en.py lists what is missing."""

import ast
import datetime
import gettext
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


# --- A minimal .po reader (polib is a developer tool, not a dependency) ---------------------------------


def read_po(path: Path) -> list[dict]:
    """Entries as dicts: msgctxt, msgid, msgid_plural, msgstr (str, or list of plural forms), flags."""
    entries, entry, field = [], None, None

    def close():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#~"):  # blank line ends an entry; obsolete entries are not used
            if not line:
                close()
                entry, field = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": None}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, tuple):
                entry["msgstr"][field[1]] += value
            else:
                entry[field] += value
        else:
            keyword, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            plural = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if plural:
                if not isinstance(entry["msgstr"], list):
                    entry["msgstr"] = []
                entry["msgstr"].append(value)
                field = ("msgstr", int(plural.group(1)))
            else:
                entry[keyword] = value
                field = keyword
    close()
    return entries


def english_entries() -> list[dict]:
    return [e for e in read_po(LOCALE / "en" / "LC_MESSAGES" / "django.po") if e["msgid"]]


def label(entry: dict) -> str:
    return f"{entry['msgctxt']}|{entry['msgid']}" if entry["msgctxt"] else entry["msgid"]


# --- The catalogues --------------------------------------------------------------------------------------


def test_every_english_entry_is_translated_and_none_is_fuzzy():
    entries = english_entries()
    assert len(entries) > 500  # the reader found the catalogue, not an empty file
    untranslated = [
        label(e) for e in entries if not e["msgstr"] or (isinstance(e["msgstr"], list) and not all(e["msgstr"]))
    ]
    fuzzy = [label(e) for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == [], "untranslated (run scripts/translate_en.py): " + "; ".join(untranslated[:20])
    assert fuzzy == [], "fuzzy (check and remove the flag): " + "; ".join(fuzzy[:20])


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_catalogue_header_is_not_fuzzy_so_msgfmt_keeps_charset_and_plural_rule(lang):
    text = (LOCALE / lang / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    header = text.split('msgid ""', 1)[0]
    assert "fuzzy" not in header
    assert f'"Language: {lang}\\n"' in text


def test_english_translations_keep_every_placeholder():
    wrong = []
    for e in english_entries():
        names = set(PLACEHOLDER.findall(e["msgid"]))
        if not names and "%%" not in e["msgid"]:
            continue
        forms = e["msgstr"] if isinstance(e["msgstr"], list) else [e["msgstr"]]
        for i, form in enumerate(forms):
            used = set(PLACEHOLDER.findall(form))
            # A singular form may leave out the count ("the following centre"); nothing else may go missing.
            missing = names - used - ({"n"} if isinstance(e["msgstr"], list) and i == 0 else set())
            try:
                form % {name: 1 for name in names}
            except (KeyError, ValueError, TypeError) as exc:
                wrong.append(f"{label(e)}: {exc}")
            if missing or used - names:
                wrong.append(f"{label(e)}: placeholders {sorted(used)} ≠ {sorted(names)}")
    assert wrong == []


def test_compiled_english_catalogue_matches_the_po_file():
    """compilemessages was run after the last change to the .po (the .mo is what Django reads)."""
    with open(LOCALE / "en" / "LC_MESSAGES" / "django.mo", "rb") as mo_file:
        mo = gettext.GNUTranslations(mo_file)
    stale = []
    for e in english_entries():
        if e["msgid_plural"]:
            got = [mo.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
        elif e["msgctxt"]:
            got = mo.pgettext(e["msgctxt"], e["msgid"])
        else:
            got = mo.gettext(e["msgid"])
        if got != e["msgstr"]:
            stale.append(label(e))
    assert stale == [], "run compilemessages: " + "; ".join(stale[:20])


# --- Pages in English ------------------------------------------------------------------------------------


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_footer_language_switch_turns_the_login_page_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    html = client.get(reverse("accounts:login")).content.decode()

    assert '<html lang="en">' in html
    assert "Log in" in html
    assert "Đăng nhập" not in html


@pytest.mark.django_db
def test_login_page_is_vietnamese_by_default(client):
    html = client.get(reverse("accounts:login")).content.decode()

    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert "Log in" not in html


@pytest.mark.parametrize(
    ("url_name", "english_heading", "vietnamese_heading"),
    [
        ("home", "Hello, ", "Xin chào"),
        ("centres:list", "Community learning centres", "Trung tâm học tập cộng đồng</h1>"),
        ("courses:list", "Classes and talks", "Lớp học, chuyên đề"),
        ("evaluations:home", "Evaluation and rating ", "Đánh giá xếp loại năm"),
        ("reports:dashboard", "Province figures", "Số liệu toàn tỉnh"),
    ],
)
def test_each_app_page_has_its_english_heading(world, client_for, url_name, english_heading, vietnamese_heading):
    client = english(client_for(world.official))

    response = client.get(reverse(url_name))

    html = response.content.decode()
    assert response.status_code == 200
    assert english_heading in html
    assert vietnamese_heading not in html
    assert ">Log out<" in html and ">Centres<" in html  # the shared navigation and user menu too


def test_centre_staff_navigation_is_english(world, client_for):
    html = english(client_for(world.staff_a)).get(reverse("home")).content.decode()

    assert ">My centre<" in html
    assert ">Classes<" in html
    assert "Trung tâm của tôi" not in html


# --- Numbers and dates follow the language's format module ---------------------------------------------

FIGURES = Template(
    '{% load humanize %}{{ big|intcomma }} | {{ share|floatformat:"1g" }} | {{ day|date:"SHORT_DATE_FORMAT" }}'
    ' | {{ moment|date:"SHORT_DATETIME_FORMAT" }}'
)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("vi", "1.500.000 | 55,2 | 24/11/2026 | 14:05 24/11/2026"),
        ("en", "1,500,000 | 55.2 | 24/11/2026 | 14:05 24/11/2026"),
    ],
)
def test_numbers_and_dates_follow_the_language_format_module(lang, expected):
    context = Context(
        {
            "big": 1500000,
            "share": Decimal("55.24"),
            "day": datetime.date(2026, 11, 24),
            "moment": datetime.datetime(2026, 11, 24, 14, 5),  # noqa: DTZ001 - a naive value is enough for formatting
        }
    )
    with translation.override(lang):
        assert FIGURES.render(context) == expected


@pytest.mark.parametrize(("lang", "typed"), [("vi", "24/11/2026"), ("en", "24/11/2026")])
def test_date_typed_dd_mm_yyyy_is_read_in_both_languages(lang, typed):
    from django import forms

    class DayForm(forms.Form):
        day = forms.DateField()

    with translation.override(lang):
        form = DayForm(data={"day": typed})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2026, 11, 24)


# --- No interface text outside the translation machinery ---------------------------------------------------

ROOT = Path(settings.BASE_DIR)
VIETNAMESE = re.compile("[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.IGNORECASE)
# errors/500.html is rendered without the template machinery that could have failed, and says it in both
# languages itself.
STATIC_TEMPLATES = {"errors/500.html"}
TRANSLATED = [
    re.compile(r"\{%\s*blocktranslate.*?endblocktranslate\s*%\}", re.S),
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*translate\s+(\"[^\"]*\"|'[^']*')[^%]*%\}"),
    re.compile(r"_\((\"[^\"]*\"|'[^']*')\)"),  # filter arguments: |default:_("…")
]


def test_templates_have_no_vietnamese_text_outside_translate_tags():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        name = path.relative_to(ROOT / "templates").as_posix()
        if name in STATIC_TEMPLATES:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in TRANSLATED:
            text = pattern.sub("", text)
        found += [f"{name}: {line.strip()[:80]}" for line in text.splitlines() if VIETNAMESE.search(line)]
    assert found == []


def test_views_and_forms_have_no_vietnamese_text_outside_gettext():
    gettext_names = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
    found = []
    for path in sorted(ROOT.glob("*/views.py")) + sorted(ROOT.glob("*/forms.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inside = set()
        for node in ast.walk(tree):
            func = getattr(node, "func", None)
            if isinstance(node, ast.Call) and getattr(func, "id", getattr(func, "attr", None)) in gettext_names:
                inside |= {id(child) for child in ast.walk(node)}
        for node in ast.walk(tree):
            docstring = isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Module)) and ast.get_docstring(node)
            if docstring:
                inside.add(id(node.body[0].value))
        found += [
            f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:60]!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and VIETNAMESE.search(node.value)
            and id(node) not in inside
        ]
    assert found == []

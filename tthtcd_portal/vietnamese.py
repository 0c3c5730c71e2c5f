"""Vietnamese text: one spelling for names that look the same, and the Vietnamese alphabetical order.

`clean_name` turns what an editor or a spreadsheet did to a name back into one spelling: Unicode NFC (a Mac
editor writes NFD), every kind of space collapsed to one (non-breaking, zero-width, double spaces), and the
tone mark of the open syllables oa, oe, uy on the same letter ("Hoà" and "Hòa" are one name; see
docs/units.md for why "Hòa" wins).

`sort_key` is the Vietnamese order of the CLDR "vi" collation that PostgreSQL's ICU uses: the letters
a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y (f, j, w, z in their Latin places), tones second
(none, huyền, hỏi, ngã, sắc, nặng), case third, and numbers by value ("Phường 2" before "Phường 10").
SQLite gets it as the collation "vi" on every connection (`register_sqlite_collation`); PostgreSQL gets the
same order from an ICU collation of the same name (units/migrations/0002). Order querysets with `by_name`
and people with `person_order`; sort Python lists with `sort_key`.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from django.db.models import CharField, F, Value
from django.db.models.functions import Collate, Concat, Reverse, Right, StrIndex

COLLATION = "vi"
# ICU locale of the PostgreSQL collation: Vietnamese, numbers compared by value (kn).
ICU_LOCALE = "vi-u-kn-true"

# --- One spelling ------------------------------------------------------------------------------------

GRAVE, ACUTE, TILDE, HOOK, DOT = "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"
TONES = (GRAVE, HOOK, TILDE, ACUTE, DOT)  # in collation order: huyền < hỏi < ngã < sắc < nặng
BREVE, CIRCUMFLEX, HORN = "\u0306", "\u0302", "\u031b"
VOWELS = set("aeiouy")
# Characters that are not spaces to Python but are invisible in an editor: zero-width space and joiners,
# the byte-order mark a text editor leaves in the middle of a pasted line, the soft hyphen.
STRAY = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# The Icelandic capital eth looks exactly like Đ and is what some keyboards and code pages give for it.
STRAY[ord("\u00d0")] = "\u0110"
WORD = re.compile(r"\w+")


def _clusters(word: str) -> list[list]:
    """NFD letters with their combining marks: "hoà" → [["h", []], ["o", []], ["a", ["̀"]]]."""
    out: list[list] = []
    for char in unicodedata.normalize("NFD", word):
        if unicodedata.combining(char) and out:
            out[-1][1].append(char)
        else:
            out.append([char, []])
    return out


def _tone_on_first_vowel(match: re.Match) -> str:
    """oa, oe, uy ending a syllable carry the tone on o/u ("hòa", "khỏe", "thụy"), never on a/e/y."""
    word = match.group(0)
    clusters = _clusters(word)
    if len(clusters) < 2:
        return word
    (first, first_marks), (second, second_marks) = clusters[-2], clusters[-1]
    pair = (first + second).lower()
    if pair not in ("oa", "oe", "uy"):
        return word
    tones = [m for m in second_marks if m in TONES]
    if not tones or first_marks or [m for m in second_marks if m not in TONES]:
        return word
    before = clusters[-3][0].lower() if len(clusters) >= 3 else ""
    if before in VOWELS or before == "q":
        return word  # "quý", "quỳ": the u belongs to qu-, so the tone stays on y
    clusters[-2][1] = tones
    clusters[-1][1] = []
    return unicodedata.normalize("NFC", "".join(base + "".join(marks) for base, marks in clusters))


def clean_name(value: object) -> str:
    """The one spelling of a name, whatever an editor did to it (see the module's docstring)."""
    if value is None:
        return ""
    return _clean(value if isinstance(value, str) else str(value))


@functools.lru_cache(maxsize=65536)
def _clean(text: str) -> str:
    # Cached: a list of 10,000 communes repeats its province and district names on every row.
    text = " ".join(unicodedata.normalize("NFC", text).translate(STRAY).split())
    return WORD.sub(_tone_on_first_vowel, text)


# --- Vietnamese order --------------------------------------------------------------------------------

ALPHABET = tuple("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
LETTER_RANK = {letter: rank for rank, letter in enumerate(ALPHABET)}
MODIFIED = {("a", BREVE): "ă", ("a", CIRCUMFLEX): "â", ("e", CIRCUMFLEX): "ê", ("o", CIRCUMFLEX): "ô"}
MODIFIED |= {("o", HORN): "ơ", ("u", HORN): "ư"}
TONE_RANK = {tone: rank for rank, tone in enumerate(TONES, start=1)}
# Classes in ICU's order: spaces < punctuation and symbols < digits < letters < anything else.
SPACE, PUNCTUATION, NUMBER, LETTER, OTHER = range(5)
DIGITS = re.compile(r"[0-9]+")


@functools.lru_cache(maxsize=65536)
def sort_key(value: str) -> tuple:
    """(primary, secondary, tertiary) weights: compare letters, then tones, then case, as ICU "vi" does."""
    primary: list[tuple[int, int]] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    clusters = _clusters(value or "")
    index = 0
    while index < len(clusters):
        base, marks = clusters[index]
        if base.isdigit() and base.isascii():
            digits = base
            while index + 1 < len(clusters) and clusters[index + 1][0].isascii() and clusters[index + 1][0].isdigit():
                index += 1
                digits += clusters[index][0]
            primary.append((NUMBER, int(digits)))
            secondary.append(0)
            tertiary.append(0)
            index += 1
            continue
        lower = base.lower()
        letter = lower
        tone = 0
        for mark in marks:
            if mark in TONE_RANK:
                tone = TONE_RANK[mark]
            elif (letter, mark) in MODIFIED:
                letter = MODIFIED[(letter, mark)]
        if letter in LETTER_RANK:
            primary.append((LETTER, LETTER_RANK[letter]))
        elif base.isspace():
            primary.append((SPACE, 0))
        elif unicodedata.category(base)[0] in "PSZ":
            primary.append((PUNCTUATION, ord(base)))
        else:
            primary.append((OTHER, ord(lower)))
        secondary.append(tone)
        tertiary.append(1 if base != lower else 0)
        index += 1
    return tuple(primary), tuple(secondary), tuple(tertiary)


def compare(a: str, b: str) -> int:
    """A collation function for SQLite: -1, 0 or 1. Equal keys fall back to the code points (ICU's
    deterministic collations do the same), so two different strings never compare equal."""
    key_a, key_b = sort_key(a), sort_key(b)
    if key_a != key_b:
        return -1 if key_a < key_b else 1
    return (a > b) - (a < b)


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    """connection_created receiver (units.apps): SQLite connections learn the "vi" collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, compare)


# --- Ordering expressions ----------------------------------------------------------------------------


def by_name(field: str = "name", *, descending: bool = False):
    """ORDER BY `field` in Vietnamese order, on SQLite and PostgreSQL alike."""
    expression = Collate(F(field), COLLATION)
    return expression.desc() if descending else expression.asc()


def given_name(field: str = "full_name"):
    """The last word of a full name ("Nguyễn Thị Lan" → "Lan"): the tên that Vietnamese lists sort by. Built of
    Django's own functions only, so models' Meta.ordering (and the migrations that record it) need no code of
    ours. A space is put in front so that a one-word name has a last space too; on SQLite, REVERSE is the
    function Django registers on every connection."""
    spaced = Concat(Value(" "), F(field), output_field=CharField())
    return Right(spaced, StrIndex(Reverse(spaced), Value(" ")) - 1)


def person_order(field: str = "full_name") -> list:
    """Vietnamese lists of people: by given name, then family and middle names (the whole name), in Vietnamese
    order. "Trần Văn An" comes before "Nguyễn Thị Bình"."""
    return [Collate(given_name(field), COLLATION).asc(), Collate(F(field), COLLATION).asc()]


def person_sort_key(full_name: str) -> tuple:
    """person_order for Python lists."""
    name = full_name or ""
    return sort_key(name.rsplit(" ", 1)[-1]), sort_key(name)

"""The English catalogue's last pass: what is still untranslated, with the domain's words to hand.

    .venv/bin/python manage.py makemessages -l vi -l en --no-location --ignore ".venv/*" --ignore "staticfiles/*"
    .venv/bin/python scripts/translate_en.py                  # list untranslated/fuzzy msgids, with glossary hints
    .venv/bin/python scripts/translate_en.py --json todo.json # ... and write them as {"msgid": ""} to fill in
    .venv/bin/python scripts/translate_en.py --apply todo.json  # fill msgstrs from the filled-in file, then:
    .venv/bin/python manage.py compilemessages --ignore ".venv/*"

In the JSON, a plural entry's value is a list [singular, plural]; an entry with a context (pgettext) is keyed
"context\u0004msgid", as gettext itself joins them. Placeholders (%(name)s, and %% for a
literal percent in python-format strings) must be kept exactly; msgfmt -c (run by --apply) says when not.
Every run also cleans both catalogues' headers (no "fuzzy" header: msgfmt would drop it, and with it the
charset and plural rule). Exit status 1 while anything is untranslated, so CI or the lead can check it;
tests/portal/test_i18n.py checks the same thing without polib.

polib is a developer tool only (pip install polib); it is not in requirements.
"""

import argparse
import datetime
import json
import re
import subprocess
import sys
from pathlib import Path

try:
    import polib
except ImportError:  # pragma: no cover - a message, not a crash
    sys.exit("This script needs polib: .venv/bin/pip install polib (developer tool, not in requirements).")

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = {lang: ROOT / "locale" / lang / "LC_MESSAGES" / "django.po" for lang in ("en", "vi")}
PLURAL_FORMS = {"en": "nplurals=2; plural=(n != 1);", "vi": "nplurals=1; plural=0;"}

# The domain's words as the English catalogue renders them (see /work/shared/DOMAIN.md). Longest first
# when hinting, so "Phòng GD&ĐT" wins over "GD&ĐT". Keep in step with the catalogue when a term changes.
TERMS = {
    # Organisations and people
    "Trung tâm học tập cộng đồng": "Community learning centre",
    "TTHTCĐ": "TTHTCĐ",
    "trung tâm": "centre",
    "TT": "centre (abbreviation in table headings); No. (in numbered lists)",
    "Phòng GD&ĐT": "District Education Office",
    "Sở GD&ĐT": "Provincial Department of Education and Training",
    "Sở": "the Provincial Department",
    "UBND": "People's Committee",
    "Hội Khuyến học": "Study Promotion Association",
    "Ban Giám đốc": "management board",
    "Giám đốc": "Director",
    "Phó Giám đốc": "Deputy Director",
    "Ủy viên": "Member",
    "Cán bộ TTHTCĐ": "Centre staff",
    "chuyên viên": "official / reviewer",
    "quản trị hệ thống": "system administrator",
    "đơn vị đánh giá": "reviewing office",
    "giảng viên": "instructor",
    "giáo viên": "teacher",
    "báo cáo viên": "speaker",
    "hướng dẫn viên": "skills guide",
    "cộng tác viên": "collaborator",
    "chuyên trách": "full-time",
    "kiêm nhiệm": "part-time",
    "nhiệm kỳ": "term",
    # Units
    "tỉnh": "province",
    "huyện": "district",
    "quận": "urban district",
    "thị xã": "town",
    "thành phố": "city",
    "xã": "commune",
    "phường": "ward",
    "thị trấn": "township",
    "đặc khu": "special zone",
    "cụm xã, phường": "cluster of communes and wards",
    "đơn vị hành chính": "administrative unit",
    "Tổng cục Thống kê": "General Statistics Office",
    "sáp nhập": "merge / merger",
    "giải thể": "dissolved",
    # Classes and figures
    "lớp học": "class",
    "chuyên đề": "talk",
    "buổi học": "session",
    "buổi": "session",
    "loại chương trình": "programme kind",
    "người học": "learner",
    "học viên": "learner",
    "lượt người học": "learner-participations",
    "lượt": "participations",
    "người dự": "attendance / present",
    "dân tộc thiểu số": "ethnic minority",
    "DTTS": "ethnic min.",
    "ghi danh": "enrol / enrolment",
    "điểm danh": "attendance / take the attendance",
    "sổ điểm danh": "attendance register",
    "địa điểm": "venue",
    "đơn vị phối hợp": "partner organisation",
    "số liệu": "figures",
    "cơ sở vật chất": "facilities",
    "thư viện/tủ sách": "library/bookshelf",
    "lượt bạn đọc": "reader visits",
    "quyết định thành lập": "establishment decision",
    # Evaluation
    "đánh giá": "evaluation",
    "tự đánh giá": "self-assessment",
    "thẩm định": "review",
    "đề xuất": "propose / proposed",
    "phê duyệt": "approve / approval",
    "khóa": "lock / locked",
    "trả lại": "return / returned",
    "xếp loại": "rating",
    "Tốt": "Good",
    "Khá": "Fair",
    "Trung bình": "Average",
    "Yếu": "Weak",
    "bộ tiêu chí": "rubric",
    "tiêu chí": "criterion",
    "ngưỡng": "threshold",
    "nhóm nội dung": "content group",
    "điểm": "points / score",
    "hạn": "deadline / due",
    "quá hạn": "overdue",
    "minh chứng": "evidence",
    "phiếu đánh giá": "evaluation form",
    "tệp đính kèm": "attachment",
    "mẫu khởi đầu": "starter template",
    # Reports
    "báo cáo": "report",
    "xuất Excel": "export to Excel",
    "chạy nền": "background",
    "năm gốc": "base year",
    "tỷ lệ": "share",
    "điểm phần trăm": "percentage points",
    "phương pháp phần dư lớn nhất": "largest remainder method",
    # Interface verbs
    "Lưu": "Save",
    "Sửa": "Edit",
    "Xóa": "Delete",
    "Thêm": "Add",
    "Hủy": "Cancel",
    "Xem": "View",
    "Lọc": "Filter",
    "Tải lên": "Upload",
    "Tải về": "Download",
    "Nhập": "Import",
    "Đăng nhập": "Log in",
    "Đăng xuất": "Log out",
    "Dòng %(row)s, cột «%(column)s»": "Row %(row)s, column «%(column)s»",
}


def clean_header(po: "polib.POFile", lang: str) -> None:
    po.metadata_is_fuzzy = False
    po.metadata.update(
        {
            "Project-Id-Version": "tthtcd-portal",
            "Last-Translator": "TTHTCĐ portal team",
            "Language": lang,
            "Language-Team": "English" if lang == "en" else "Vietnamese (source language)",
            "Plural-Forms": PLURAL_FORMS[lang],
            "Content-Type": "text/plain; charset=UTF-8",
        }
    )


def pending(po: "polib.POFile") -> list:
    """Entries still to translate: empty msgstr (or any empty plural form) or marked fuzzy."""
    out = []
    for entry in po:
        if entry.obsolete:
            continue
        empty = any(not s for s in entry.msgstr_plural.values()) if entry.msgid_plural else not entry.msgstr
        if empty or "fuzzy" in entry.flags:
            out.append(entry)
    return out


def hints(msgid: str) -> list[str]:
    found, rest = [], msgid.lower()
    for term in sorted(TERMS, key=len, reverse=True):
        if re.search(r"(?<!\w)" + re.escape(term.lower()) + r"(?!\w)", rest):
            found.append(f"{term} → {TERMS[term]}")
            rest = rest.replace(term.lower(), " ")
    return found


def key(entry: "polib.POEntry") -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def apply(po: "polib.POFile", path: Path) -> int:
    filled = json.loads(path.read_text(encoding="utf-8"))
    by_id = {key(e): e for e in po if not e.obsolete}
    count = 0
    for msgid, value in filled.items():
        entry = by_id.get(msgid)
        if entry is None or not value:
            continue
        if entry.msgid_plural:
            singular, plural = value if isinstance(value, list) else (value, value)
            entry.msgstr_plural = {0: singular, 1: plural}
        else:
            entry.msgstr = value if isinstance(value, str) else value[0]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = None
        count += 1
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, help="write the pending msgids to this file as a JSON object")
    parser.add_argument("--apply", type=Path, help="fill msgstrs from this JSON object {msgid: msgstr}")
    args = parser.parse_args()

    for lang, path in CATALOGUES.items():
        if path.exists():
            po = polib.pofile(str(path))
            clean_header(po, lang)
            po.save()

    po = polib.pofile(str(CATALOGUES["en"]))
    if args.apply:
        print(f"filled {apply(po, args.apply)} entries from {args.apply}")
        po.metadata["PO-Revision-Date"] = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M%z")
        po.save()
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(CATALOGUES["en"])], check=True)

    todo = pending(po)
    for entry in todo:
        flag = " (fuzzy: check the guess)" if "fuzzy" in entry.flags else ""
        print(f"• {key(entry)!r}" + (f"  |  plural: {entry.msgid_plural}" if entry.msgid_plural else "") + flag)
        if "fuzzy" in entry.flags:
            print(f"    guess: {entry.msgstr or entry.msgstr_plural}")
        for hint in hints(entry.msgid):
            print(f"    {hint}")
    if args.json:
        # A fuzzy entry starts from msgmerge's guess; an empty one from "".
        data = {
            key(e): [e.msgstr_plural.get(0, ""), e.msgstr_plural.get(1, "")] if e.msgid_plural else e.msgstr
            for e in todo
        }
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {len(todo)} pending msgids to {args.json}")
    print(f"{len(todo)} of {len([e for e in po if not e.obsolete])} English entries still to translate.")
    return 1 if todo else 0


if __name__ == "__main__":
    sys.exit(main())

"""Reading uploaded spreadsheets (.xlsx, .csv) safely, and staging an upload between preview and confirm.

Used by every importer (administrative units, class lists). A crafted file — not a spreadsheet, a zip
bomb, absurd dimensions, too many rows — is refused with a clear Vietnamese message before it is parsed,
in bounded time and memory.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import secrets
import time
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from tthtcd_portal.uploads import upload_too_large
from tthtcd_portal.vietnamese import clean_name

ALLOWED_SUFFIXES = {".xlsx", ".csv"}
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_COLUMNS = 60
# Rows are numbered in the file: a sheet may skip numbers (blank rows are not stored), and openpyxl fills
# the gaps with empty rows. A row numbered far beyond the data limit is a crafted file, not a long list.
MAX_BLANK_ROWS = 5000
# A sheet that declares more than this many columns is refused before any cell is read.
MAX_DECLARED_COLUMNS = 1000


class SpreadsheetError(ValueError):
    """A file that cannot be read; the message is shown to the user as it is."""


def _suffix(name: str) -> str:
    return Path(name or "").suffix.lower()


def check_upload(uploaded) -> None:
    """Size and type, before anything else reads the file."""
    too_large = upload_too_large(uploaded)
    if too_large:
        raise SpreadsheetError(too_large)
    if _suffix(uploaded.name) not in ALLOWED_SUFFIXES:
        raise SpreadsheetError(_("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))


def _check_xlsx_container(fileobj) -> None:
    """Look at the zip's directory only (declared sizes, names): nothing is decompressed here.

    The declared sizes are what bounds memory later too: zipfile never returns more than a member's
    declared size, so a member that lies about its size fails its CRC check instead of filling memory."""
    not_xlsx = SpreadsheetError(_("Tệp không phải là bảng tính Excel (.xlsx) hợp lệ."))
    try:
        if not zipfile.is_zipfile(fileobj):
            raise not_xlsx
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
    except SpreadsheetError:
        raise
    except Exception as exc:  # a damaged directory: BadZipFile, ValueError, NotImplementedError, …
        raise not_xlsx from exc
    total = sum(info.file_size for info in infos)
    compressed = sum(info.compress_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES or (compressed and total / compressed > MAX_COMPRESSION_RATIO):
        raise SpreadsheetError(_("Tệp Excel có cấu trúc bất thường (dung lượng giải nén quá lớn), không đọc."))
    if "xl/workbook.xml" not in names:
        raise not_xlsx
    fileobj.seek(0)


def _cell(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    return value


def read_table(fileobj, name: str, *, max_rows: int) -> tuple[list[str], Iterator[tuple[int, list]]]:
    """Return the header (stripped strings) and an iterator of (row number as the user sees it, cells).

    Blank rows are skipped. More than `max_rows` data rows is an error raised while iterating.
    """
    suffix = _suffix(name)
    if suffix == ".xlsx":
        return _read_xlsx(fileobj, max_rows=max_rows)
    if suffix == ".csv":
        return _read_csv(fileobj, max_rows=max_rows)
    raise SpreadsheetError(_("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))


def _too_many(max_rows: int) -> SpreadsheetError:
    return SpreadsheetError(_("Tệp có quá nhiều dòng (tối đa %(max)s dòng dữ liệu).") % {"max": max_rows})


def _read_xlsx(fileobj, *, max_rows: int):
    from openpyxl import load_workbook

    _check_xlsx_container(fileobj)
    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many types for a malformed workbook
        raise SpreadsheetError(_("Không đọc được tệp Excel: tệp hỏng hoặc không đúng định dạng.")) from exc
    _check_declared_size(sheet, max_rows=max_rows)
    last_row = max_rows + 1 + MAX_BLANK_ROWS  # header + data + tolerated blank rows
    rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS, max_row=last_row + 1)
    try:
        header_row = next(rows)
    except StopIteration:
        raise SpreadsheetError(_("Tệp trống: không có dòng tiêu đề.")) from None
    except Exception as exc:  # the sheet's XML is only parsed while iterating (read-only mode)
        raise SpreadsheetError(_("Không đọc được tệp Excel: tệp hỏng hoặc không đúng định dạng.")) from exc
    header = [str(c).strip() if c is not None else "" for c in header_row]
    while header and header[-1] == "":
        header.pop()

    def body():
        count = 0
        try:
            for number, row in enumerate(rows, start=2):
                if number > last_row:
                    raise _too_many(max_rows)
                cells = [_cell(c) for c in row]
                if all(c is None or c == "" for c in cells):
                    continue
                count += 1
                if count > max_rows:
                    raise _too_many(max_rows)
                yield number, cells
        except SpreadsheetError:
            raise
        except Exception as exc:  # malformed XML further down the sheet
            raise SpreadsheetError(
                _("Không đọc được tệp Excel: tệp hỏng hoặc không đúng định dạng (gần dòng %(row)s).")
                % {"row": count + 2}
            ) from exc
        finally:
            workbook.close()

    return header, body()


def _check_declared_size(sheet, *, max_rows: int) -> None:
    """Refuse a sheet whose declared dimension (<dimension ref="A1:XFD1048576"/>) is absurd, before any cell
    is read. A file without a declared dimension is bounded while reading instead (read_table's row limit)."""
    declared_rows, declared_columns = sheet.max_row, sheet.max_column
    if (declared_rows or 0) > max_rows + 1 + MAX_BLANK_ROWS or (declared_columns or 0) > MAX_DECLARED_COLUMNS:
        raise SpreadsheetError(
            _(
                "Bảng tính khai báo kích thước bất thường (%(rows)s dòng × %(columns)s cột; tối đa %(max)s dòng "
                "dữ liệu), không đọc."
            )
            % {"rows": declared_rows, "columns": declared_columns, "max": max_rows}
        )


# Excel's "CSV (Comma delimited)" writes the machine's code page: Windows-1258 on a Vietnamese Windows, which
# decodes exactly; Windows-1252 (an English Windows) has already replaced the missing letters by "?", and
# TCVN3 or VNI text decodes to letters Vietnamese does not have. Those two are refused.
LEGACY_CODEPAGE = "cp1258"
VIETNAMESE_LETTERS = set(
    "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
    "\u00a0–—‘’“”…«»·°"
)
DELIMITERS = (",", ";", "\t")


LOST_LETTER = re.compile(r"\w\?|\?\w")


def lost_letters_hint() -> str:
    return _(
        "Các chữ có dấu đã bị thay bằng «?» khi lưu tệp (Excel lưu CSV theo bảng mã của máy): trong Excel hãy "
        "chọn Lưu thành → «CSV UTF-8 (Comma delimited)», hoặc gửi tệp .xlsx."
    )


def _resave_as_utf8(text: str) -> SpreadsheetError:
    if LOST_LETTER.search(text):
        return SpreadsheetError(_("Tệp CSV không lưu bằng bảng mã UTF-8.") + " " + lost_letters_hint())
    return SpreadsheetError(
        _(
            "Tệp CSV không lưu bằng bảng mã UTF-8 và không đọc được bằng bảng mã tiếng Việt của Windows "
            "(có thể là TCVN3/ABC hoặc VNI). Hãy mở tệp trong Excel, chọn Lưu thành → «CSV UTF-8 (Comma "
            "delimited)», hoặc gửi tệp .xlsx."
        )
    )


def decode_csv(raw: bytes) -> str:
    """The text of a CSV as Excel or an editor saved it: UTF-8 with or without BOM, UTF-16 with BOM (Excel's
    "Unicode Text"), or Windows-1258; in NFC, since a Mac editor writes decomposed letters (NFD)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif raw.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        return unicodedata.normalize("NFC", raw.decode(encoding))
    except UnicodeDecodeError:
        if encoding != "utf-8":
            raise SpreadsheetError(
                _("Tệp CSV bị hỏng: có byte không đúng bảng mã %(encoding)s.") % {"encoding": encoding}
            ) from None
    text = unicodedata.normalize("NFC", raw.decode(LEGACY_CODEPAGE, errors="replace"))
    if any(ord(char) > 127 and char not in VIETNAMESE_LETTERS for char in text):
        raise _resave_as_utf8(text)
    return text


def _delimiter(text: str) -> tuple[str, str]:
    """The separator of the header line (Excel with Vietnamese regional settings writes ";"), and the text
    without Excel's "sep=;" hint line if it has one."""
    first, _newline, rest = text.partition("\n")
    hint = first.strip().lower()
    if hint.startswith("sep=") and len(hint) == 5:
        return first.strip()[4], rest
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return (best if counts[best] else ","), text


def _read_csv(fileobj, *, max_rows: int):
    raw = fileobj.read(settings.MAX_UPLOAD_BYTES + 1)
    text = raw if isinstance(raw, str) else decode_csv(raw)
    if "\x00" in text:
        raise SpreadsheetError(_("Tệp không phải là tệp CSV văn bản."))
    delimiter, text = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise SpreadsheetError(_("Tệp trống: không có dòng tiêu đề.")) from None
    except csv.Error as exc:
        raise SpreadsheetError(_("Tệp CSV không đúng định dạng.")) from exc
    while header and header[-1] == "":
        header.pop()

    def body():
        count = 0
        try:
            for number, row in enumerate(reader, start=2):
                cells = [c.strip() for c in row[:MAX_COLUMNS]]
                if all(c == "" for c in cells):
                    continue
                count += 1
                if count > max_rows:
                    raise _too_many(max_rows)
                yield number, cells
        except csv.Error as exc:
            raise SpreadsheetError(_("Tệp CSV không đúng định dạng.")) from exc

    return header, body()


def header_key(text: str) -> str:
    """A column name as the importers compare it: case, spacing, NFC and tone placement do not matter."""
    return clean_name(text).casefold()


def find_columns(header: list[str], *, required: list[str], optional: list[str] = ()) -> dict[str, int]:
    """The position of each known column, by name: columns in any order, any capitalisation and spacing,
    extra columns ignored. A missing required column or a known column twice raises SpreadsheetError."""
    wanted = {header_key(name): name for name in [*required, *optional]}
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = wanted.get(header_key(cell or ""))
        if name is None:
            continue
        if name in found:
            raise SpreadsheetError(
                _("Dòng tiêu đề có hai cột «%(column)s» (cột %(first)s và cột %(second)s).")
                % {"column": name, "first": found[name] + 1, "second": index + 1}
            )
        found[name] = index
    missing = [name for name in required if name not in found]
    if missing:
        hint = ""
        if any(LOST_LETTER.search(cell or "") for cell in header):
            hint = " " + lost_letters_hint()
        raise SpreadsheetError(
            _("Dòng tiêu đề không đúng mẫu: thiếu cột %(missing)s. Cần các cột: %(expected)s.")
            % {"missing": ", ".join(f"«{m}»" for m in missing), "expected": " | ".join([*required, *optional])}
            + hint
        )
    return found


# --- Staging: keep an upload between the preview and the confirmation -----------------------------


def _staging_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "staged-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stage_upload(uploaded) -> str:
    """Save the upload under a random token; the token (kept in the user's session) finds it again."""
    token = secrets.token_urlsafe(16) + _suffix(uploaded.name)
    with open(_staging_dir() / token, "wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    return token


def staged_path(token: str) -> Path | None:
    # The token comes from the session, but never trust a path: one plain name in the staging folder.
    if not token or "/" in token or "\\" in token or token.startswith("."):
        return None
    path = _staging_dir() / token
    return path if path.is_file() else None


def upload_preview(request, form, parse, *, session_key: str, centre_pk: int) -> dict:
    """Step 1 of every import, once its form is valid: check the upload, read every row with `parse(file, name)`
    and, when no row is bad, stage the file under `session_key` in the session (with the centre), so that the
    confirmation reads exactly what was previewed. Returns the template's `result` and `file_name`; a file that
    cannot be read is an error on the form and {}. Writes nothing to the database."""
    uploaded = form.cleaned_data["file"]
    try:
        check_upload(uploaded)
        result = parse(uploaded, uploaded.name)
    except SpreadsheetError as exc:
        form.add_error("file", str(exc))
        return {}
    if not result.errors:
        uploaded.seek(0)
        request.session[session_key] = {"token": stage_upload(uploaded), "name": uploaded.name, "centre": centre_pk}
    return {"result": result, "file_name": uploaded.name}


def discard_staged(token: str) -> None:
    path = staged_path(token)
    if path is not None:
        path.unlink(missing_ok=True)


def staged_uploads_prune(*, older_than: datetime.timedelta) -> int:
    """Delete staged uploads older than `older_than` (previews never confirmed); returns how many. Their
    session entries then find nothing and say so ("upload it again")."""
    cutoff = time.time() - older_than.total_seconds()
    deleted = 0
    for path in _staging_dir().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted

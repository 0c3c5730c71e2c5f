"""Reading uploaded spreadsheets (.xlsx, .csv) safely, and staging an upload between preview and confirm.

Used by every importer (administrative units, class lists). A crafted file — not a spreadsheet, a zip
bomb, absurd dimensions, too many rows — is refused with a clear Vietnamese message before it is parsed,
in bounded time and memory.
"""

from __future__ import annotations

import csv
import datetime
import io
import secrets
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

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
    max_bytes = settings.MAX_UPLOAD_BYTES
    if uploaded.size > max_bytes:
        raise SpreadsheetError(
            _("Tệp quá lớn (%(size)s MB); giới hạn là %(limit)s MB.")
            % {"size": round(uploaded.size / 1048576, 1), "limit": round(max_bytes / 1048576, 1)}
        )
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
        return value.strip()
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


def _read_csv(fileobj, *, max_rows: int):
    raw = fileobj.read(settings.MAX_UPLOAD_BYTES + 1)
    if isinstance(raw, str):
        text = raw
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SpreadsheetError(_("Tệp CSV phải được lưu với bảng mã UTF-8.")) from None
    if "\x00" in text:
        raise SpreadsheetError(_("Tệp không phải là tệp CSV văn bản."))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise SpreadsheetError(_("Tệp trống: không có dòng tiêu đề.")) from None
    except csv.Error as exc:
        raise SpreadsheetError(_("Tệp CSV không đúng định dạng.")) from exc

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

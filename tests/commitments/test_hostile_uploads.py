"""Hostile uploads are refused with bounded memory: a zip whose ``mimetype`` entry inflates to
200 MB, and an XLSX that declares A1:XFD1048576. The peak of Python allocations while checking
each file stays far under the 300 MB a worker may use (tracemalloc)."""

import io
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from openpyxl import Workbook

from commitments.spreadsheets import COLUMNS, SpreadsheetError, read_table
from commitments.validators import validate_evidence_file

MB = 1024 * 1024
WORKER_BUDGET = 300 * MB


def peak_bytes(call) -> int:
    tracemalloc.start()
    try:
        call()
    finally:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def odf_bomb(inflated: int = 200 * MB) -> bytes:
    """An .odt whose ``mimetype`` entry starts right and inflates to ``inflated`` bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("mimetype", "w", force_zip64=True) as entry:
            entry.write(b"application/vnd.oasis.opendocument.text")
            chunk = b"\0" * MB
            for _ in range(inflated // MB):
                entry.write(chunk)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def xlsx_with_dimension(ref: str) -> bytes:
    """A valid workbook in the export's format whose sheet declares the dimension ``ref``."""
    workbook = Workbook()
    workbook.active.append(COLUMNS)
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index("<dimension ref=")
                end = text.index("/>", start) + 2
                data = (text[:start] + f'<dimension ref="{ref}"/>' + text[end:]).encode()
            target.writestr(item, data)
    return out.getvalue()


def test_a_zip_bomb_disguised_as_odt_is_refused_in_bounded_memory():
    content = odf_bomb()
    assert len(content) < 400 * 1024
    upload = SimpleUploadedFile("rapport.odt", content)
    errors = []

    def check():
        try:
            validate_evidence_file(upload)
        except ValidationError as error:
            errors.append(error)

    peak = peak_bytes(check)
    assert errors and errors[0].code == "unbounded"
    assert peak < 20 * MB < WORKER_BUDGET, f"peak {peak / MB:.1f} MB"


def test_a_small_real_odt_is_still_accepted():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    validate_evidence_file(SimpleUploadedFile("rapport.odt", buffer.getvalue()))


def test_an_xlsx_declaring_a_huge_dimension_is_read_in_bounded_memory():
    content = xlsx_with_dimension("A1:XFD1048576")
    assert len(content) < 10 * 1024
    rows: list = []
    peak = peak_bytes(lambda: rows.extend(read_table("plan.xlsx", content)))
    assert rows == []  # the header only: nothing is invented from the declared size
    assert peak < 20 * MB < WORKER_BUDGET, f"peak {peak / MB:.1f} MB"


def test_too_many_rows_stop_with_a_message(settings):
    settings.IMPORT_MAX_ROWS = 3
    lines = [",".join(COLUMNS)] + [",".join(["x"] * len(COLUMNS))] * 5
    with translation.override("en"), pytest.raises(SpreadsheetError, match="more than 3 rows"):
        read_table("plan.csv", "\n".join(lines).encode())


@pytest.mark.django_db
def test_the_import_page_refuses_a_file_over_the_size_limit(secretariat, settings):
    settings.IMPORT_MAX_BYTES = 1024
    client = Client()
    client.force_login(secretariat)
    upload = SimpleUploadedFile("plan.csv", b"x" * 2048)
    response = client.post("/en/secretariat/import/", {"file": upload, "dry_run": "on"})
    assert response.status_code == 200
    assert "too large" in response.content.decode()

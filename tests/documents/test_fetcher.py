"""What WeasyPrint may read while it lays out a document: the static folders and data: URLs,
nothing else, whatever the spelling of the scheme or the path. Through the real WeasyPrint: a
stylesheet that is read writes a word into the PDF, so the text read back tells what was fetched."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from documents.pdf import LocalFetcher, html_to_pdf


@pytest.fixture
def folders(tmp_path, settings) -> dict[str, Path]:
    """A static folder holding an allowed stylesheet and a symlink to a secret one beside it."""
    static, secret = tmp_path / "static", tmp_path / "secret"
    static.mkdir()
    secret.mkdir()
    (static / "allowed.css").write_text('body::before { content: "ALLOWED" }')
    (secret / "leak.css").write_text('body::after { content: "LEAKED" }')
    (static / "link.css").symlink_to(secret / "leak.css")
    (static / "inside").symlink_to(secret, target_is_directory=True)
    settings.STATICFILES_DIRS = [static]
    return {"static": static, "secret": secret}


def text_with_stylesheet(href: str) -> str:
    pdf = html_to_pdf(f'<html><head><link rel="stylesheet" href="{href}"></head><body>x</body>')
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_static_file_is_read(folders):
    assert "ALLOWED" in text_with_stylesheet((folders["static"] / "allowed.css").as_uri())


@pytest.mark.parametrize(
    "href",
    [
        "file://{secret}/leak.css",
        "FILE://{secret}/leak.css",
        "File://{secret}/leak.css",
        "fIlE://localhost{secret}/leak.css",
        "file://{static}/../secret/leak.css",
        "FILE://{static}/../secret/leak.css",
        "file://{static}/%2e%2e/secret/leak.css",
        "file://{static}/link.css",
        "FILE://{static}/link.css",
        "file://{static}/inside/leak.css",
        "{secret}/leak.css",
    ],
)
def test_nothing_outside_the_static_folders_is_read(folders, href):
    text = text_with_stylesheet(href.format(**folders))
    assert "LEAKED" not in text
    assert "x" in text


@pytest.mark.parametrize(
    "url",
    [
        "FILE:///etc/passwd",
        "File:///etc/passwd",
        "file:///etc/passwd",
        "file:///etc/../etc/passwd",
        "HTTP://127.0.0.1:1/",
        "ftp://127.0.0.1/x",
    ],
)
def test_the_fetcher_refuses_other_files_and_schemes(folders, url):
    with pytest.raises(ValueError):
        LocalFetcher().fetch(url)


def read(url: str) -> bytes:
    response = LocalFetcher().fetch(url)
    try:
        return response.read()
    finally:
        response.close()


def test_the_fetcher_reads_data_urls_and_static_files_in_any_case(folders):
    assert read("DATA:text/plain,ok") == b"ok"
    assert b"ALLOWED" in read("FILE:" + (folders["static"] / "allowed.css").as_uri()[5:])

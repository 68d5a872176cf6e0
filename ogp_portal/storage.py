"""The static files in production: whitenoise's compressed manifest storage, compressing only
what changed."""

import gzip
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from whitenoise.compress import brotli_installed
from whitenoise.storage import CompressedManifestStaticFilesStorage

DECOMPRESS: dict[str, Callable[[bytes], bytes]] = {".gz": gzip.decompress}
if brotli_installed:
    import brotli

    DECOMPRESS[".br"] = brotli.decompress


class CompressedManifestStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's storage, except that a file whose compressed copies already hold its bytes
    is not compressed again: bin/web collects the static files at every start, and compressing
    the whole set (the admin, Swagger UI) takes half a minute of CPU, mostly brotli. Django
    rewrites every hashed CSS and JS file at each collection, so their dates prove nothing; the
    copies' content is compared instead (decompressing is fast)."""

    def compress_files(self, paths: Iterable[str]) -> Iterator[tuple[str, str]]:
        return super().compress_files([path for path in paths if not self._compressed(path)])

    def _compressed(self, name: str) -> bool:
        path = Path(self.path(name))
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            return False
        return all(
            decompressed(path.with_name(path.name + suffix), decompress) == content
            for suffix, decompress in DECOMPRESS.items()
        )


def decompressed(path: Path, decompress: Callable[[bytes], bytes]) -> bytes | None:
    try:
        return decompress(path.read_bytes())
    except Exception:  # missing or damaged (each library raises its own error): compress again
        return None

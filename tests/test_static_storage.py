"""The static files of production (whitenoise's compressed manifest storage): bin/web collects
them at every start, and compresses again only the files that changed."""

import os

from django.core.management import call_command
from django.test import override_settings

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "ogp_portal.storage.CompressedManifestStorage"},
}


def collect(source, root):
    with override_settings(
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        STATICFILES_DIRS=[source],
        STATIC_ROOT=root,
        STORAGES=PRODUCTION_STORAGES,
    ):
        call_command("collectstatic", "--noinput", verbosity=0)


def compressed_copies(root) -> dict[str, int]:
    return {
        path.relative_to(root).as_posix(): path.stat().st_mtime_ns
        for path in root.rglob("*")
        if path.suffix in {".gz", ".br"}
    }


def test_a_second_collection_compresses_again_only_the_file_that_changed(tmp_path):
    source, root = tmp_path / "source", tmp_path / "static"
    (source / "css").mkdir(parents=True)
    (source / "css" / "site.css").write_text("body { color: black; }\n" * 200)
    (source / "app.js").write_text("console.log('unchanged');\n" * 200)
    collect(source, root)
    first = compressed_copies(root)
    assert {"app.js.gz", "app.js.br", "css/site.css.gz", "css/site.css.br"} <= set(first)

    (source / "css" / "site.css").write_text("body { color: navy; }\n" * 200)
    os.utime(source / "css" / "site.css", ns=(2**62, 2**62))  # newer than the collected copy
    collect(source, root)
    second = compressed_copies(root)

    unchanged = {name for name in first if name.startswith("app.")}
    assert {name: second[name] for name in unchanged} == {name: first[name] for name in unchanged}
    assert second["css/site.css.gz"] > first["css/site.css.gz"]
    new_hashed = set(second) - set(first)
    assert new_hashed and all(name.startswith("css/site.") for name in new_hashed)

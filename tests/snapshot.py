"""Run by tests/test_backup.py in a process of its own, on the database and media folder of its
environment: fetches pages and downloads as an anonymous visitor and as the secretariat, and
prints, for each, the status and the SHA-256 of the content (less the per-request tokens).

    python -m tests.snapshot '["/fr/", …]' OUT_DIR
"""

import hashlib
import json
import re
import sys
from pathlib import Path

import django

# What differs between two requests for the same page: the CSRF token and the CSP nonce.
PER_REQUEST = re.compile(rb'(name="csrfmiddlewaretoken" value="|nonce=")[^"]*"')


def main() -> None:
    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client's host in
    paths, out = json.loads(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    staff = Client()
    staff.force_login(User.objects.get(username="secretariat"))
    result = {}
    for who, client in (("anonymous", Client()), ("secretariat", staff)):
        for number, path in enumerate(paths):
            response = client.get(path)
            if response.streaming:
                body = b"".join(response.streaming_content)
            else:
                body = PER_REQUEST.sub(rb"\1\"", response.content)
            (out / f"{who}-{number}").write_bytes(body)
            result[f"{who} {path}"] = [response.status_code, hashlib.sha256(body).hexdigest()]
    print(json.dumps(result))


if __name__ == "__main__":
    main()

import pytest
from django.utils import translation


@pytest.fixture
def english():
    """The services' messages in English: outside a request the active language is the
    default one (French), unless an earlier request of the same thread left another."""
    with translation.override("en"):
        yield

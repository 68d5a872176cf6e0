import pytest

from tests.cocreation.factories import ProcessFactory, ThemeFactory


@pytest.fixture
def process():
    """A co-creation taking proposals, with two themes (the public form's tests)."""
    process = ProcessFactory(title_fr="Co-création du troisième plan", accepts_proposals=True)
    ThemeFactory(process=process, position=1, title_fr="Accès à l'information")
    ThemeFactory(process=process, position=2, title_fr="Participation citoyenne")
    return process

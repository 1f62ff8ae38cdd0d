"""How the dossier names its clients, and a link that names a client."""

from __future__ import annotations

import pandas as pd

from kam_core.dossier.reads import client_labels
from views.dossier.header import named_client


def test_a_client_known_by_name_alone_is_labelled_by_its_name_once():
    clients = pd.DataFrame(
        {
            "client_id": ["C-17", "jerusalem print house", "X9"],
            "client_name": ["Acme Ltd", "Jerusalem Print House", None],
        }
    )
    assert client_labels(clients) == {
        "C-17": "Acme Ltd (C-17)",
        "jerusalem print house": "Jerusalem Print House",
        "X9": "X9 (X9)",
    }


def test_a_link_naming_a_client_finds_the_one_client_of_that_name():
    labels = {
        "C-17": "Acme Ltd (C-17)",
        "nazareth builders": "Nazareth Builders",
        "B1": "Beta (B1)",
        "B2": "Beta (B2)",
    }
    assert named_client(labels, "Nazareth Builders") == "nazareth builders"
    assert named_client(labels, "acme ltd") == "C-17"
    assert named_client(labels, "Beta") is None  # two clients of that name: none chosen
    assert named_client(labels, "Gamma") is None

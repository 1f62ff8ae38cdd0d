"""The client dossier: what managers enter about a client, joined with what the sales say."""

from kam_core.dossier.brief import negotiation_brief
from kam_core.dossier.completeness import (
    SECTIONS,
    Completeness,
    completeness,
    completeness_by_client,
)
from kam_core.dossier.importer import MasterResult, import_master, preview_master, store_master
from kam_core.dossier.model import DossierError
from kam_core.dossier.qualification import Qualification, qualification
from kam_core.dossier.records import Dossier, add, delete, load, save_profile, update
from kam_core.dossier.summary import ClientSummary, client_summary
from kam_core.dossier.workbook import all_dossiers_workbook, dossier_workbook, template_workbook
from kam_core.store.dossier import StaleEdit

__all__ = [
    "SECTIONS",
    "ClientSummary",
    "Completeness",
    "Dossier",
    "DossierError",
    "MasterResult",
    "Qualification",
    "StaleEdit",
    "add",
    "all_dossiers_workbook",
    "client_summary",
    "completeness",
    "completeness_by_client",
    "delete",
    "dossier_workbook",
    "import_master",
    "load",
    "negotiation_brief",
    "preview_master",
    "qualification",
    "save_profile",
    "store_master",
    "template_workbook",
    "update",
]

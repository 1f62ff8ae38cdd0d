"""The dossier screen and its parts."""

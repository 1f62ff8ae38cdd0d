"""The types screen and its parts."""

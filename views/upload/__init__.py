"""The upload screen and its parts."""

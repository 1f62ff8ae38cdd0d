"""The abc-xyz screen and its parts."""

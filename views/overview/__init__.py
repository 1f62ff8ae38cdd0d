"""The overview screen and its parts."""

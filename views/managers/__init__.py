"""The managers screen and its parts."""

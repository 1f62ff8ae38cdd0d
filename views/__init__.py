"""The screens: one folder per screen, page.py plus the parts only that screen uses."""

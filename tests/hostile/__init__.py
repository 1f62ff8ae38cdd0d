"""Hostile and broken input files, written at test time, with the outcome each must have."""

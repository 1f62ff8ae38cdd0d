"""Analytics: every report a screen or the command line shows; import from the modules."""

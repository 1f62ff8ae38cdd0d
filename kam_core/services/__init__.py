"""Services the screens and the command line call to change what is stored: they validate,
then write under the one write lock in one transaction."""

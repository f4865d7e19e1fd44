"""Working the list night after night: nightly plans."""

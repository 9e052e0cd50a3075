"""Personal data beyond the export: erasure with its record and fingerprints, retention
periods and their sweep, the privacy page, and the admin pages for them."""

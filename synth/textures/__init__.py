"""Photo textures for backgrounds: the optional texture pack fetched from Debian packages."""

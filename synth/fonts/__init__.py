"""Fonts: files and names, font sets, coverage (the tofu guard), the glyph cache, spacing."""

"""What surrounds the character: backgrounds, clutter lines, neighbours, colours."""

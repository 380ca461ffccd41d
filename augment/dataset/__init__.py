"""Writing labelled datasets safely: examples, label folders, manifest, resume, previews."""

"""Dataset folders on disk: finding labelled inputs, and writing examples safely.

`readers` finds inputs; `writer.write_dataset` makes examples (`example`, `making`) on an
executor (`pool`) and places them by layout (`layouts`: one file each, or tar shards in
the `tar` format), with the manifest, the run record and atomic writes beside it.
"""

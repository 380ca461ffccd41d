"""Dataset folders on disk: finding labelled inputs, and writing examples safely.

`readers` finds inputs; `writer.write_dataset` makes examples (`example`, `making`) on an
executor (`pool`) and places them by layout (`layouts`: one file each, or tar shards in
the `tar` format), with the manifest, the run record and atomic writes beside it. A run
split across machines (`--shard I/N`) is made in `parts`, joined by `merge`; `index_ranges`
and `row_order` keep what a resume and a merge read bounded in memory.
"""

"""`augment merge OUT`: join the parts of a run made with --shard I/N.

The last part to finish merges on its own; this is for when that did not happen (a part's
merge was interrupted) or to check that a folder's parts are all there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from augment.cli.common import fail, user_errors
from augment.dataset.merge import merge_parts
from augment.dataset.out_folder import claim_folder
from augment.dataset.writer import PART_LOCK_WAIT


def merge_command(
    out: Annotated[Path, typer.Argument(help="The folder the parts were made into.")],
) -> None:
    """Merge the parts of a run made with --shard I/N into the bytes one run writes.

    Refused, naming a missing part, unless every part has finished.

    Examples:

      augment merge crops/
    """
    if not out.is_dir():
        fail(f"{out}: no such folder")
    with user_errors(), claim_folder(out, wait=PART_LOCK_WAIT):
        merge_parts(out, required=True)
    print(f"merged the parts of {out}")

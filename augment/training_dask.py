"""Feed a training loop from a Dask cluster: batches of `AugmentedDataset` or
`SynthCharDataset` made on the workers, each item the same bytes as `dataset[i]` here.

Item i of a batch is drawn from (seed, epoch, i) whichever worker makes it, so the cluster
only changes where the work is done. The dataset travels to the cluster as it is when the
batches are asked for (its epoch included): call `set_epoch(e)` first, as with a DataLoader.
Two ways, for the two ways Dask is used:

- `stream_batches(client, dataset, batch_size)`: batches in order, a few per worker made
  ahead of the loop, as a DataLoader gives them (`for images, labels in ...`-style loops).
- `batch_bag(dataset, batch_size)`: a `dask.bag` with one partition per batch, for Dask
  pipelines (`.map`, `.to_delayed()`, `.to_dataframe()`) on any Dask scheduler.

Needs `pip install 'augsynth[dask]'`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any, Protocol

from augment.core.validation import check_int
from augment.dataset.dask_executor import DaskExecutor, import_distributed


class Batched(Protocol):
    """What both datasets offer: a length and the items of a batch of indices in one call."""

    def __len__(self) -> int: ...

    def __getitems__(self, indices: Sequence[int]) -> list[Any]: ...


def batch_ranges(length: int, batch_size: int) -> list[range]:
    """The index ranges of consecutive batches (the last one shorter)."""
    check_int("batch_size", batch_size, lo=1)
    return [range(i, min(i + batch_size, length)) for i in range(0, length, batch_size)]


def stream_batches(client: Any, dataset: Batched, batch_size: int) -> Iterator[list[Any]]:
    """Batch k (the items of indices k*batch_size...) in order, made on the workers of
    `client` (a `distributed.Client`), a few batches per worker thread ahead."""
    work = partial(_items, dataset)
    return DaskExecutor(client).map(work, batch_ranges(len(dataset), batch_size))


def batch_bag(dataset: Batched, batch_size: int) -> Any:
    """A `dask.bag.Bag` whose partition k holds the items of batch k; the dataset is one
    node of the graph, shared by every partition rather than copied into each."""
    import_distributed()
    import dask
    import dask.bag

    ranges = batch_ranges(len(dataset), batch_size)
    shared = dask.delayed(dataset)
    return dask.bag.from_sequence(ranges, partition_size=1).map_partitions(_batch, shared)


def _batch(partition: list[range], dataset: Batched) -> list[Any]:
    """A bag partition (one range) as the dataset's items."""
    return [item for indices in partition for item in _items(dataset, indices)]


def _items(dataset: Batched, indices: range) -> list[Any]:
    """The items of `indices`, in one call: the datasets' batch path."""
    return dataset.__getitems__(list(indices))

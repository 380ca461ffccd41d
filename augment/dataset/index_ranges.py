"""A set of example indices kept as sorted disjoint ranges.

A resumed run must know which of up to 10^8 examples are done. The manifest lists them
almost in order, so they form a few long runs: kept as ranges, the set costs memory per
gap, not per example (a Python set of 10^8 ints takes several GB).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator


class IndexRanges:
    """Indices as ranges [starts[k], stops[k]), sorted, disjoint and never touching."""

    def __init__(self, indices: Iterable[int] = ()) -> None:
        self.starts = array("q")
        self.stops = array("q")
        self.count = 0
        for index in indices:
            self.add(index)

    def __len__(self) -> int:
        return self.count

    def __contains__(self, index: object) -> bool:
        if not isinstance(index, int):
            return False
        k = bisect_right(self.starts, index) - 1
        return k >= 0 and index < self.stops[k]

    def copy(self) -> IndexRanges:
        twin = IndexRanges()
        twin.starts, twin.stops, twin.count = (
            array("q", self.starts),
            array("q", self.stops),
            self.count,
        )
        return twin

    def add(self, index: int) -> None:
        """Add one index; cheap when indices come in increasing order, as manifests list them."""
        k = bisect_right(self.starts, index) - 1
        if k >= 0 and index < self.stops[k]:
            return
        self.count += 1
        joins_left = k >= 0 and self.stops[k] == index
        joins_right = k + 1 < len(self.starts) and self.starts[k + 1] == index + 1
        if joins_left and joins_right:
            self.stops[k] = self.stops[k + 1]
            del self.starts[k + 1], self.stops[k + 1]
        elif joins_left:
            self.stops[k] = index + 1
        elif joins_right:
            self.starts[k + 1] = index
        else:
            self.starts.insert(k + 1, index)
            self.stops.insert(k + 1, index + 1)

    def count_in(self, span: range) -> int:
        """How many indices of the step-1 range `span` are in the set."""
        return sum(
            min(stop, span.stop) - max(start, span.start) for start, stop in self._overlaps(span)
        )

    def missing(self, span: range) -> Iterator[int]:
        """The indices of the step-1 range `span` not in the set, in order, computed lazily."""
        position = span.start
        for start, stop in self._overlaps(span):
            yield from range(position, start)
            position = stop
        yield from range(position, span.stop)

    def _overlaps(self, span: range) -> Iterator[tuple[int, int]]:
        """The ranges that overlap `span`, in order."""
        k = max(0, bisect_right(self.starts, span.start) - 1)
        while k < len(self.starts) and self.starts[k] < span.stop:
            if self.stops[k] > span.start:
                yield self.starts[k], self.stops[k]
            k += 1

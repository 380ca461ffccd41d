"""Copy tasks are computed from their index: -n 10^8 costs the memory of the inputs."""

from __future__ import annotations

import tracemalloc

from augment.dataset.copy_tasks import CopyTasks


def test_copy_k_of_input_j_is_task_j_times_copies_plus_k_without_a_list():
    inputs = [{"source": f"{j}.png", "label": "ab"[j % 2]} for j in range(3)]
    tracemalloc.start()
    tasks = CopyTasks(inputs, 10**8)
    last = tasks[-1]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(tasks) == 3 * 10**8 and peak < 2**20
    assert last == {"source": "2.png", "label": "a", "copy": 10**8 - 1}
    small = CopyTasks(inputs, 2)
    assert small == [e | {"copy": k} for e in inputs for k in range(2)]
    assert small[1:3] == [inputs[0] | {"copy": 1}, inputs[1] | {"copy": 0}]

"""The memory benchmark reads a kernel's peak where it is, and says which cell raised it."""

import os

import nbformat
import pytest

from scripts import kernel_memory


def test_the_peak_is_read_from_the_process(tmp_path):
    hwm_kib = next(int(line.split()[1]) for line in open(f"/proc/{os.getpid()}/status") if line.startswith("VmHWM"))
    assert kernel_memory.peak_mib(os.getpid()) >= hwm_kib / 1024 > 0


def test_each_cell_is_charged_with_what_it_added_to_the_peak(tmp_path, capsys):
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# a note"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("import numpy as np\nbig = np.ones(50_000_000)  # 381 MiB\n"),
    ])
    path = tmp_path / "memory.ipynb"
    nbformat.write(notebook, path)
    peak, seconds, cell_seconds = kernel_memory.measure(path, timeout=60, cells=True)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0].strip() for line in lines] == ["cell   1", "cell   2"]
    small, grown = (float(line.split("+")[1].split("MiB")[0].replace(",", "")) for line in lines)
    assert small < 20 and 370 <= grown <= peak and lines[1].endswith("import numpy as np") and seconds > 0
    ids = [cell.id for cell in notebook.cells[1:]]
    assert set(cell_seconds) == set(ids) and 0 < sum(cell_seconds.values()) <= seconds


def test_each_cell_is_timed(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import time\ntime.sleep(1.5)"),
                                               nbformat.v4.new_code_cell("x = 1")])
    path = tmp_path / "timed.ipynb"
    nbformat.write(notebook, path)
    _, _, cell_seconds = kernel_memory.measure(path, timeout=60)
    slow, fast = (cell_seconds[cell.id] for cell in notebook.cells)
    assert 1.5 <= slow < 10 and fast < 1


def test_only_the_full_profile_is_recorded():
    with pytest.raises(SystemExit):
        kernel_memory.main(["--record", "--profile", "quick"])

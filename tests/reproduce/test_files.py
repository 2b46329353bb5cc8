"""Outputs are replaced only once written whole (reproduce/store/files.py): a failure at
any point, a full disk among them, leaves the old files and no temporary one."""
import errno
import os
import stat

import pytest

from reproduce.store.files import check_writable, replacing, together, write_text


def _listing(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_file_is_replaced_once_written_and_keeps_the_usual_mode(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("old\n")
    with replacing(path) as temporary:
        assert temporary.parent == tmp_path and temporary.name.endswith("~table.csv")
        temporary.write_text("new\n")
        assert path.read_text() == "old\n"           # not yet
    assert path.read_text() == "new\n"
    assert _listing(tmp_path) == ["table.csv"]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


@pytest.mark.parametrize("error", [ValueError("a bug half-way"),
                                   OSError(errno.ENOSPC, "No space left on device"),
                                   KeyboardInterrupt()])
def test_a_failure_half_way_leaves_the_old_file_and_no_temporary_one(error, tmp_path):
    """Issue 20, 8 where no small file system can be mounted: the disk fills (ENOSPC)
    after part of the file is written."""
    path = tmp_path / "table1.csv"
    path.write_text("old\n")
    with pytest.raises(type(error)):
        with replacing(path) as temporary:
            with open(temporary, "w") as handle:
                handle.write("half of the new ")
                raise error
    assert path.read_text() == "old\n"
    assert _listing(tmp_path) == ["table1.csv"]


def test_files_written_together_all_change_or_none(tmp_path):
    for name in ("a.csv", "b.md"):
        (tmp_path / name).write_text("old\n")
    with pytest.raises(OSError):
        with together():
            write_text(tmp_path / "a.csv", "new\n")
            write_text(tmp_path / "c.tex", "new\n")
            raise OSError(errno.ENOSPC, "No space left on device")   # writing b.md
    assert [(tmp_path / n).read_text() for n in ("a.csv", "b.md")] == ["old\n", "old\n"]
    assert _listing(tmp_path) == ["a.csv", "b.md"]
    with together():
        write_text(tmp_path / "a.csv", "new\n")
        with together():                   # joins the outer block
            write_text(tmp_path / "b.md", "new\n")
        assert (tmp_path / "b.md").read_text() == "old\n"
    assert [(tmp_path / n).read_text() for n in ("a.csv", "b.md")] == ["new\n", "new\n"]


def test_a_file_that_failed_is_not_renamed_when_the_caller_goes_on(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("old\n")
    with together():
        with pytest.raises(ValueError):
            with replacing(path) as temporary:
                temporary.write_text("partial")
                raise ValueError("caught by the caller")
        write_text(tmp_path / "b.md", "new\n")
    assert path.read_text() == "old\n" and (tmp_path / "b.md").read_text() == "new\n"
    assert _listing(tmp_path) == ["a.csv", "b.md"]


def test_missing_folders_are_made_and_removed_again_on_failure(tmp_path):
    target = tmp_path / "new" / "deeper" / "table.csv"
    with pytest.raises(RuntimeError):
        with replacing(target) as temporary:
            temporary.write_text("x")
            raise RuntimeError("no")
    assert _listing(tmp_path) == []
    write_text(target, "x")
    assert target.read_text() == "x"


def test_check_writable_names_the_file_meant_and_leaves_nothing(tmp_path):
    check_writable(tmp_path / "a" / "b", ["table1.csv"])
    assert _listing(tmp_path) == []
    with pytest.raises(OSError) as raised:
        check_writable(tmp_path, ["x" * 300 + ".png"])
    assert raised.value.errno == errno.ENAMETOOLONG
    assert raised.value.filename == str(tmp_path / ("x" * 300 + ".png"))
    (tmp_path / "afile").write_text("")
    with pytest.raises(OSError):
        check_writable(tmp_path / "afile" / "sub")
    assert _listing(tmp_path) == ["afile"]

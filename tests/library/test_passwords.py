"""Sync passwords: in the system keyring when one works, else in a file beside the library
that only its owner may read (mode 0600 from its first byte); never anywhere else."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from reader.library import passwords
from reader.library.passwords import PasswordError, file_of, forget, load, save


class MemoryKeyring:
    def __init__(self) -> None:
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.kept[(service, username)]


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "system_keyring", lambda: None)


def test_without_a_keyring_a_file_only_its_owner_reads(tmp_path: Path, no_keyring: None) -> None:
    library = tmp_path / "library.db"
    created = []
    real_open = os.open

    def watch(path: str | Path, flags: int, mode: int = 0o777) -> int:
        created.append(mode)
        return real_open(path, flags, mode)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "open", watch)
        where = save(library, "home", "apipass 密码")
    assert where == str(file_of(library))
    assert created == [0o600]  # (never readable by others, not even for a moment)
    assert stat.S_IMODE(file_of(library).stat().st_mode) == 0o600
    save(library, "work", "other")
    assert load(library, "home") == "apipass 密码" and load(library, "work") == "other"
    forget(library, "home")
    assert load(library, "home") is None and load(library, "work") == "other"
    assert not list(tmp_path.glob("*.draft"))


def test_a_file_others_may_read_is_refused_naming_the_fix(tmp_path: Path, no_keyring: None) -> None:
    library = tmp_path / "library.db"
    save(library, "home", "secret")
    file_of(library).chmod(0o644)
    with pytest.raises(PasswordError, match=r"others may read it \(mode 644\); `chmod 600"):
        load(library, "home")


def test_a_working_keyring_keeps_it_and_no_file_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ring = MemoryKeyring()
    monkeypatch.setattr(passwords, "system_keyring", lambda: ring)
    library = tmp_path / "library.db"
    assert save(library, "home", "secret") == "the system keyring"
    assert not file_of(library).exists()
    assert load(library, "home") == "secret"
    assert list(ring.kept) == [("newsreader", f"home@{library.resolve()}")]
    forget(library, "home")
    assert load(library, "home") is None and ring.kept == {}


def test_the_fail_backend_of_a_headless_machine_is_no_keyring(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys
    import types

    fail = type("Keyring", (), {"priority": 0, "__module__": "keyring.backends.fail"})
    fake = types.ModuleType("keyring")
    fake.get_keyring = lambda: fail()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", fake)
    assert passwords.system_keyring() is None
    works = type("Keyring", (), {"priority": 5, "__module__": "keyring.backends.SecretService"})
    fake.get_keyring = lambda: works()  # type: ignore[attr-defined]
    assert passwords.system_keyring() is fake

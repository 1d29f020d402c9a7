"""Where a sync account's API password is kept: the system keyring (the `keyring` package,
when it is installed and one of its backends works: GNOME Keyring, KWallet, the macOS
Keychain, the Windows Credential Locker), else a file beside the library,
`LIBRARY.sync-passwords`, of mode 0600 (only its owner reads it). Never in the library,
the settings, an export or a log; nothing here prints one."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Protocol

SERVICE = "newsreader"


class PasswordError(Exception):
    """A password store that cannot be used; str() names it and says what to do."""


class _Keyring(Protocol):
    def get_password(self, service: str, username: str) -> str | None: ...
    def set_password(self, service: str, username: str, password: str) -> None: ...
    def delete_password(self, service: str, username: str) -> None: ...


def system_keyring() -> _Keyring | None:
    """The keyring, if the package is installed and has a backend that keeps secrets
    (a headless machine usually has none: its `fail` backend refuses every call)."""
    try:
        import keyring  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    try:
        backend: Any = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - a broken keyring setup is no keyring
        return None
    if getattr(backend, "priority", 0) <= 0 or type(backend).__module__.endswith(".fail"):
        return None
    return keyring  # type: ignore[no-any-return]


def file_of(library: Path) -> Path:
    return Path(f"{library}.sync-passwords")


def _user(library: Path, account: str) -> str:
    return f"{account}@{library.resolve()}"


def save(library: Path, account: str, password: str) -> str:
    """Keep the account's password; returns where, in words ("the system keyring" or the
    file's path) for the reader."""
    ring = system_keyring()
    if ring is not None:
        with _keyring_errors():
            ring.set_password(SERVICE, _user(library, account), password)
        return "the system keyring"
    kept = _read(library)
    kept[account] = password
    _write(library, kept)
    return str(file_of(library))


def load(library: Path, account: str) -> str | None:
    ring = system_keyring()
    if ring is not None:
        with _keyring_errors():
            found = ring.get_password(SERVICE, _user(library, account))
        if found is not None:
            return found
    return _read(library).get(account)


def forget(library: Path, account: str) -> None:
    ring = system_keyring()
    if ring is not None:
        with suppress(Exception):  # (not there: nothing to forget)
            ring.delete_password(SERVICE, _user(library, account))
    kept = _read(library)
    if kept.pop(account, None) is not None:
        _write(library, kept)


@contextmanager
def _keyring_errors() -> Iterator[None]:
    """A keyring that fails (locked, its service gone) is one line, not a crash."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - each backend raises its own kinds
        raise PasswordError(
            f"the system keyring failed ({type(exc).__name__}): unlock it and try again"
        ) from None


def _read(library: Path) -> dict[str, str]:
    path = file_of(library)
    try:
        info = path.stat()
    except FileNotFoundError:
        return {}
    if stat.S_IMODE(info.st_mode) & 0o077:
        mode = oct(stat.S_IMODE(info.st_mode))[2:]
        raise PasswordError(
            f"{path}: others may read it (mode {mode}); `chmod 600 {path}` and try again"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PasswordError(f"{path}: cannot be read ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise PasswordError(f"{path}: not a passwords file")
    return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}


def _write(library: Path, kept: dict[str, str]) -> None:
    """Whole or not at all: a draft of mode 0600 from its first byte, then renamed."""
    path = file_of(library)
    draft = path.with_name(path.name + ".draft")
    draft.unlink(missing_ok=True)
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(kept, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(draft, path)

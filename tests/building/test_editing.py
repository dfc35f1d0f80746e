"""kb edit's decap-server: on loopback only, stopped with kb edit, and a missing part said in plain words."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from kb.building import editing
from kb.building.runner import BuildError


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def listening_addresses(port: int) -> set[str]:
    """The local addresses (hex, as the kernel lists them) of sockets listening on port (state 0A)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.rpartition(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_decap_server_listens_on_loopback_only_and_stops_with_kb_edit(tmp_path):
    port = free_port()
    with editing.decap_server(tmp_path, port) as api:
        assert api == f"http://127.0.0.1:{port}/api/v1"
        assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1, not 0.0.0.0 or ::
    assert listening_addresses(port) == set()


def test_kb_edit_without_node_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setattr(editing.shutil, "which", lambda _name: None)
    message = r"kb edit needs Node\.js, which is not installed\. Fix: run scripts/setup"
    with pytest.raises(BuildError, match=message), editing.decap_server(tmp_path, free_port()):
        pass

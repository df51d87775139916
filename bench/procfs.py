"""What a process tree costs, read from /proc: memory, CPU time, context switches, forks.

The idle benchmark compares movebreak with a bare tray icon, so both must be read the
same way, from outside, with nothing injected into them:

* memory: PSS and USS from ``/proc/PID/smaps_rollup`` summed over the tree. PSS shares
  each shared page among the processes mapping it, so the sum over a tree is what the
  tree adds to the machine; USS (private clean + private dirty) is what would be freed
  if it quit;
* CPU: utime + stime (+ cutime + cstime: the time of children already reaped) from
  ``/proc/PID/stat``, summed over the tree, before and after a window;
* context switches: voluntary + nonvoluntary from ``/proc/PID/task/TID/status`` for
  every thread. A thread that ends inside the window takes its count with it, so the
  sampler keeps the last count it saw of each thread;
* forks: new processes in the tree. The kernel's process connector reports every fork
  as it happens (netlink, root only); elsewhere the tree is rescanned every few ms,
  which can miss a child that lives less than that (the report says which was used).
"""

from __future__ import annotations

import os
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Proc:
    """One process from ``/proc/PID/stat``: identity and CPU ticks."""

    pid: int
    ppid: int
    sid: int
    state: str
    start_ticks: int
    cpu_ticks: int  # utime + stime + cutime + cstime

    @property
    def key(self) -> tuple[int, int]:
        """PID plus start time: a reused PID is a different process."""
        return self.pid, self.start_ticks


def read_proc(pid: int) -> Proc | None:
    """Parse ``/proc/PID/stat``; None when the process is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw.rpartition(")")[2].split()
    # fields[0] is field 3 (state); utime..cstime are fields 14-17, starttime is 22.
    ticks = sum(int(v) for v in fields[11:15])
    return Proc(pid, int(fields[1]), int(fields[3]), fields[0], int(fields[19]), ticks)


def tree(root: int) -> list[Proc]:
    """``root`` and its living descendants, plus anything left in its session."""
    procs = [p for e in os.listdir("/proc") if e.isdigit() and (p := read_proc(int(e)))]
    children: dict[int, list[Proc]] = {}
    for p in procs:
        children.setdefault(p.ppid, []).append(p)
    found = {p.pid: p for p in procs if p.pid == root or (p.sid == root and p.state != "Z")}
    todo, visited = list(found), set(found)
    while todo:
        for child in children.get(todo.pop(), []):
            if child.pid in visited:
                continue
            visited.add(child.pid)
            todo.append(child.pid)
            if child.state != "Z":
                found[child.pid] = child
    return sorted(found.values(), key=lambda p: p.pid)


@dataclass(frozen=True)
class Memory:
    """PSS and USS in bytes, summed over a tree."""

    pss: int
    uss: int
    processes: int


def memory(root: int) -> Memory:
    """PSS and USS of the whole tree now (kB lines of smaps_rollup, in bytes)."""
    pss = uss = count = 0
    for proc in tree(root):
        try:
            text = Path(f"/proc/{proc.pid}/smaps_rollup").read_text()
        except OSError:
            continue
        values = {}
        for line in text.splitlines()[1:]:
            name, _, rest = line.partition(":")
            values[name] = int(rest.split()[0]) * 1024
        pss += values.get("Pss", 0)
        uss += values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
        count += 1
    return Memory(pss, uss, count)


def cpu_ticks(root: int) -> int:
    """CPU ticks of the tree, reaped children included."""
    return sum(p.cpu_ticks for p in tree(root))


def thread_switches(root: int) -> dict[tuple[int, int], int]:
    """Context switches per thread (key: TID and its start time) of the whole tree."""
    counts: dict[tuple[int, int], int] = {}
    for proc in tree(root):
        try:
            tids = os.listdir(f"/proc/{proc.pid}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                status = Path(f"/proc/{proc.pid}/task/{tid}/status").read_text()
                stat = Path(f"/proc/{proc.pid}/task/{tid}/stat").read_text()
            except OSError:
                continue
            start = int(stat.rpartition(")")[2].split()[19])
            total = sum(
                int(line.split()[1]) for line in status.splitlines()
                if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches"))
            )
            counts[(int(tid), start)] = total
    return counts


def thread_names(root: int) -> dict[int, str]:
    """TID -> thread name (``comm``) for every thread of the tree: who switches."""
    names = {}
    for proc in tree(root):
        try:
            for tid in os.listdir(f"/proc/{proc.pid}/task"):
                names[int(tid)] = Path(f"/proc/{proc.pid}/task/{tid}/comm").read_text().strip()
        except OSError:
            continue
    return names


# ------------------------------------------------------------------------ forks

_NETLINK_CONNECTOR = 11
_CN_IDX_PROC = 1
_CN_VAL_PROC = 1
_PROC_CN_MCAST_LISTEN = 1
_PROC_EVENT_FORK = 0x00000001
_NLMSG_DONE = 3


class _ProcConnector:
    """The kernel's process events (fork/exec/exit) over netlink; needs CAP_NET_ADMIN."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, _NETLINK_CONNECTOR)
        self.sock.bind((os.getpid(), _CN_IDX_PROC))
        op = struct.pack("=I", _PROC_CN_MCAST_LISTEN)
        cn_msg = struct.pack("=IIIIHH", _CN_IDX_PROC, _CN_VAL_PROC, 0, 0, len(op), 0) + op
        header = struct.pack("=IHHII", 16 + len(cn_msg), _NLMSG_DONE, 0, 0, os.getpid())
        self.sock.send(header + cn_msg)
        self.sock.settimeout(0.2)

    def forks(self) -> list[tuple[int, int]]:
        """(parent TGID, child PID) of new processes since the last call (threads skipped)."""
        found = []
        while True:
            try:
                data = self.sock.recv(65536)
            except (TimeoutError, BlockingIOError):
                return found
            offset = 0
            while offset + 16 <= len(data):
                length = struct.unpack_from("=I", data, offset)[0]
                body = data[offset + 16 + 20: offset + length]  # past nlmsghdr and cn_msg
                if len(body) >= 16 + 16:
                    what = struct.unpack_from("=I", body, 0)[0]
                    if what == _PROC_EVENT_FORK:
                        _ppid, ptgid, cpid, ctgid = struct.unpack_from("=4I", body, 16)
                        if cpid == ctgid:
                            found.append((ptgid, cpid))
                offset += max(16, (length + 3) & ~3)
            self.sock.settimeout(0)

    def close(self) -> None:
        self.sock.close()


@dataclass
class ForkWatch:
    """Counts processes started inside a set of trees while it runs (see module doc)."""

    roots: list[int]
    poll_s: float = 0.005
    method: str = ""
    counts: dict[int, int] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self.counts = {root: 0 for root in self.roots}
        try:
            connector: _ProcConnector | None = _ProcConnector()
            self.method = "kernel process events"
        except OSError:
            connector = None
            self.method = f"rescanning /proc every {self.poll_s * 1000:.0f} ms"
        target = self._events if connector else self._rescan
        self._thread = threading.Thread(target=target, args=(connector,), daemon=True)
        self._thread.start()

    def _members(self) -> dict[int, int]:
        """PID -> the root whose tree it belongs to, now."""
        return {p.pid: root for root in self.roots for p in tree(root)}

    def _events(self, connector: _ProcConnector) -> None:
        members = self._members()
        try:
            while not self._stop.is_set():
                connector.sock.settimeout(0.2)
                for parent, child in connector.forks():
                    root = members.get(parent)
                    if root is not None:
                        self.counts[root] += 1
                        members[child] = root
        finally:
            connector.close()

    def _rescan(self, _connector: None) -> None:
        seen = {p.key: root for root in self.roots for p in tree(root)}
        while not self._stop.wait(self.poll_s):
            for root in self.roots:
                for proc in tree(root):
                    if proc.key not in seen:
                        seen[proc.key] = root
                        self.counts[root] += 1

    def stop(self) -> dict[int, int]:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        return dict(self.counts)


def elapsed(since: float) -> float:
    """Seconds on the monotonic clock since ``since``."""
    return time.monotonic() - since

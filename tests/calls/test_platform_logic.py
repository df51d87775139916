"""The platform adapters' own logic, on every platform.

Windows and macOS cannot run here, so their decisions are tested as data: the registry
values the consent store holds, the device facts CoreAudio reports. The Linux camera
scan runs for real against ``/proc``; with no ``/dev/video*`` device in this machine
(that needs the v4l2loopback kernel module) it is tested twice: the real ``/proc`` of
this test process holding a temporary file that the matcher is told is a camera, and a
``/proc``-shaped tree whose ``fd`` links point at ``/dev/video0``.
"""

from __future__ import annotations

import os
import queue
import sys
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from movebreak.calls.base import CallsUnavailable, PollingSource
from movebreak.calls.camera_scan import holders, is_camera_device
from movebreak.calls.detect import detect
from movebreak.calls.linux import PulseDeviceSource, is_level_meter, mic_stream
from movebreak.calls.macos import (
    AudioDevice,
    MacDeviceSource,
    busy_microphones,
    fourcc,
    is_virtual,
    snapshot_from_devices,
)
from movebreak.calls.watcher import CallWatcher
from movebreak.calls.windows import (
    CONSENT_STORE,
    WindowsDeviceSource,
    app_label,
    in_use_now,
    snapshot_from_registry,
    users_of,
)
from movebreak.core.calls import CallKind, CallTiming, classify
from tests.calls.conftest import require_pulsectl

# --- Windows: the consent store as data ---------------------------------------------


class DictRegistry:
    """A registry given as {key path: {value name: value}}; subkeys come from the paths."""

    def __init__(self, keys: Mapping[str, Mapping[str, object]]) -> None:
        self.keys = dict(keys)

    def subkeys(self, path: str) -> list[str]:
        prefix = path + "\\"
        return sorted({k[len(prefix):].split("\\")[0] for k in self.keys if k.startswith(prefix)})

    def values(self, path: str) -> Mapping[str, object]:
        return self.keys.get(path, {})


MIC = CONSENT_STORE + r"\microphone"
CAM = CONSENT_STORE + r"\webcam"
IN_USE = {"LastUsedTimeStart": 133_774_000_000_000_000, "LastUsedTimeStop": 0}
USED_BEFORE = {"LastUsedTimeStart": 133_774_000_000_000_000,
               "LastUsedTimeStop": 133_774_000_100_000_000}


@pytest.mark.parametrize(
    ("values", "in_use"),
    [
        (IN_USE, True),
        (USED_BEFORE, False),
        ({"Value": "Allow"}, False),  # allowed, never used
        ({"LastUsedTimeStart": 0, "LastUsedTimeStop": 0}, False),
        ({"LastUsedTimeStart": 133_774_000_000_000_000}, False),  # no stop value at all
    ],
)
def test_in_use_means_started_and_stop_zero(values, in_use):
    assert in_use_now(values) is in_use


def test_registry_walk_finds_packaged_and_desktop_apps_using_each_device():
    registry = DictRegistry({
        MIC: {"Value": "Allow"},
        MIC + r"\Microsoft.SkypeApp_kzf8qxf38zg5c": USED_BEFORE,
        MIC + r"\NonPackaged": {"Value": "Allow"},
        MIC + r"\NonPackaged\C:#Users#ana#AppData#Roaming#Zoom#bin#Zoom.exe": IN_USE,
        MIC + r"\NonPackaged\C:#Program Files#Audacity#Audacity.exe": USED_BEFORE,
        CAM + r"\NonPackaged\C:#Program Files#Obs#obs64.exe": USED_BEFORE,
    })
    assert users_of(registry, "microphone") == ("Zoom.exe",)
    snapshot = snapshot_from_registry(registry)
    assert classify(snapshot) == CallKind.AUDIO
    registry.keys[CAM + r"\Microsoft.WindowsCamera_8wekyb3d8bbwe"] = IN_USE
    assert classify(snapshot_from_registry(registry)) == CallKind.VIDEO
    assert classify(snapshot_from_registry(DictRegistry({}))) == CallKind.NONE


def test_app_labels_are_short():
    assert app_label("C:#Program Files#Zoom#Zoom.exe") == "Zoom.exe"
    assert app_label("MSTeams_8wekyb3d8bbwe") == "MSTeams"


@pytest.mark.skipif(sys.platform == "win32", reason="checks the non-Windows refusal")
def test_windows_source_refuses_cleanly_elsewhere():
    source = detect("win32")
    assert isinstance(source, WindowsDeviceSource)
    with pytest.raises(CallsUnavailable, match="only on Windows"):
        source.open()


# --- macOS: CoreAudio facts as data --------------------------------------------------

BUILT_IN = AudioDevice("MacBook Pro Microphone", fourcc("bltn"), True, True)
SPEAKERS = AudioDevice("MacBook Pro Speakers", fourcc("bltn"), False, True)
BLACKHOLE = AudioDevice("BlackHole 2ch", fourcc("virt"), True, True)
ZOOM = AudioDevice("ZoomAudioDevice", fourcc("bltn"), True, True)  # transport not honest
AGGREGATE = AudioDevice("Podcast rig", fourcc("grup"), True, True)
USB_IDLE = AudioDevice("USB Headset", fourcc("usb "), True, False)


def test_fourcc_matches_coreaudio_constants():
    assert fourcc("gone") == 0x676F6E65
    assert fourcc("virt") == 0x76697274


def test_virtual_devices_are_ignored_by_transport_or_name():
    assert not is_virtual(BUILT_IN)
    assert all(is_virtual(d) for d in (BLACKHOLE, ZOOM, AGGREGATE))


def test_only_real_running_input_devices_are_busy_microphones():
    devices = [BUILT_IN, SPEAKERS, BLACKHOLE, ZOOM, AGGREGATE, USB_IDLE]
    assert busy_microphones(devices) == ("MacBook Pro Microphone",)
    assert classify(snapshot_from_devices(devices, [])) == CallKind.AUDIO
    assert classify(snapshot_from_devices(devices, ["FaceTime HD Camera"])) == CallKind.VIDEO
    assert classify(snapshot_from_devices([BLACKHOLE, ZOOM, SPEAKERS], [])) == CallKind.NONE


@pytest.mark.skipif(sys.platform == "darwin", reason="checks the non-macOS refusal")
def test_mac_source_refuses_cleanly_elsewhere():
    source = detect("darwin")
    assert isinstance(source, MacDeviceSource)
    with pytest.raises(CallsUnavailable, match="CoreAudio"):
        source.open()


# --- Linux: stream properties and the /proc scan -------------------------------------


def test_level_meters_are_recognised_by_flag_or_app():
    assert is_level_meter({}, "peaks")  # PulseAudio's PEAK_DETECT streams
    assert is_level_meter({"stream.monitor": "true"}, "PipeWire")
    assert is_level_meter({"application.id": "org.gnome.VolumeControl"}, "n/a")
    assert not is_level_meter({"application.name": "Firefox"}, "n/a")


def test_mic_stream_carries_monitor_and_cork_facts():
    props = {"application.name": "Chromium", "media.name": "RecordStream"}
    stream = mic_stream(props, corked=True, resample_method="n/a", source_is_monitor=False)
    assert (stream.app, stream.corked, stream.from_monitor, stream.level_meter) == (
        "Chromium", True, False, False)
    binary_only = mic_stream({"application.process.binary": "zoom"}, corked=False,
                             resample_method="n/a", source_is_monitor=True)
    assert (binary_only.app, binary_only.from_monitor) == ("zoom", True)


@pytest.mark.parametrize(
    ("target", "camera"),
    [("/dev/video0", True), ("/dev/video12", True), ("/dev/video", False),
     ("/dev/video0 (deleted)", False), ("/dev/snd/pcmC0D0c", False),
     ("/tmp/dev/video0", False), ("socket:[12345]", False)],
)
def test_camera_matcher(target, camera):
    assert is_camera_device(target) is camera


def test_real_proc_scan_finds_this_process_holding_a_stand_in_camera(tmp_path):
    camera = tmp_path / "video0"
    camera.write_bytes(b"")
    matcher = str(camera.resolve()).__eq__
    assert all(h.pid != os.getpid() for h in holders(matcher))
    with camera.open("rb"):
        found = holders(matcher)
    assert [h.pid for h in found] == [os.getpid()]
    assert found[0].name  # comm, e.g. "python"
    assert holders(matcher) == ()
    # Other users' processes are not looked at.
    assert holders(matcher, uid=os.getuid() + 4242) == ()


def fake_proc(root: Path, processes: dict[int, list[str]]) -> Path:
    """A /proc-shaped tree: per pid a ``comm`` and ``fd/N`` links to the given targets."""
    for pid, targets in processes.items():
        fd = root / str(pid) / "fd"
        fd.mkdir(parents=True)
        (root / str(pid) / "comm").write_text(f"app{pid}\n")
        for number, target in enumerate(targets):
            (fd / str(number)).symlink_to(target)
    (root / "self").mkdir()  # non-numeric entries are skipped
    return root


def test_proc_scan_reads_fd_links_to_video_devices(tmp_path):
    proc = fake_proc(tmp_path / "proc", {
        101: ["/dev/null", "/dev/snd/pcmC0D0c", "socket:[99]"],
        202: ["/dev/pts/1", "/dev/video0"],
        303: ["/dev/video2"],
    })
    found = holders(proc=proc)
    assert sorted((h.pid, h.name) for h in found) == [(202, "app202"), (303, "app303")]


def test_pulse_source_without_a_server_says_so(tmp_path):
    require_pulsectl()
    source = PulseDeviceSource(f"unix:{tmp_path}/no-server")
    with pytest.raises(CallsUnavailable, match="no PulseAudio/PipeWire server"):
        source.open()
    source.interrupt()  # harmless when not connected
    source.close()


# --- The polling path (Windows, macOS) through the real watcher thread ---------------


def test_polling_source_waits_for_the_shorter_of_timeout_and_interval():
    source = PollingSource(every=timedelta(seconds=0.2))
    began = time.monotonic()
    source.wait(0.05)
    assert 0.04 <= time.monotonic() - began < 0.15
    began = time.monotonic()
    source.wait(None)
    assert 0.15 <= time.monotonic() - began < 0.4
    source.interrupt()
    began = time.monotonic()
    source.wait(None)
    assert time.monotonic() - began < 0.05


def test_windows_source_through_the_watcher_with_the_registry_as_data():
    registry = DictRegistry({MIC + r"\NonPackaged\C:#Apps#Zoom.exe": USED_BEFORE})
    reports: queue.Queue[tuple[CallKind, bool]] = queue.Queue()
    source = WindowsDeviceSource(every=timedelta(seconds=0.05), reader=lambda: registry)
    timing = CallTiming(start_after=timedelta(seconds=0.1), end_after=timedelta(seconds=0.1))
    watcher = CallWatcher(source, lambda kind, started: reports.put((kind, started)),
                          lambda: datetime.now(UTC), timing=timing)
    watcher.start()
    try:
        registry.keys[MIC + r"\NonPackaged\C:#Apps#Zoom.exe"] = IN_USE
        assert reports.get(timeout=2) == (CallKind.AUDIO, True)
        registry.keys[MIC + r"\NonPackaged\C:#Apps#Zoom.exe"] = USED_BEFORE
        assert reports.get(timeout=2) == (CallKind.AUDIO, False)
    finally:
        watcher.stop()
    assert reports.empty()

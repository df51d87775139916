"""Third-party licences are read from metadata, LGPL ones are recognised and marked."""

from __future__ import annotations

from email.message import Message

import pytest


def metadata_with(**fields: str | list[str]) -> Message:
    message = Message()
    for key, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            message[key.replace("_", "-")] = item
    return message


@pytest.mark.parametrize(
    ("licence", "lgpl"),
    [
        ("LGPLv3", True),
        ("LGPL-3.0-or-later", True),
        ("GNU Lesser General Public License v2 or later (LGPLv2+)", True),
        ("GPL-3.0-or-later", False),
        ("MIT", False),
        ("LGPL-2.1-only OR MPL-1.1", True),
    ],
)
def test_lgpl_is_recognised_in_every_spelling(collect, licence, lgpl):
    assert collect.is_lgpl(licence) is lgpl


def test_licence_prefers_the_spdx_expression(collect):
    meta = metadata_with(License_Expression="MIT", License="whatever")
    assert collect.licence_of(meta) == "MIT"


def test_a_vague_licence_field_is_completed_by_the_classifiers(collect):
    meta = metadata_with(
        License="Dual License",
        Classifier=["License :: OSI Approved :: BSD License",
                    "License :: OSI Approved :: Apache Software License"],
    )
    assert collect.licence_of(meta) == "Dual License: BSD License / Apache Software License"


def test_a_licence_text_pasted_into_metadata_falls_back_to_classifiers(collect):
    meta = metadata_with(
        License="Copyright (c) someone\n\nPermission is hereby granted...",
        Classifier="License :: OSI Approved :: MIT License",
    )
    assert collect.licence_of(meta) == "MIT License"


def test_the_apps_requirements_are_listed_with_their_texts(collect, tmp_path):
    packages = [collect.describe(d) for d in collect.closure("movebreak")]
    names = {p.name.lower() for p in packages}
    assert {"pystray", "apscheduler", "pillow", "recurring-ical-events"} <= names
    assert "movebreak" not in names
    assert not {"pytest", "ruff", "hypothesis"} & names  # dev tools are not shipped
    summary = collect.write_licences(packages, tmp_path, "test").read_text()
    pystray = next(p for p in packages if p.name == "pystray")
    assert pystray.lgpl
    assert f"| pystray | {pystray.version} | LGPLv3 | yes |" in summary
    lgpl_text = (tmp_path / pystray.folder / "COPYING.LGPL").read_text()
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in lgpl_text
